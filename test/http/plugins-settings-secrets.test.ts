import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SECRET_MASK, keepMaskedSecrets, maskSecrets, secretPaths } from '../../platform/http/schemas/secret-settings.js';

const secret = () => z.string().meta({ writeOnly: true });

const schema = z
  .object({
    server: z.string(),
    password: secret().optional(),
    accounts: z.array(z.object({ user: z.string(), pin: secret() })).default([]),
    tokens: z.record(z.string(), secret()).default({}),
    mqtt: z.object({ host: z.string(), key: secret().nullable() }).prefault({ host: 'localhost', key: null }),
  })
  .strict();

describe('secret settings', () => {
  it('finds the fields a plugin marks writeOnly, in objects, arrays and records', () => {
    expect(secretPaths(schema)).toEqual([['password'], ['accounts', null, 'pin'], ['tokens', null], ['mqtt', 'key']]);
    expect(secretPaths(z.object({ name: z.string() }))).toEqual([]);
  });

  it('masks every secret that has a value, and nothing else', () => {
    const value = {
      server: 'pbx.example',
      password: 'hunter2',
      accounts: [{ user: 'a', pin: '1234' }, { user: 'b', pin: '9876' }],
      tokens: { one: 't1' },
      mqtt: { host: 'broker', key: null },
    };
    expect(maskSecrets(value, secretPaths(schema))).toEqual({
      server: 'pbx.example',
      password: SECRET_MASK,
      accounts: [{ user: 'a', pin: SECRET_MASK }, { user: 'b', pin: SECRET_MASK }],
      tokens: { one: SECRET_MASK },
      mqtt: { host: 'broker', key: null },
    });
    expect(value.password).toBe('hunter2');
    expect(maskSecrets({ server: 'x' }, secretPaths(schema))).toEqual({ server: 'x' });
  });

  it('reads the mask sent back as "keep the stored secret", and a new value as a change', () => {
    const stored = { server: 'pbx', password: 'hunter2', accounts: [{ user: 'a', pin: '1234' }], tokens: { one: 't1' } };
    const edited = { server: 'pbx2', password: SECRET_MASK, accounts: [{ user: 'a', pin: '0000' }], tokens: { one: SECRET_MASK, two: SECRET_MASK } };
    expect(keepMaskedSecrets(edited, stored, secretPaths(schema))).toEqual({
      server: 'pbx2',
      password: 'hunter2',
      accounts: [{ user: 'a', pin: '0000' }],
      tokens: { one: 't1', two: SECRET_MASK },
    });
  });
});
