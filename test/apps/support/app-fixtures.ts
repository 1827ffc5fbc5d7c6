import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { packPlugin } from '../../../platform/apps/package/package-pack.js';
import { generateSigningKey, signPackage, type SigningKey } from '../../../platform/apps/package/package-signature.js';

export interface AppSpec {
  name: string;
  version?: string;
  vendor?: string;
  platform?: string;
  requires?: Record<string, string>;
  hardware?: { kind: string; why: string }[];
  /** Body of start(); `this.store` and `this.logger` are there. */
  start?: string;
  /** Extra manifest fields (contributes…). */
  manifest?: Record<string, unknown>;
  /** Extra files: path → content. */
  files?: Record<string, string | Buffer>;
}

/**
 * A plugin folder as a third party ships it: manifest.json and plain built
 * JavaScript importing only `portier/sdk` (decorators applied as calls, as
 * compiled TypeScript does). On start it counts its runs in its store and
 * logs the version, so tests can see which version runs and that data survives.
 */
export function writeApp(spec: AppSpec, parent = mkdtempSync(join(tmpdir(), 'portier-app-src-'))): string {
  const dir = join(parent, `${spec.name}-${spec.version ?? '1.0.0'}`);
  mkdirSync(dir, { recursive: true });
  const manifest = {
    schemaVersion: 1,
    name: spec.name,
    displayName: spec.name,
    version: spec.version ?? '1.0.0',
    vendor: spec.vendor ?? 'Acme Door Systems',
    description: `The ${spec.name} test app.`,
    main: './index.js',
    platform: spec.platform ?? '^1.0.0',
    ...(spec.requires === undefined ? {} : { requires: spec.requires }),
    ...(spec.hardware === undefined ? {} : { hardware: spec.hardware }),
    ...spec.manifest,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(
    join(dir, 'index.js'),
    `import { TOKENS, inject, injectable } from 'portier/sdk';

class App {
  constructor(logger, store, plugin) {
    this.logger = logger;
    this.store = store;
    this.plugin = plugin;
  }
  async start() {
    const runs = (this.store.get('runs') ?? 0) + 1;
    this.store.set('runs', runs);
    this.logger.info('started', { version: this.plugin.version, runs });
    ${spec.start ?? ''}
  }
  async stop() {
    this.logger.info('stopping', { version: this.plugin.version });
  }
}
inject(TOKENS.logger)(App, undefined, 0);
inject(TOKENS.store)(App, undefined, 1);
inject(TOKENS.plugin)(App, undefined, 2);
injectable()(App);
export default App;
`,
  );
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** `portier pack` of a folder, signed with `key` when given. */
export async function packApp(dir: string, key?: SigningKey, signer = 'Acme Door Systems'): Promise<{ bytes: Buffer; fileName: string }> {
  const packed = await packPlugin(dir);
  return { bytes: key === undefined ? packed.bytes : await signPackage(packed.bytes, key.privateKeyPem, signer), fileName: packed.fileName };
}

export function signingKey(): SigningKey {
  return generateSigningKey();
}

export interface RawEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo';
  data?: string | Buffer;
  linkname?: string;
}

/** A gzip tar built entry by entry, for packages `portier pack` would never make. */
export async function rawPackage(entries: RawEntry[]): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const entry of entries) {
    const data = entry.data === undefined ? undefined : Buffer.from(entry.data);
    const header = {
      name: entry.name,
      type: entry.type ?? 'file',
      mode: entry.type === 'directory' ? 0o755 : 0o644,
      mtime: new Date(Date.UTC(2000, 0, 1)),
      ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
      ...(entry.type === 'character-device' || entry.type === 'block-device' ? { devmajor: 1, devminor: 3 } : {}),
      ...(data === undefined ? { size: 0 } : { size: data.length }),
    };
    await new Promise<void>((resolve, reject) => {
      if (data === undefined) pack.entry(header, (error) => (error ? reject(error) : resolve()));
      else pack.entry(header, data, (error) => (error ? reject(error) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** A valid manifest.json's text for raw packages. */
export function manifestText(name = 'raw-app'): string {
  return JSON.stringify({ schemaVersion: 1, name, displayName: name, version: '1.0.0', vendor: 'Acme Door Systems', description: 'A raw test app.', main: './index.js', platform: '^1.0.0' });
}
