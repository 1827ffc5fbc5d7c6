/**
 * The manual's wired example ("Set up as card reader using a door
 * controller"): Wiegand, beeper on I3, LED1 on I1, FourBit keypress. What the
 * connector sent is decoded back with the Wiegand codec's receiver, as the
 * door controller would, parity checked. And the port conflict the manual
 * warns about is refused with the holder's name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from 'portier/sdk/testing';
import { decodePulseTrain, fourBit, h10301, csn32, pin26Bit } from './wiegand/index.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** The io plugin holds all four I/O by default; the manual's example needs I1 and I3 for the reader. */
const ioFreesI1AndI3 = { ports: { 'io-1': { use: false, name: 'I1' }, 'io-3': { use: false, name: 'I3' } } };

const manualExample = (wiegand: Record<string, unknown> = {}) => ({
  connection: {
    type: 'wiegand',
    wiegand: {
      cardFormat: 'h10301',
      keypressFormat: 'fourbit',
      beeper: { enabled: true, input: 'io-3' },
      led: { inputs: 1, led1Input: 'io-1', colors: { idle: 'red', led1: 'green' } },
      ...wiegand,
    },
  },
});

async function start(reader: Record<string, unknown>, io: Record<string, unknown> = ioFreesI1AndI3): Promise<Harness> {
  h = await startHarness({ plugins: ['io', 'reader'], settings: { io, reader } });
  return h;
}

/** The frames of every train sent so far, as a controller's receiver reads them. */
function receivedFrames(h: Harness) {
  return h.wiegandTrains().flatMap((train) => decodePulseTrain(train.pulses));
}

describe('reader: Wiegand, the manual example', () => {
  it('claims the connector in Wiegand mode and I1/I3 as inputs', async () => {
    const h = await start(manualExample());
    expect(h.plugin('reader').state).toBe('running');
    expect(h.readerConnector()).toEqual({ mode: 'wiegand', baudRate: 9600, owner: 'reader' });
    expect(h.kernel.ports.holder('io-1')?.owner).toBe('reader');
    expect(h.kernel.ports.holder('io-3')?.owner).toBe('reader');
    expect(h.kernel.ports.holder('io-2')?.owner).toBe('io');
    expect(h.ioLine('io-1').direction).toBe('input');
  });

  it('a PIN goes out key by key in FourBit, ending with #', async () => {
    const h = await start(manualExample());
    await h.typePin('1234');
    const frames = receivedFrames(h);
    expect(frames.map((f) => f.problems)).toEqual([[], [], [], [], []]);
    expect(frames.map((f) => fourBit.decodeKey(f.bits))).toEqual(['1', '2', '3', '4', '#']);
    // The default timing of the usual interface: 50 µs pulses every 2 ms.
    const [train] = h.wiegandTrains();
    expect(train!.pulses.slice(0, 2).map((p) => [p.atMicros, p.widthMicros])).toEqual([
      [0, 50],
      [2000, 50],
    ]);
  });

  it('a card goes out as H10301 with parity: facility code and card number from the low bits of its number', async () => {
    const h = await start(manualExample());
    await h.presentCard({ chipType: 'hid-prox', uid: '2A3039' }); // FC 0x2A = 42, card 0x3039 = 12345
    const [frame, ...more] = receivedFrames(h);
    expect(more).toEqual([]);
    expect(frame!.bits).toHaveLength(26);
    expect(h10301.decode(frame!.bits)).toEqual({ facilityCode: 42, cardNumber: 12345 });
    // One bit flipped on the way: the controller's parity check catches it.
    const damaged = Uint8Array.from(frame!.bits);
    damaged[5] = damaged[5]! ^ 1;
    expect(h10301.tryDecode(damaged)).toMatchObject({ ok: false, error: { code: 'WIEGAND_PARITY' } });
  });

  it('the configured pulse timing and card format are used', async () => {
    const h = await start(manualExample({ cardFormat: 'csn-32', keypressFormat: '26-bit-pin', pulseWidthMicros: 100, pulseIntervalMicros: 1000 }));
    await h.presentCard({ chipType: 'mifare-classic', uid: 'DEADBEEF' });
    await h.typePin('4711#');
    const trains = h.wiegandTrains();
    expect(trains[0]!.pulses[1]).toMatchObject({ atMicros: 1000, widthMicros: 100 });
    const frames = trains.flatMap((t) => decodePulseTrain(t.pulses, { pulseIntervalMicros: 1000 }));
    expect(csn32.decode(frames[0]!.bits)).toEqual({ uid: 'DEADBEEF' });
    expect(pin26Bit.decodePin(frames[1]!.bits)).toMatchObject({ pin: '4711' });
  });

  it('a PIN the 26-bit format cannot carry is not sent, and its digits stay out of the log', async () => {
    const h = await start(manualExample({ keypressFormat: '26-bit-pin' }));
    await h.typePin('987654#');
    expect(h.wiegandTrains()).toEqual([]);
    const lines = h.kernel.pluginLogs.read('reader');
    expect(lines.some((l) => l.message === 'PIN not sent over Wiegand')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('987654');
  });

  it('the controller drives the beeper through I3 and the LED through I1', async () => {
    const h = await start(manualExample());
    expect(h.readerFeedback().led).toBe('red');
    h.setInput('io-3', true);
    expect(h.readerFeedback().lastBeep).toBe('short');
    h.setInput('io-1', true);
    expect(h.readerFeedback().led).toBe('green');
    expect(h.events('reader/led').at(-1)?.payload).toEqual({ reader: 'rfid', color: 'green' });
    h.setInput('io-1', false);
    expect(h.readerFeedback().led).toBe('red');
  });

  it('back to standalone: the connector and inputs are given back, and the LED rests at idle again', async () => {
    const h = await start(manualExample());
    h.setInput('io-1', true);
    expect(h.readerFeedback().led).toBe('green');
    h.kernel.settings.replace('reader', {});
    expect(h.readerFeedback().led).toBe('off');
    expect(h.readerConnector().owner).toBeUndefined();
    expect(h.kernel.ports.holder('io-1')).toBeUndefined();
    await h.typePin('1234');
    expect(h.wiegandTrains()).toEqual([]);
  });

  it('stopping the reader gives back the connector and the inputs', async () => {
    const h = await start(manualExample());
    await h.kernel.host.stop('reader');
    expect(h.readerConnector().owner).toBeUndefined();
    expect(h.kernel.ports.holder('io-1')).toBeUndefined();
    expect(h.kernel.ports.holder('io-3')).toBeUndefined();
  });
});

describe('reader: Wiegand port conflicts', () => {
  it('I3 held by the io plugin: the reader fails to start, naming io as the holder', async () => {
    const h = await start(manualExample(), { ports: { 'io-1': { use: false, name: 'I1' } } });
    const reader = h.plugin('reader');
    expect(reader.state).toBe('failed');
    expect(reader.failure).toMatchObject({
      code: 'PORT_CLAIMED',
      message: expect.stringContaining('Port io-3 (I/O 3) is already claimed by plugin "io"'),
    });
    // What the reader had claimed before the conflict was given back; io keeps running.
    expect(h.readerConnector().owner).toBeUndefined();
    expect(h.kernel.ports.holder('io-1')).toBeUndefined();
    expect(h.plugin('io').state).toBe('running');
  });

  it('switching to Wiegand on a running reader while io holds I3 is refused, and the reader stays standalone', async () => {
    const h = await start({}, { ports: { 'io-1': { use: false, name: 'I1' } } });
    expect(() => h.kernel.settings.replace('reader', manualExample())).toThrow(/io-3.*already claimed by plugin "io"/);
    expect(h.plugin('reader').state).toBe('running');
    expect(h.readerConnector().owner).toBeUndefined();
    await h.presentCard({ chipType: 'em4102', uid: '0102030405' });
    expect(h.events('reader/credential-presented')).toHaveLength(1);
  });
});
