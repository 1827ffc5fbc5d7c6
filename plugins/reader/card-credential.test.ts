/**
 * cardCredential on its own, with cards a simulated reader cannot make: a
 * driver that answers an empty location with no bytes rather than undefined.
 */
import { describe, expect, it } from 'vitest';
import type { PresentedCard } from 'portier/sdk';
import { cardCredential } from './card-credential.js';
import { readerSettingsSchema } from './reader-settings.js';

const KEY = '00112233445566778899AABBCCDDEEFF';

function card(data: string | undefined): PresentedCard {
  return { chipType: 'mifare-desfire-ev3', uid: '04A1B2C3D4E5F6', at: 0, present: true, readProtected: async () => data };
}

const settings = (extra: Record<string, unknown>) =>
  readerSettingsSchema.parse({ dataSets: [{ chipType: 'mifare-desfire-ev3', location: 'app:F51CD8/file:1', key: KEY, ...extra }] });

describe('a card whose protected data is empty', () => {
  it('is a card without the data: ignored when the data is required, its UID otherwise — never an empty credential', async () => {
    expect(await cardCredential(card(''), settings({ useAsUid: true, required: true }))).toBeUndefined();
    expect(await cardCredential(card(''), settings({ useAsUid: true }))).toBe('04A1B2C3D4E5F6');
    expect(await cardCredential(card('0000BC614E'), settings({ useAsUid: true, required: true }))).toBe('0000BC614E');
  });
});
