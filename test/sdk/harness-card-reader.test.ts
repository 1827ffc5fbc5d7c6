import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PortierError } from '../../sdk/errors.js';
import type { HarnessOptions } from '../../sdk/testing/index.js';
import { harnessPerTest } from '../support/harness-per-test.js';

const CARD_ECHO = fileURLToPath(new URL('./fixtures/card-echo/', import.meta.url));
const withCardEcho = (settings: Record<string, unknown> = {}): HarnessOptions => ({ pluginPaths: [CARD_ECHO], settings: { 'card-echo': settings } });

const DESFIRE = {
  chipType: 'mifare-desfire-ev3' as const,
  uid: '04a1b2c3d4e5f6',
  protectedData: [{ location: 'app:F51CD8/file:1', key: '00112233445566778899AABBCCDDEEFF', data: '0000BC614E' }],
};

/** A plugin author tests a reader plugin on the harness, with no intercom. */
describe('the harness as a card reader', () => {
  const harnesses = harnessPerTest();

  it('presents a card on fake time; the plugin reads its protected data with the right key, shows green and sends Wiegand', async () => {
    const h = await harnesses.start(withCardEcho({ location: 'app:F51CD8/file:1', key: '00112233445566778899aabbccddeeff' }));
    expect(h.readerConnector()).toEqual({ mode: 'wiegand', baudRate: 9600, owner: 'card-echo' });

    const card = await h.presentCard(DESFIRE);
    expect(card).toMatchObject({ chipType: 'mifare-desfire-ev3', uid: '04A1B2C3D4E5F6', at: h.now(), present: true });
    expect(h.events('card-echo/card').map((e) => e.payload)).toEqual([
      { chipType: 'mifare-desfire-ev3', uid: '04A1B2C3D4E5F6', at: h.now(), data: '0000BC614E' },
    ]);
    expect(h.readerFeedback()).toEqual({ led: 'green', lastBeep: 'short', beeps: [{ beep: 'short', at: h.now() }] });
    const [train] = h.wiegandTrains();
    expect(train).toMatchObject({ seq: 1, at: h.now(), bits: '00000100' });
    expect(train?.pulses[5]).toEqual({ line: 'D1', atMicros: 10_000, widthMicros: 50 });

    // A swipe: the card leaves after 500 ms of fake time, and cannot be read any more.
    await h.advance(499);
    expect(card.present).toBe(true);
    await h.advance(1);
    expect(card.present).toBe(false);
    expect(h.events('card-echo/card-left').map((e) => e.payload)).toEqual([{ uid: '04A1B2C3D4E5F6', present: false }]);
    await expect(card.readProtected('app:F51CD8/file:1', DESFIRE.protectedData[0]!.key)).rejects.toMatchObject({ code: 'CARD_GONE' });
  });

  it('a wrong key reads nothing, as a card refusing authentication: red and the error beep', async () => {
    const h = await harnesses.start(withCardEcho({ location: 'app:F51CD8/file:1', key: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF' }));
    await h.presentCard(DESFIRE, { holdMs: Number.POSITIVE_INFINITY });
    expect(h.events('card-echo/card').at(-1)?.payload).toMatchObject({ data: null });
    expect(h.readerFeedback()).toMatchObject({ led: 'red', lastBeep: 'error' });
    await h.advanceSeconds(3600);
    expect(h.simulator.cardInField()?.uid).toBe('04A1B2C3D4E5F6');
    await h.removeCard();
    expect(h.simulator.cardInField()).toBeUndefined();
  });

  it('delivers a PIN typed on the keypad and refuses keys the keypad does not have', async () => {
    const h = await harnesses.start(withCardEcho());
    await h.typePin('1234#');
    expect(h.events('card-echo/pin').map((e) => e.payload)).toEqual([{ digits: '1234#', at: h.now() }]);
    await expect(h.typePin('12a4')).rejects.toMatchObject({ code: 'PIN_INVALID', message: 'The keypad has digits, * and #; "a" in the PIN is not a key.' });
    await expect(h.typePin('')).rejects.toMatchObject({ code: 'PIN_INVALID' });
    await expect(h.presentCard({ chipType: 'mifare-ultralight' as never, uid: '04A2' })).rejects.toBeInstanceOf(PortierError);
  });

  it('talks RS-485 both ways with a plugin that set the connector to RS-485', async () => {
    const h = await harnesses.start(withCardEcho({ connector: 'rs485' }));
    expect(h.readerConnector()).toEqual({ mode: 'rs485', baudRate: 9600, owner: 'card-echo' });
    const heard: string[] = [];
    h.onDeviceBytes((bytes) => heard.push(Buffer.from(bytes).toString('hex')));
    await h.sendToDevice('53 00 08 00');
    await h.sendToDevice(Uint8Array.of(0xff, 0x01));
    expect(h.events('card-echo/rs485').map((e) => e.payload)).toEqual([{ hex: '53000800' }, { hex: 'ff01' }]);
    expect(heard).toEqual(['00080053', '01ff']);
    expect(Buffer.from(h.deviceBytes()).toString('hex')).toBe('0008005301ff');
    // No Wiegand in RS-485 mode: the card is still read, nothing is sent.
    await h.presentCard({ chipType: 'em4102', uid: '0F00A1B2C3' });
    expect(h.wiegandTrains()).toEqual([]);
  });

  it('stops delivering when the plugin stops, and the connector goes off', async () => {
    const h = await harnesses.start(withCardEcho({ connector: 'rs485' }));
    await h.kernel.host.stop('card-echo');
    expect(h.readerConnector()).toEqual({ mode: 'off', baudRate: 9600 });
    expect(h.readerFeedback().led).toBe('off');
    await h.presentCard(DESFIRE);
    await h.typePin('1234');
    expect(h.events('card-echo/card')).toEqual([]);
    expect(h.events('card-echo/pin')).toEqual([]);
    await expect(h.sendToDevice('53')).rejects.toMatchObject({ code: 'READER_CONNECTOR_NOT_RS485' });
  });
});
