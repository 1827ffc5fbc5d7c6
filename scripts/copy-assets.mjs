// Copies what tsc does not emit into dist/: every plugin manifest (built-in
// plugins and the bench's fixture plugins) and the manifest JSON Schema.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

/** Folders of plugin folders whose `<plugin>/manifest.json` belong in dist. */
const pluginFolders = ['plugins', 'bench/fixtures/plugins'];
const files = ['manifest-schema/v1.json'];

for (const folder of pluginFolders) {
  const abs = join(root, folder);
  if (!existsSync(abs)) continue;
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const manifest = join(folder, entry.name, 'manifest.json');
    if (existsSync(join(root, manifest))) files.push(manifest);
  }
}

for (const file of files) {
  const from = join(root, file);
  if (!existsSync(from)) {
    console.error(`copy-assets: ${file} is missing`);
    process.exitCode = 1;
    continue;
  }
  const to = join(dist, file);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}
if (process.exitCode === undefined && process.env.COPY_ASSETS_VERBOSE) {
  console.log(`copy-assets: ${files.length} files → ${relative(root, dist)}/`);
}
