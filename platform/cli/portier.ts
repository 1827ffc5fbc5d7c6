#!/usr/bin/env node
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { describeError, isPortierError } from '../../sdk/errors.js';
import { PLATFORM_API_VERSION } from '../version.js';
import { registerAppCommands } from './app-commands.js';
import type { StartOptions } from './start-command.js';

const DEFAULT_DATA_DIR = process.env.PORTIER_DATA ?? 'data';

const program = new Command()
  .name('portier')
  .description('Portier, the application platform of a network door intercom')
  .version(PLATFORM_API_VERSION);

program
  .command('start')
  .description('run Portier on the simulated intercom and the embedded store')
  .option('-d, --data <dir>', 'data folder (database, apps)', DEFAULT_DATA_DIR)
  .option('--log-level <level>', 'trace, debug, info, warn or error')
  .option('--host <address>', 'address to listen on', process.env.PORTIER_HOST ?? '0.0.0.0')
  .option('--https-port <port>', 'HTTPS port (0 picks a free one)', process.env.PORTIER_HTTPS_PORT ?? '8443')
  .option('--http-port <port>', 'plain-HTTP port that redirects to HTTPS, or "off"', process.env.PORTIER_HTTP_PORT ?? '8080')
  .option('--cert <file>', 'PEM certificate replacing the generated one (with --key)')
  .option('--key <file>', 'PEM private key of --cert')
  .action(async (options: { data: string; logLevel?: string; host: string; httpsPort: string; httpPort: string; cert?: string; key?: string }) => {
    if ((options.cert === undefined) !== (options.key === undefined)) throw new Error('--cert and --key go together');
    const start: StartOptions = {
      dataDir: options.data,
      host: options.host,
      httpsPort: port(options.httpsPort, '--https-port'),
      httpPort: options.httpPort === 'off' ? null : port(options.httpPort, '--http-port'),
    };
    if (options.logLevel !== undefined) start.logLevel = options.logLevel;
    if (options.cert !== undefined && options.key !== undefined) start.tlsFiles = { certFile: options.cert, keyFile: options.key };
    // Each command loads what it needs, when it runs: `portier --version` loads no platform.
    const { startCommand } = await import('./start-command.js');
    await startCommand(start);
  });

program
  .command('validate')
  .description('check plugin manifests (folders or manifest.json files) against the schema and the installed plugins')
  .argument('<targets...>', 'plugin folders or manifest.json files')
  .option('-d, --data <dir>', 'data folder whose apps count as installed', DEFAULT_DATA_DIR)
  .action(async (targets: string[], options: { data: string }) => {
    const [{ validateCommand }, { BUILTIN_PLUGINS_DIR }] = await Promise.all([import('./validate-command.js'), import('../kernel.js')]);
    const result = validateCommand(targets, {
      installedDirs: [BUILTIN_PLUGINS_DIR, join(resolve(options.data), 'apps')],
      platformVersion: PLATFORM_API_VERSION,
    });
    for (const line of result.lines) (result.ok ? process.stdout : process.stderr).write(line + '\n');
    process.exitCode = result.ok ? 0 : 1;
  });

registerAppCommands(program);

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`${flag} takes a port number from 0 to 65535, not "${value}"`);
  return n;
}

program.parseAsync(process.argv).catch((error: unknown) => {
  const code = isPortierError(error) ? `${error.code}: ` : '';
  process.stderr.write(`portier: ${code}${describeError(error)}\n`);
  process.exitCode = 1;
});
