import { z } from 'portier/sdk';
import { NAMED_PATTERNS } from './chime-patterns.js';

/** The relays of the AXIS I8307-VE; the manual wires a door chime to relay 2. */
export const CHIME_RELAYS = ['relay-1', 'relay-2'] as const;

/**
 * The door chime's settings (the manifest declares them under
 * `contributes.settings`). Every field has a default, so a fresh install rings
 * a double strike ("ding-dong") on relay 2.
 */
export const chimeSettingsSchema = z
  .object({
    relay: z
      .enum(CHIME_RELAYS)
      .default('relay-2')
      .describe('The relay the chime is wired to as a potential-free contact (NO and COM pins). Free it in the I/O settings first (ports.<relay>.use = false).'),
    pulseMs: z
      .number()
      .int('expected whole milliseconds')
      .min(50, 'a strike shorter than 50 ms does not move a chime\'s striker')
      .max(5_000, 'at most 5000 ms: a longer strike only heats the chime\'s coil')
      .default(400)
      .describe('How long the contact stays closed for one strike, in milliseconds.'),
    gapMs: z
      .number()
      .int('expected whole milliseconds')
      .min(50, 'a gap shorter than 50 ms merges two strikes into one')
      .max(10_000)
      .default(600)
      .describe('How long the contact stays open between two strikes of a pattern, in milliseconds.'),
    pauseMs: z
      .number()
      .int('expected whole milliseconds')
      .min(200)
      .max(60_000)
      .default(2_000)
      .describe('How long the chime stays silent before a pattern repeats (when a ring has a duration), in milliseconds.'),
    defaultPattern: z
      .enum(NAMED_PATTERNS)
      .default('double')
      .describe('The pattern a ring uses when it names none.'),
    maxDurationSeconds: z
      .number()
      .int('expected whole seconds')
      .min(1)
      .max(600)
      .default(30)
      .describe('The longest a ring may last, in seconds; a rule asking for longer is refused.'),
  })
  .strict();

export type ChimeSettings = z.output<typeof chimeSettingsSchema>;
