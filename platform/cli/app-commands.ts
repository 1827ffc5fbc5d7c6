import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { PortierError } from '../../sdk/errors.js';
import type { ApiClient, ApiReply } from './client/api-client.js';

interface ConnectionOptions {
  url: string;
  user: string;
  ca?: string;
  fingerprint?: string;
  insecure?: boolean;
}

/** The commands that make, sign and install app packages, and manage installed apps over the API. */
export function registerAppCommands(program: Command): void {
  program
    .command('pack')
    .description('build <name>-<version>.tgz from a plugin folder (manifest, built JavaScript, assets); checks the manifest first')
    .argument('<dir>', 'the plugin folder')
    .option('-o, --out <dir>', 'where to write the package', '.')
    .option('-k, --key <file>', 'also sign it with this private key (from portier keygen)')
    .option('--signer <name>', 'who signs, shown on install (with --key)')
    .action(async (dir: string, options: { out: string; key?: string; signer?: string }) => {
      const [{ packPlugin }, { signPackage }] = await Promise.all([import('../apps/package/package-pack.js'), import('../apps/package/package-signature.js')]);
      const packed = await packPlugin(resolve(dir));
      let bytes = packed.bytes;
      if (options.key !== undefined) bytes = await signPackage(bytes, readKey(options.key), options.signer);
      const file = join(resolve(options.out), packed.fileName);
      writeFileSync(file, bytes);
      process.stdout.write(`${file} (${packed.files.length} files, ${formatBytes(bytes.length)}${options.key === undefined ? ', unsigned' : ', signed'})\n`);
    });

  program
    .command('keygen')
    .description('make an Ed25519 key pair for signing apps: <out>.key.pem (keep it secret) and <out>.pub.pem (give it to intercom admins)')
    .requiredOption('-o, --out <prefix>', 'file name prefix, e.g. acme')
    .action(async (options: { out: string }) => {
      const { generateSigningKey } = await import('../apps/package/package-signature.js');
      const keyFile = `${options.out}.key.pem`;
      const pubFile = `${options.out}.pub.pem`;
      for (const file of [keyFile, pubFile]) if (existsSync(file)) throw new PortierError('FILE_EXISTS', `${file} already exists; pick another --out or move it away.`);
      const key = generateSigningKey();
      writeFileSync(keyFile, key.privateKeyPem, { mode: 0o600 });
      chmodSync(keyFile, 0o600);
      writeFileSync(pubFile, key.publicKeyPem);
      process.stdout.write(`${keyFile} (private, keep it secret)\n${pubFile} (public)\nkey id ${key.keyId}\n`);
    });

  program
    .command('sign')
    .description('sign a package file in place with an Ed25519 private key; the signature covers every byte of its content')
    .argument('<package>', 'the .tgz from portier pack')
    .requiredOption('-k, --key <file>', 'the private key (from portier keygen)')
    .option('--signer <name>', 'who signs, shown on install')
    .action(async (file: string, options: { key: string; signer?: string }) => {
      const { readSignature, signPackage } = await import('../apps/package/package-signature.js');
      const signed = await signPackage(readFile(file), readKey(options.key), options.signer);
      writeFileSync(file, signed);
      const { gunzipSync } = await import('node:zlib');
      const signature = readSignature(gunzipSync(signed));
      process.stdout.write(`${file} signed${signature.signed ? ` with key ${signature.keyId}` : ''}\n`);
    });

  withConnection(
    program
      .command('install')
      .description('install an app on an intercom from its package file, or upgrade the installed one')
      .argument('<package>', 'the .tgz to install'),
  ).action(async (file: string, options: ConnectionOptions) => {
    const bytes = readFile(file);
    const client = await connect(options);
    const { SingleBar } = (await import('cli-progress')).default;
    const bar = new SingleBar({ format: `uploading ${basename(file)} [{bar}] {percentage}% {value}/{total} bytes`, stream: process.stderr, hideCursor: true, clearOnComplete: false });
    bar.start(bytes.length, 0);
    let reply: ApiReply;
    try {
      reply = await client.upload(`/api/v1/apps?fileName=${encodeURIComponent(basename(file))}`, bytes, 'application/gzip', (sent) => bar.update(sent));
    } finally {
      bar.stop();
    }
    const result = expectOk(reply) as { outcome: string; previousVersion?: string; app: { name: string; version: string; state: string; failure?: { message: string } } };
    const how = result.outcome === 'upgraded' ? `upgraded from ${result.previousVersion} to ${result.app.version}` : `${result.app.version} installed`;
    process.stdout.write(`${result.app.name} ${how}; ${result.app.state}${result.app.failure === undefined ? '' : `: ${result.app.failure.message}`}\n`);
  });

  const apps = program.command('apps').description('list and manage the apps installed on an intercom');
  withConnection(apps.command('list').description('installed apps: name, version, vendor, state, signed by')).action(async (options: ConnectionOptions) => {
    const list = expectOk(await (await connect(options)).json('GET', '/api/v1/apps')) as {
      name: string;
      version: string;
      vendor: string;
      state: string;
      signedBy: { name: string; keyId: string } | null;
    }[];
    if (list.length === 0) process.stdout.write('no apps installed\n');
    for (const app of list) process.stdout.write(`${app.name}\t${app.version}\t${app.vendor}\t${app.state}\t${app.signedBy === null ? 'unsigned' : `signed by ${app.signedBy.name} (${app.signedBy.keyId})`}\n`);
  });
  for (const action of ['start', 'stop', 'restart'] as const) {
    withConnection(apps.command(action).description(`${action} an app`).argument('<name>')).action(async (name: string, options: ConnectionOptions) => {
      const app = expectOk(await (await connect(options)).json('POST', `/api/v1/apps/${encodeURIComponent(name)}/${action}`)) as { name: string; state: string };
      process.stdout.write(`${app.name}: ${app.state}\n`);
    });
  }
  withConnection(apps.command('uninstall').description('remove an app and, unless --keep-data, its stored data and settings').argument('<name>'))
    .option('--keep-data', 'keep its stored data and settings for a later install')
    .action(async (name: string, options: ConnectionOptions & { keepData?: boolean }) => {
      expectOk(await (await connect(options)).json('DELETE', `/api/v1/apps/${encodeURIComponent(name)}?keepData=${options.keepData === true}`));
      process.stdout.write(`${name} uninstalled${options.keepData === true ? ' (data kept)' : ''}\n`);
    });
  withConnection(apps.command('logs').description('the recent log lines of an app').argument('<name>'))
    .option('-n, --lines <n>', 'how many', '200')
    .action(async (name: string, options: ConnectionOptions & { lines: string }) => {
      const reply = expectOk(await (await connect(options)).json('GET', `/api/v1/apps/${encodeURIComponent(name)}/logs?limit=${Number(options.lines)}`)) as {
        lines: { time: number; level: string; message: string; fields?: Record<string, unknown> }[];
      };
      for (const line of reply.lines) {
        process.stdout.write(`${new Date(line.time).toISOString()} ${line.level.padEnd(5)} ${line.message}${line.fields === undefined ? '' : ` ${JSON.stringify(line.fields)}`}\n`);
      }
    });

  program
    .command('new')
    .description('scaffold a plugin: manifest, class, a test on the harness and a build script')
    .argument('<name>', 'kebab-case plugin name')
    .option('-d, --dir <dir>', 'where to create it', '.')
    .action(async (name: string, options: { dir: string }) => {
      const [{ newCommand }, { packageVersion }] = await Promise.all([import('./new-command.js'), import('../version.js')]);
      const { created } = newCommand(name, { directory: resolve(options.dir), portierVersion: packageVersion() });
      process.stdout.write(`${created.join('\n')}\n`);
    });
}

function withConnection(command: Command): Command {
  return command
    .requiredOption('--url <url>', 'the intercom, https://HOST:PORT', process.env.PORTIER_URL)
    .requiredOption('-u, --user <name>', 'an administrator (password from PORTIER_PASSWORD, or asked)', process.env.PORTIER_USER)
    .option('--ca <file>', "the intercom's certificate (PEM), to trust it")
    .option('--fingerprint <sha256>', "the intercom's certificate fingerprint, as portier start logs it")
    .option('--insecure', 'do not check the certificate (a lab only)');
}

async function connect(options: ConnectionOptions): Promise<ApiClient> {
  const [{ ApiClient }, { passwordFor }] = await Promise.all([import('./client/api-client.js'), import('./client/password-prompt.js')]);
  return new ApiClient({
    url: options.url,
    username: options.user,
    password: await passwordFor(options.user),
    ...(options.ca === undefined ? {} : { caFile: options.ca }),
    ...(options.fingerprint === undefined ? {} : { fingerprint: options.fingerprint }),
    ...(options.insecure === true ? { insecure: true } : {}),
  });
}

function expectOk(reply: ApiReply): unknown {
  if (reply.status >= 200 && reply.status < 300) return reply.body;
  const body = reply.body as { code?: string; message?: string; details?: { path: string; message: string }[] } | undefined;
  if (body?.code !== undefined && body.message !== undefined) throw new PortierError(body.code, body.message, body.details ?? []);
  throw new PortierError('REQUEST_FAILED', `The intercom answered HTTP ${reply.status}.`);
}

function readFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new PortierError('FILE_UNREADABLE', `${file} cannot be read: ${(error as Error).message}`);
  }
}

function readKey(file: string): string {
  return readFile(file).toString('utf8');
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
