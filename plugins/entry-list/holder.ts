import { z } from 'portier/sdk';

/** The most holders an intercom keeps, as the manual says ("up to fifty credential holders"). */
export const MAX_HOLDERS = 50;

const name = z.string().trim().min(1, 'a name is needed').max(60);

/**
 * A card as the reader reports it: the card number (decimal) or the UID/CSN
 * or secure data (hex), as "Get latest" shows it. Compared without case and
 * without separators, so `04:A2:2B` and `04a22b` are the same card.
 */
export const cardSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[0-9A-Fa-f:\- ]+$/, 'expected the card number or UID as the reader shows it: digits and A–F, optionally separated by : or -')
  // Separators alone would be the empty card once normalised, matching an empty credential.
  .regex(/[0-9A-Fa-f]/, 'expected at least one digit or A–F: separators alone are no card');

export const pinSchema = z.string().regex(/^[0-9]{4,8}$/, 'expected a PIN of 4 to 8 digits');

/** When a holder's credentials open: always, a number of times, between dates, or while a schedule is active. */
export const validitySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('always') }).strict(),
  z
    .object({
      kind: z.literal('times'),
      remaining: z.number().int().min(0).max(100_000).describe('Granted uses left; each granted use takes one, durably'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('dates'),
      from: z.iso.datetime({ offset: true }).optional().describe('Valid from (ISO 8601)'),
      to: z.iso.datetime({ offset: true }).optional().describe('Valid to (ISO 8601)'),
    })
    .strict()
    .refine((v) => v.from === undefined || v.to === undefined || Date.parse(v.from) < Date.parse(v.to), { message: '"from" must be before "to"', path: ['to'] }),
  z.object({ kind: z.literal('schedule'), schedule: z.string().min(1).describe('The id of a schedule (GET /api/v1/schedules)') }).strict(),
]);

const holderFields = z
  .object({
    firstName: name.describe('Unique among the holders (as the manual requires)'),
    lastName: name.optional(),
    card: cardSchema.optional(),
    pin: pinSchema.optional(),
    validity: validitySchema.default({ kind: 'always' }),
  })
  .strict();

const hasCredential = (h: { card?: string | undefined; pin?: string | undefined }): boolean => h.card !== undefined || h.pin !== undefined;
const needsCredential = (): { message: string; path: string[] } => ({ message: 'a holder needs a card, a PIN or both', path: ['card'] });

export const holderInputSchema = holderFields.refine(hasCredential, needsCredential());

/** What the API shows instead of a PIN; sent back in a change, it means "keep the PIN". */
export const PIN_MASK = '****';

/**
 * A change to a holder (PUT): what GET showed, edited, is accepted, so the
 * masked PIN keeps the stored one; a validity left out is kept too, never
 * widened to "always" by a default.
 */
export const holderUpdateSchema = holderFields
  .extend({
    pin: z.union([pinSchema, z.literal(PIN_MASK)]).optional().describe(`A PIN of 4 to 8 digits, or ${PIN_MASK} to keep the current one`),
    validity: validitySchema.optional().describe('Left out: the current validity stays'),
  })
  .refine(hasCredential, needsCredential());

export type HolderInput = z.input<typeof holderInputSchema>;
export type HolderUpdate = z.input<typeof holderUpdateSchema>;
export type Validity = z.output<typeof validitySchema>;

export interface Holder extends z.output<typeof holderInputSchema> {
  id: string;
  createdAt: number;
}

/** A card number in the form holders are matched by. */
export function normaliseCard(card: string): string {
  return card.replace(/[:\- ]/g, '').toUpperCase();
}
