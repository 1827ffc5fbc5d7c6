/**
 * `npm run schema`: rewrites the committed JSON Schema and field reference from
 * manifest-schema/schema.ts. Run it after changing the schema; a test fails
 * until the outputs are regenerated and committed.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { generatedManifestSchemaFiles } from '../manifest-schema/generate.js';

for (const { file, content } of generatedManifestSchemaFiles()) {
  writeFileSync(file, content);
  console.log(`wrote ${relative(process.cwd(), file) || file}`);
}
