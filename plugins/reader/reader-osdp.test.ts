/**
 * The reader as an OSDP peripheral on the simulator's RS-485, driven by the
 * test controller (an ACU written from the specification, with its own
 * framing and crypto): poll, a card read as osdp_RAW, a PIN as osdp_KEYPAD,
 * LED and buzzer commands reflected on the reader, a secure channel in
 * install mode, a new key and address from the controller kept across a
 * restart of the plugin.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from 'portier/sdk/testing';
import type { ByteStream } from './osdp/index.js';
import { CMD, REPLY, TestController } from './osdp/test-support/test-controller.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** The controller's end of the simulated RS-485 line. */
function controllerEnd(h: Harness): ByteStream {
  return {
    write: (bytes) => void h.sendToDevice(bytes),
    onData: (listener) => h.onDeviceBytes(listener),
  };
}

async function start(osdp: Record<string, unknown> = {}): Promise<{ h: Harness; acu: TestController }> {
  h = await startHarness({ plugins: ['io', 'reader'], settings: { reader: { connection: { type: 'osdp', osdp: { address: 3, ...osdp } } } } });
  expect(h.plugin('reader').state).toBe('running');
  return { h, acu: new TestController(controllerEnd(h), { address: 3 }) };
}

describe('reader: OSDP', () => {
  it('claims the connector for RS-485 and answers polls, ID and a card as RAW', async () => {
    const { h, acu } = await start();
    expect(h.readerConnector()).toEqual({ mode: 'rs485', baudRate: 9600, owner: 'reader' });
    expect((await acu.poll()).code).toBe(REPLY.ACK);
    expect((await acu.id()).code).toBe(REPLY.PDID);

    await h.presentCard({ chipType: 'mifare-classic', uid: 'DEADBEEF' });
    const raw = await acu.poll();
    expect(raw.code).toBe(REPLY.RAW);
    // reader 0, format 0 (raw bits), 32 bits, then the UID as it is.
    expect([...raw.plain]).toEqual([0, 0, 32, 0, 0xde, 0xad, 0xbe, 0xef]);
    expect((await acu.poll()).code).toBe(REPLY.ACK);

    await h.typePin('4711#');
    const keypad = await acu.poll();
    expect(keypad.code).toBe(REPLY.KEYPAD);
    expect(Buffer.from(keypad.plain.slice(2)).toString('latin1')).toBe('4711\r');
    // The platform saw both as well.
    expect(h.events('reader/credential-presented').map((e) => e.payload.kind)).toEqual(['card', 'pin']);
  });

  it("a card of a chip type that is off never reaches the controller", async () => {
    const { h, acu } = await start();
    h.kernel.settings.replace('reader', { chipTypes: { 'mifare-classic': false }, connection: { type: 'osdp', osdp: { address: 3 } } });
    await h.presentCard({ chipType: 'mifare-classic', uid: 'DEADBEEF' });
    expect((await acu.poll()).code).toBe(REPLY.ACK);
  });

  it("the controller's LED and buzzer commands show on the reader", async () => {
    const { h, acu } = await start();
    // Permanent red; green for 3 s (30 × 100 ms); then back to red.
    expect((await acu.led({ onColor: 2, timer: 30, permanentColor: 1 })).code).toBe(REPLY.ACK);
    expect(h.readerFeedback().led).toBe('green');
    await h.advance(3000);
    expect(h.readerFeedback().led).toBe('red');
    expect(h.events('reader/led').at(-1)?.payload).toEqual({ reader: 'rfid', color: 'red' });

    expect((await acu.buzzer({ onTime: 2, offTime: 1, count: 1 })).code).toBe(REPLY.ACK);
    expect(h.readerFeedback().lastBeep).toBe('short');
    expect((await acu.buzzer({ onTime: 2, offTime: 1, count: 3 })).code).toBe(REPLY.ACK);
    expect(h.readerFeedback().lastBeep).toBe('double');
  });

  it('secure channel on the default key in install mode; a new key and address from the controller survive a restart', async () => {
    const { h, acu } = await start();
    await acu.establishSecureChannel();
    expect(acu.secure).toBe(true);
    expect((await acu.poll()).authenticated).toBe(true);

    const key = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
    expect((await acu.keyset(key)).code).toBe(REPLY.ACK);
    expect((await acu.comset(5, 19200)).code).toBe(REPLY.COM);
    expect(h.readerConnector().baudRate).toBe(19200);

    await h.kernel.host.stop('reader');
    await h.kernel.host.start('reader');
    expect(h.plugin('reader').state).toBe('running');
    expect(h.readerConnector()).toEqual({ mode: 'rs485', baudRate: 19200, owner: 'reader' });

    const again = new TestController(controllerEnd(h), { address: 5 });
    // Install mode is over: the default key is refused, the controller's key works.
    await expect(again.establishSecureChannel()).rejects.toThrow();
    again.restart();
    await again.establishSecureChannel({ scbk: key });
    expect(again.secure).toBe(true);
    await h.presentCard({ chipType: 'ntag', uid: '04112233445566' });
    const raw = await again.poll();
    expect(raw.code).toBe(REPLY.RAW);
    expect(raw.authenticated).toBe(true);
    expect([...raw.plain.slice(4)]).toEqual([0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
  });

  it('with "require secure channel", a plain poll is refused (NAK 0x06) until the controller sets up a session', async () => {
    const { acu } = await start({ requireSecureChannel: true });
    const refused = await acu.poll();
    expect(refused.code).toBe(REPLY.NAK);
    expect([...refused.plain]).toEqual([0x06]);
    await acu.establishSecureChannel();
    expect((await acu.poll()).code).toBe(REPLY.ACK);
  });

  it('new OSDP settings from the integrator take over from what the controller set', async () => {
    const { h, acu } = await start();
    expect((await acu.comset(5, 19200)).code).toBe(REPLY.COM);
    h.kernel.settings.replace('reader', { connection: { type: 'osdp', osdp: { address: 7 } } });
    expect(h.readerConnector().baudRate).toBe(9600);
    const seven = new TestController(controllerEnd(h), { address: 7 });
    expect((await seven.command(CMD.POLL)).code).toBe(REPLY.ACK);
  });
});
