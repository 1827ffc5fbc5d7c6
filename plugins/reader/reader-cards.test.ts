/**
 * The reader on the SDK harness (a real kernel in memory, fake time, the
 * simulated intercom): chip types on and off, data sets with the right and a
 * wrong key, "use as UID" and "required data", PINs, "Get latest", the
 * credentials service and the feedback action.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIALS_SERVICE, type PresentedCredential, z } from 'portier/sdk';
import { readerSettingsSchema } from './reader-settings.js';
import { type Harness, type HarnessOptions, startHarness } from 'portier/sdk/testing';

const KEY = '00112233445566778899AABBCCDDEEFF';
const DESFIRE = {
  chipType: 'mifare-desfire-ev3' as const,
  uid: '04A1B2C3D4E5F6',
  protectedData: [{ location: 'app:F51CD8/file:1', key: KEY, data: '0000BC614E' }],
};
const dataSet = (extra: Record<string, unknown> = {}) => ({ chipType: 'mifare-desfire-ev3', location: 'app:F51CD8/file:1', key: KEY.toLowerCase(), ...extra });

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start(settings: Record<string, unknown> = {}, options: HarnessOptions = {}): Promise<Harness> {
  h = await startHarness({ plugins: ['io', 'reader'], settings: { reader: settings }, ...options });
  expect(h.plugin('reader').state).toBe('running');
  return h;
}

const presented = (h: Harness) => h.events('reader/credential-presented').map((e) => e.payload);

describe('reader: chip types', () => {
  it('every chip type is on by default; a card becomes credential-presented with its UID', async () => {
    const h = await start();
    await h.presentCard({ chipType: 'em4102', uid: '0102030405' });
    await h.presentCard({ chipType: 'mifare-classic', uid: 'a1b2c3d4' });
    expect(presented(h)).toEqual([
      { kind: 'card', credential: '0102030405', chipType: 'em4102' },
      { kind: 'card', credential: 'A1B2C3D4', chipType: 'mifare-classic' },
    ]);
  });

  it('ignores a card whose chip type is off, and takes it once it is on again', async () => {
    const h = await start({ chipTypes: { 'hid-prox': false } });
    await h.presentCard({ chipType: 'hid-prox', uid: '0A0B0C' });
    expect(presented(h)).toEqual([]);
    await expect(h.kernel.settings.replace('reader', { chipTypes: { 'hid-prox': true } })).toBeDefined();
    await h.advance(1000);
    await h.presentCard({ chipType: 'hid-prox', uid: '0A0B0C' });
    expect(presented(h)).toEqual([{ kind: 'card', credential: '0A0B0C', chipType: 'hid-prox' }]);
  });
});

describe('reader: data sets (protected data on cards)', () => {
  it('with the right key and "use as UID", the protected data is the credential', async () => {
    const h = await start({ dataSets: [dataSet({ useAsUid: true })] });
    await h.presentCard(DESFIRE);
    expect(presented(h)).toEqual([{ kind: 'card', credential: '0000BC614E', chipType: 'mifare-desfire-ev3' }]);
  });

  it('without "use as UID" the UID goes out, after the data was read', async () => {
    const h = await start({ dataSets: [dataSet({ required: true })] });
    await h.presentCard(DESFIRE);
    expect(presented(h)).toEqual([{ kind: 'card', credential: '04A1B2C3D4E5F6', chipType: 'mifare-desfire-ev3' }]);
  });

  it('a wrong key with "required data": the card is silently ignored', async () => {
    const h = await start({ dataSets: [dataSet({ key: 'FF'.repeat(16), required: true, useAsUid: true })] });
    await h.presentCard(DESFIRE);
    await h.presentCard({ chipType: 'mifare-desfire-ev3', uid: '04FFFFFFFFFFFF' }); // no data at all
    expect(presented(h)).toEqual([]);
    expect(h.readerFeedback().beeps).toEqual([]);
  });

  it('a wrong key without "required data": the card goes out by its UID', async () => {
    const h = await start({ dataSets: [dataSet({ key: 'FF'.repeat(16), useAsUid: true })] });
    await h.presentCard(DESFIRE);
    expect(presented(h)).toEqual([{ kind: 'card', credential: '04A1B2C3D4E5F6', chipType: 'mifare-desfire-ev3' }]);
  });

  it('a data set applies to its chip type only', async () => {
    const h = await start({ dataSets: [dataSet({ required: true })] });
    await h.presentCard({ chipType: 'mifare-classic', uid: '11223344' });
    expect(presented(h)).toEqual([{ kind: 'card', credential: '11223344', chipType: 'mifare-classic' }]);
  });

  it('the secrets are marked writeOnly, so the API masks them and exports placeholders', () => {
    const schema = z.toJSONSchema(readerSettingsSchema, { io: 'input' }) as any;
    expect(schema.properties.dataSets.items.properties.key.writeOnly).toBe(true);
    expect(schema.properties.connection.properties.osdp.properties.scbk.writeOnly).toBe(true);
    expect(schema.properties.connection.properties.network.properties.password.writeOnly).toBe(true);
  });
});

describe('reader: PINs, Get latest, the credentials service, feedback', () => {
  it('a PIN typed on the display is a credential; latestCard is the last card only', async () => {
    const h = await start();
    const service = h.service(CREDENTIALS_SERVICE);
    const seen: PresentedCredential[] = [];
    service.onPresented((c) => seen.push(c));
    expect(service.latestCard()).toBeUndefined();

    await h.presentCard({ chipType: 'ntag', uid: '04112233445566' });
    const cardAt = h.now();
    await h.advance(2000);
    await h.typePin('4711#');
    expect(presented(h)).toEqual([
      { kind: 'card', credential: '04112233445566', chipType: 'ntag' },
      // Events are read by every viewer and kept in the event log: a PIN's digits never go there.
      { kind: 'pin', credential: '****' },
    ]);
    expect(seen).toEqual([
      { kind: 'card', value: '04112233445566', chipType: 'ntag', at: cardAt },
      { kind: 'pin', value: '4711#', at: h.now() },
    ]);
    expect(service.latestCard()).toEqual({ kind: 'card', value: '04112233445566', chipType: 'ntag', at: cardAt });
    expect(service.controller()).toBeUndefined();
  });

  it('signal() shows the decision on the reader, then the LED goes back to idle', async () => {
    const h = await start();
    const service = h.service(CREDENTIALS_SERVICE);
    service.signal('granted');
    expect(h.readerFeedback()).toMatchObject({ led: 'green', lastBeep: 'short' });
    await h.advance(3000);
    expect(h.readerFeedback().led).toBe('off');
    service.signal('denied');
    expect(h.readerFeedback()).toMatchObject({ led: 'red', lastBeep: 'error' });
  });

  it('the feedback action and the led-color condition', async () => {
    const h = await start();
    h.createRule({
      name: 'Card seen',
      trigger: { event: 'reader/credential-presented', filter: { kind: 'card' } },
      actions: [{ type: 'reader/feedback', params: { led: 'amber', beep: 'double', duration: 2 } }],
    });
    await h.presentCard({ chipType: 'seos', uid: '0102030405060708' });
    await h.advance(0);
    expect(h.readerFeedback()).toMatchObject({ led: 'amber', lastBeep: 'double' });
    expect(h.events('reader/led').at(-1)?.payload).toEqual({ reader: 'rfid', color: 'amber' });
    await h.advance(2000);
    expect(h.readerFeedback().led).toBe('off');
    expect(() =>
      h!.createRule({ name: 'Bad', trigger: { event: 'reader/credential-presented' }, actions: [{ type: 'reader/feedback', params: {} }] }),
    ).toThrow(/led/);
  });

  it('stopping the reader gives the RFID reader back', async () => {
    const h = await start();
    await h.kernel.host.stop('reader');
    expect(h.kernel.ports.holder('rfid')).toBeUndefined();
  });
});
