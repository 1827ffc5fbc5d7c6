import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { generatedManifestSchemaFiles } from '../../manifest-schema/generate.js';
import { MANIFEST_SCHEMA_ID } from '../../manifest-schema/schema.js';

const files = generatedManifestSchemaFiles();

describe('generated manifest schema files', () => {
  it.each(files.map((f) => [relative(process.cwd(), f.file), f] as const))('%s matches schema.ts', (name, { file, content }) => {
    let committed: string | undefined;
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      committed = undefined;
    }
    expect(committed, `${name} is missing or out of date with manifest-schema/schema.ts: run npm run schema`).toBe(content);
  });
});

describe('manifest-schema/v1.json', () => {
  const jsonFile = files.find((f) => f.file.endsWith('v1.json'))!;
  const schema = JSON.parse(readFileSync(jsonFile.file, 'utf8')) as { $id: string; title: string };
  const ajv = new Ajv2020.default({ allErrors: true });
  const validate = ajv.compile(schema);

  const valid = {
    $schema: MANIFEST_SCHEMA_ID,
    schemaVersion: 1,
    name: 'door-bell',
    displayName: 'Door bell',
    version: '1.2.0-beta.1',
    vendor: 'Example AB',
    main: './index.js',
    platform: '^1.0.0',
    requires: { io: '^1.0.0' },
    hardware: [{ kind: 'call-button', why: 'rings the bell' }],
    contributes: {
      events: { rang: { title: 'Bell rang', stateful: false } },
      actions: { ring: { title: 'Ring', lasts: 'fixed' } },
      routes: [{ method: 'POST', path: '/ring', role: 'operator' }],
    },
  };

  it('names itself', () => {
    expect(schema.$id).toBe(MANIFEST_SCHEMA_ID);
    expect(schema.title).toBe('Portier plugin manifest, version 1');
  });

  it('accepts a valid manifest, leaving defaulted fields out', () => {
    expect(validate(valid), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['a bad name', { name: 'Door-Bell' }, '/name'],
    ['a version without patch', { version: '1.0' }, '/version'],
    ['a version with a leading v', { version: 'v1.0.0' }, '/version'],
    ['a main outside ./', { main: 'index.js' }, '/main'],
    ['an unknown hardware kind', { hardware: [{ kind: 'laser', why: 'x' }] }, '/hardware/0/kind'],
    ['a wrong schema version', { schemaVersion: 2 }, '/schemaVersion'],
  ])('rejects %s', (_, change, pointer) => {
    expect(validate({ ...valid, ...change })).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(pointer);
  });

  it('rejects an unknown field and a missing one', () => {
    const { vendor: _, ...withoutVendor } = valid;
    expect(validate({ ...withoutVendor, colour: 'red' })).toBe(false);
    expect(validate.errors?.map((e) => [e.keyword, e.params])).toEqual(
      expect.arrayContaining([
        ['required', { missingProperty: 'vendor' }],
        ['additionalProperties', { additionalProperty: 'colour' }],
      ]),
    );
  });
});
