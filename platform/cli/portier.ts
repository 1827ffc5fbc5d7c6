#!/usr/bin/env node
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { describeError, isPortierError } from '../../sdk/errors.js';
import { BUILTIN_PLUGINS_DIR } from '../kernel.js';
import { PLATFORM_API_VERSION } from '../version.js';
import { startCommand } from './start-command.js';
import { validateCommand } from './validate-command.js';

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
  .action(async (options: { data: string; logLevel?: string }) => {
    const start: { dataDir: string; logLevel?: string } = { dataDir: options.data };
    if (options.logLevel !== undefined) start.logLevel = options.logLevel;
    await startCommand(start);
  });

program
  .command('validate')
  .description('check plugin manifests (folders or manifest.json files) against the schema and the installed plugins')
  .argument('<targets...>', 'plugin folders or manifest.json files')
  .option('-d, --data <dir>', 'data folder whose apps count as installed', DEFAULT_DATA_DIR)
  .action((targets: string[], options: { data: string }) => {
    const result = validateCommand(targets, {
      installedDirs: [BUILTIN_PLUGINS_DIR, join(resolve(options.data), 'apps')],
      platformVersion: PLATFORM_API_VERSION,
    });
    for (const line of result.lines) (result.ok ? process.stdout : process.stderr).write(line + '\n');
    process.exitCode = result.ok ? 0 : 1;
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  const code = isPortierError(error) ? `${error.code}: ` : '';
  process.stderr.write(`portier: ${code}${describeError(error)}\n`);
  process.exitCode = 1;
});
