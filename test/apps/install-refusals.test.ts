import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { SigningKey } from '../../platform/apps/package/package-signature.js';
import { ADMIN, type TestPortier, portierPerTest } from '../support/test-portier.js';
import { manifestText, packApp, rawPackage, signingKey, writeApp } from './support/app-fixtures.js';

/** Every path below `dir` (folders end in /), for proving what a refused install did not write. */
function tree(dir: string, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      const shown = relative(dir, path);
      if (skip(shown)) continue;
      if (entry.isDirectory()) {
        out.push(`${shown}/`);
        walk(path);
      } else out.push(`${shown} ${entry.isSymbolicLink() ? 'link' : statSync(path).size}`);
    }
  };
  walk(dir);
  return out.sort();
}

const outsideApps = (path: string): boolean => path === 'apps' || path.startsWith('apps/') || path.startsWith('portier.db');

interface Context {
  p: TestPortier;
  key: SigningKey;
}

async function install(p: TestPortier, bytes: Buffer, fileName = 'app.tgz') {
  return p.request('POST', `/api/v1/apps?fileName=${fileName}`, { raw: bytes, headers: { 'content-type': 'application/gzip' }, user: ADMIN });
}

/** A running Portier with a trusted key and `chime-lite` 1.0.0 installed, signed, running. */
async function withInstalledApp(p: TestPortier): Promise<SigningKey> {

  const key = signingKey();
  expect((await p.request('POST', '/api/v1/apps/trusted-keys', { body: { name: 'Acme Door Systems', publicKey: key.publicKeyPem }, user: ADMIN })).status).toBe(201);
  const v1 = await packApp(writeApp({ name: 'chime-lite', version: '1.0.0' }), key);
  const installed = await install(p, v1.bytes, v1.fileName);
  expect(installed.status, installed.text).toBe(201);
  expect(installed.body).toMatchObject({ outcome: 'installed', app: { name: 'chime-lite', version: '1.0.0', state: 'running' } });
  return key;
}

interface Refusal {
  code: string;
  status: number;
  /** What the message must say (where and what to do). */
  says: RegExp;
  build(context: Context): Promise<Buffer>;
  /** Done before the install: turn unsigned apps on, free nothing… */
  before?(context: Context): Promise<void>;
}

const allowUnsigned = async ({ p }: Context): Promise<void> => {
  expect((await p.request('PUT', '/api/v1/apps/settings', { body: { allowUnsigned: true }, user: ADMIN })).status).toBe(200);
};

const signedRaw = async (key: SigningKey, entries: Parameters<typeof rawPackage>[0]): Promise<Buffer> => {
  const { signPackage } = await import('../../platform/apps/package/package-signature.js');
  return signPackage(await rawPackage(entries), key.privateKeyPem, 'Acme Door Systems');
};

// Past the signature check, a package is judged on what it holds: these are signed by the trusted key, as a
// compromised or careless vendor's would be, so each reaches the check it is about.
const REFUSALS: Record<string, Refusal> = {
  'a package larger than the limit': {
    code: 'PACKAGE_TOO_LARGE',
    status: 413,
    says: /larger than|more than/,
    build: async ({ key }) => (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0', files: { 'media/big.bin': randomBytes(400_000) } }), key)).bytes,
  },
  'a file that is not gzip': {
    code: 'PACKAGE_NOT_GZIP',
    status: 422,
    says: /not gzip|portier pack/,
    build: async () => Buffer.from('PK\u0003\u0004 this is a zip file, not a package'),
  },
  'a truncated package': {
    code: 'PACKAGE_CORRUPT',
    status: 422,
    says: /portier pack/,
    build: async ({ key }) => {
      const bytes = (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0' }), key)).bytes;
      return bytes.subarray(0, bytes.length - 40);
    },
  },
  'a decompression bomb': {
    code: 'PACKAGE_BOMB',
    status: 422,
    says: /compress|bomb|larger/i,
    build: async () => rawPackage([{ name: 'manifest.json', data: manifestText() }, { name: 'zeros.bin', data: Buffer.alloc(3 * 1024 * 1024) }]),
  },
  'too many files': {
    code: 'PACKAGE_TOO_MANY_FILES',
    status: 422,
    says: /more than 50 files/,
    build: async ({ key }) => signedRaw(key, [{ name: 'manifest.json', data: manifestText() }, ...Array.from({ length: 60 }, (_, i) => ({ name: `f${i}.js`, data: '//' }))]),
  },
  'an absolute path': {
    code: 'PACKAGE_PATH_ABSOLUTE',
    status: 422,
    says: /\/etc\/cron\.d\/evil/,
    build: async ({ key }) => signedRaw(key, [{ name: 'manifest.json', data: manifestText() }, { name: '/etc/cron.d/evil', data: '* * * * * root sh' }]),
  },
  'a path climbing out with ..': {
    code: 'PACKAGE_PATH_TRAVERSAL',
    status: 422,
    says: /\.\.\/\.\.\/outside\.js/,
    build: async ({ key }) => signedRaw(key, [{ name: 'manifest.json', data: manifestText() }, { name: 'lib/../../outside.js', data: 'x' }]),
  },
  'a symbolic link': {
    code: 'PACKAGE_LINK',
    status: 422,
    says: /symbolic link/,
    build: async ({ key }) => signedRaw(key, [{ name: 'manifest.json', data: manifestText() }, { name: 'passwd', type: 'symlink', linkname: '/etc/passwd' }]),
  },
  'a hard link': {
    code: 'PACKAGE_LINK',
    status: 422,
    says: /hard link/,
    build: async ({ key }) => signedRaw(key, [{ name: 'manifest.json', data: manifestText() }, { name: 'shadow', type: 'link', linkname: '/etc/shadow' }]),
  },
  'a device': {
    code: 'PACKAGE_SPECIAL_FILE',
    status: 422,
    says: /character device/,
    build: async ({ key }) => signedRaw(key, [{ name: 'manifest.json', data: manifestText() }, { name: 'null', type: 'character-device' }]),
  },
  'a FIFO': {
    code: 'PACKAGE_SPECIAL_FILE',
    status: 422,
    says: /FIFO/,
    build: async ({ key }) => signedRaw(key, [{ name: 'manifest.json', data: manifestText() }, { name: 'pipe', type: 'fifo' }]),
  },
  'no manifest': {
    code: 'PACKAGE_MANIFEST_MISSING',
    status: 422,
    says: /manifest\.json/,
    build: async ({ key }) => signedRaw(key, [{ name: 'index.js', data: 'export default class {}' }]),
  },
  'an unsigned package': {
    code: 'SIGNATURE_MISSING',
    status: 422,
    says: /not signed.*portier sign.*allowUnsigned/,
    build: async () => (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0' }))).bytes,
  },
  'a package signed by an unknown key': {
    code: 'SIGNATURE_UNTRUSTED',
    status: 422,
    says: /does not trust.*trusted-keys/,
    build: async () => (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0' }), signingKey(), 'Mallory')).bytes,
  },
  'a package whose files were changed after signing': {
    code: 'SIGNATURE_INVALID',
    status: 422,
    says: /changed after it was signed/,
    build: async ({ key }) => {
      const signed = (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0', start: "this.logger.info('genuine');" }), key)).bytes;
      // Same length, same tar layout: only the code differs, as an attacker would patch it.
      const tar = gunzipSync(signed);
      const at = tar.indexOf('genuine');
      tar.write('hacked!', at);
      return gzipSync(tar);
    },
  },
  'an invalid manifest': {
    code: 'MANIFEST_INVALID',
    status: 422,
    says: /app\.tgz: manifest\.json: \/version: .*found "one point oh"/,
    build: async ({ key }) =>
      signedRaw(key, [
        { name: 'manifest.json', data: manifestText('chime-lite').replace('"1.0.0"', '"one point oh"') },
        { name: 'index.js', data: 'export default class {}' },
      ]),
  },
  'a name in upper case (names cannot differ only in case)': {
    code: 'MANIFEST_INVALID',
    status: 422,
    says: /\/name: .*kebab-case/,
    build: async ({ key }) =>
      signedRaw(key, [
        { name: 'manifest.json', data: manifestText('Chime-Lite') },
        { name: 'index.js', data: 'export default class {}' },
      ]),
  },
  "a built-in plugin's name": {
    code: 'APP_NAME_TAKEN',
    status: 409,
    says: /built-in plugin/,
    build: async ({ key }) => (await packApp(writeApp({ name: 'io', version: '9.0.0' }), key)).bytes,
  },
  "another vendor's app name": {
    code: 'APP_NAME_TAKEN',
    status: 409,
    says: /already installed from Acme Door Systems.*Mallory Hardware/,
    build: async ({ key }) => (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0', vendor: 'Mallory Hardware' }), key)).bytes,
  },
  'a platform range this intercom is outside of': {
    code: 'PLATFORM_MISMATCH',
    status: 409,
    says: /\/platform: .*\^2\.0\.0.*1\.0\.0/,
    build: async ({ key }) => (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0', platform: '^2.0.0' }), key)).bytes,
  },
  'a required plugin that is not installed': {
    code: 'DEPENDENCY_MISSING',
    status: 409,
    says: /\/requires\/sip: .*install "sip" first/,
    build: async ({ key }) => (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0', requires: { sip: '^1.0.0' } }), key)).bytes,
  },
  'a required plugin at the wrong version': {
    code: 'DEPENDENCY_VERSION_MISMATCH',
    status: 409,
    says: /\/requires\/io: .*\^3\.0\.0/,
    build: async ({ key }) => (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0', requires: { io: '^3.0.0' } }), key)).bytes,
  },
  'hardware another plugin holds': {
    code: 'HARDWARE_UNAVAILABLE',
    status: 409,
    says: /relay-1 by io.*relay-2 by io.*Free one/,
    build: async ({ key }) => (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0', hardware: [{ kind: 'relay', why: 'rings the chime' }] }), key)).bytes,
  },
  'a new version that does not start (rolled back)': {
    code: 'APP_START_FAILED',
    status: 422,
    says: /chime-lite 2\.0\.0 did not start .*no chime wired.*chime-lite 1\.0\.0 is restored and running/,
    build: async ({ key }) => (await packApp(writeApp({ name: 'chime-lite', version: '2.0.0', start: "throw new Error('no chime wired');" }), key)).bytes,
  },
};

describe('installing an app refuses, with a code and a message that says what to do', () => {
  const portier = portierPerTest();

  for (const [what, refusal] of Object.entries(REFUSALS)) {
    it(`${what}: ${refusal.code}; nothing outside the apps folder is written and the installed version keeps running`, async () => {
      const p = await portier.start({ http: { appLimits: { maxPackageBytes: 200_000, maxUnpackedBytes: 2 * 1024 * 1024, maxEntries: 50 } } });
      const key = await withInstalledApp(p);
      const context = { p, key };
      await refusal.before?.(context);
      const bytes = await refusal.build(context);
      const outside = tree(p.dataDir, outsideApps);
      const notStaging = (path: string): boolean => path === '.staging' || path.startsWith('.staging/');
      const apps = tree(join(p.dataDir, 'apps'), notStaging);

      const reply = await install(p, bytes);
      expect(reply.status, reply.text).toBe(refusal.status);
      expect(reply.body).toMatchObject({ code: refusal.code });
      expect((reply.body as { message: string }).message).toMatch(refusal.says);

      expect(tree(p.dataDir, outsideApps)).toEqual(outside);
      expect(tree(join(p.dataDir, 'apps'), notStaging)).toEqual(apps);
      // What was staged is gone.
      if (existsSync(join(p.dataDir, 'apps', '.staging'))) expect(readdirSync(join(p.dataDir, 'apps', '.staging'))).toEqual([]);
      const app = await p.request('GET', '/api/v1/apps/chime-lite', { user: ADMIN });
      expect(app.body).toMatchObject({ version: '1.0.0', state: 'running', signedBy: { keyId: key.keyId, name: 'Acme Door Systems' } });
    });
  }
});

function existsSync(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}


describe('unsigned apps', () => {
  const portier = portierPerTest();

  it('install once an administrator allows them, and show as unsigned', async () => {
    const p = await portier.start();

    await allowUnsigned({ p, key: signingKey() });
    const pkg = await packApp(writeApp({ name: 'chime-lite' }));
    const reply = await install(p, pkg.bytes);
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body).toMatchObject({ app: { name: 'chime-lite', state: 'running', signedBy: null } });
  });
});
