import { z } from 'portier/sdk';

const name = z.string().trim().min(1, 'a port needs a name').max(40);

const relaySettings = z
  .object({
    use: z.boolean().default(true).describe('Claim this relay; off leaves it free for another plugin.'),
    name,
    normalState: z.enum(['fail-secure', 'fail-safe']).default('fail-secure').describe('Fail-secure: open at rest (lock stays locked without power). Fail-safe: closed at rest.'),
  })
  .strict();

const ioSettings = z
  .object({
    use: z.boolean().default(true).describe('Claim this I/O; off leaves it free for another plugin (a reader\'s LED or beeper line).'),
    name,
    direction: z.enum(['input', 'output']).default('input'),
    normalState: z.enum(['open', 'grounded']).default('open').describe('The level at rest: open (floating) or grounded (closed circuit).'),
  })
  .strict();

export const IO_PORT_IDS = ['relay-1', 'relay-2', 'io-1', 'io-2', 'io-3', 'io-4'] as const;
export type IoPortId = (typeof IO_PORT_IDS)[number];

export const ioSettingsSchema = z
  .object({
    ports: z
      .object({
        'relay-1': relaySettings.default({ use: true, name: 'Door', normalState: 'fail-secure' }),
        'relay-2': relaySettings.default({ use: true, name: 'Relay 2', normalState: 'fail-secure' }),
        'io-1': ioSettings.default({ use: true, name: 'I1', direction: 'input', normalState: 'open' }),
        'io-2': ioSettings.default({ use: true, name: 'I2', direction: 'input', normalState: 'open' }),
        'io-3': ioSettings.default({ use: true, name: 'I3', direction: 'input', normalState: 'open' }),
        'io-4': ioSettings.default({ use: true, name: 'I4', direction: 'input', normalState: 'open' }),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((settings, ctx) => {
    // Rules and the API find ports by name, so two ports may not share one.
    const seen = new Map<string, string>();
    for (const [id, port] of Object.entries(settings.ports)) {
      const key = port.name.toLowerCase();
      const other = seen.get(key);
      if (other !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['ports', id, 'name'], message: `"${port.name}" is already the name of ${other}` });
      }
      seen.set(key, id);
    }
  });

export type IoSettings = z.output<typeof ioSettingsSchema>;
export type RelayPortSettings = IoSettings['ports']['relay-1'];
export type IoPortSettings = IoSettings['ports']['io-1'];
