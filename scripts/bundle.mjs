// Bundles the built platform (dist/, as tsc left it) into a few ES modules,
// in place: each file something outside loads by path — the CLI, the
// package's exports, every plugin's "main", the certificate worker, the bench
// scripts — is rewritten as an entry, and the code they share goes into
// dist/chunks/. The packages on the way to a running platform are bundled in;
// the rest (native addons, what loads on demand) stay in node_modules.
//
// Why: Node 20 has no module compile cache, and loading ~300 ES modules and
// fastify's ~100 CommonJS files one at a time was about a third of the time
// `portier start` takes to answer (bench http.time_to_ready_ms). Tests and
// tsx run the sources as before; only the built platform is bundled.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const posix = (path) => path.split(sep).join('/');

/** Packages bundled in: what `portier start` loads before it answers. */
const BUNDLED = new Set([
  'zod',
  'reflect-metadata',
  'tsyringe',
  'fastify',
  'fastify-type-provider-zod',
  '@fastify/cookie',
  '@fastify/csrf-protection',
  'helmet',
  'pino',
  'eventemitter3',
  'commander',
  'semver',
]);

/** Loaded by path from outside the bundle, so each stays a module of its own. */
function entryPoints() {
  const entries = [
    'platform/cli/portier.js',
    'platform/index.js',
    'sdk/index.js',
    'sdk/testing/index.js',
    'bench/run.js',
    // spawned by bench/kernel-boot
    'bench/boot-rss.js',
  ];
  // The kernel imports each plugin's "main" by path.
  for (const folder of ['plugins', 'bench/fixtures/plugins']) {
    const abs = join(dist, folder);
    if (!existsSync(abs)) continue;
    for (const plugin of readdirSync(abs, { withFileTypes: true })) {
      const manifest = join(abs, plugin.name, 'manifest.json');
      if (!plugin.isDirectory() || !existsSync(manifest)) continue;
      const { main } = JSON.parse(readFileSync(manifest, 'utf8'));
      entries.push(posix(relative(dist, join(abs, plugin.name, main))));
    }
  }
  return entries.map((entry) => join(dist, entry));
}

const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Our modules' imports of packages not in BUNDLED stay imports; packages' own dependencies are bundled with them. */
const externals = {
  name: 'externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || !args.importer.startsWith(dist + sep)) return undefined;
      if (args.path === 'portier/sdk' || args.path === 'portier/sdk/testing') return undefined;
      return BUNDLED.has(packageName(args.path)) ? undefined : { path: args.path, external: true };
    });
  },
};

/**
 * A module that asks where it is (import.meta.url) still gets the place tsc
 * put it, though its code now sits in an entry or chunk elsewhere: the
 * kernel finds the plugins folder, the certificate its worker, and apps the
 * SDK exactly as before. `define` swaps only real uses, not text in strings.
 */
const moduleUrls = {
  name: 'module-urls',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist + sep)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromRoot = posix(relative(root, args.path));
      const here = `const __portierModuleUrl = new URL(${JSON.stringify('./' + fromRoot)}, import.meta.resolve('portier/package.json')).href;\n`;
      return { contents: here + source, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const entries = entryPoints();
// Chunks are named by content hash: last build's would stay beside this one's, unused, without this.
rmSync(join(dist, 'chunks'), { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: dist,
  outbase: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'import.meta.url': '__portierModuleUrl' },
  // CommonJS packages inside an ES module still require() Node's built-ins.
  banner: { js: "import { createRequire as __portierCreateRequire } from 'node:module'; const require = __portierCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [externals, moduleUrls],
});

// The modules now inside an entry or chunk go, so nothing can load a second copy by path by mistake (types stay).
const kept = new Set(entries.map((entry) => posix(relative(root, entry))));
let removed = 0;
for (const input of Object.keys(result.metafile.inputs)) {
  const path = join(root, input);
  if (!path.startsWith(dist + sep) || kept.has(posix(input))) continue;
  rmSync(path, { force: true });
  rmSync(path + '.map', { force: true });
  removed++;
}
if (process.env.BUNDLE_VERBOSE) {
  const chunks = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
  console.log(`bundle: ${entries.length} entries, ${chunks.length} files out, ${removed} modules folded in`);
}
