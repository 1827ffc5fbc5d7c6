// Bundles src/index.ts into dist/index.js (ESM for Node 20). `portier/sdk` stays
// an import: the intercom gives every app the SDK of the platform it runs on,
// so an app and the platform share one container and one set of tokens.
// Everything else the app uses is bundled in.
//
//   node build.mjs
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const result = await build({
  entryPoints: [join(here, 'src', 'index.ts')],
  outfile: join(here, 'dist', 'index.js'),
  tsconfig: join(here, 'tsconfig.json'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['portier/sdk'],
  write: false,
  logLevel: 'warning',
});

// Each file goes under a temporary name first, then is renamed: test files
// that build at the same time never import a half-written bundle.
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
