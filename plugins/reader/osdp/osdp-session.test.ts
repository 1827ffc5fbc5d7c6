/**
 * An OSDP session end to end: the test controller (an ACU written from the
 * specification, with its own framing and crypto) drives the PD over an
 * in-memory RS-485 link that cuts every write into random chunks. Poll loop,
 * ID, CAP, a card read as osdp_RAW, LED and buzzer; then the secure channel
 * in install mode on SCBK-D, osdp_KEYSET of a new key, and a new session on it.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { connectPeripheral } from './byte-stream.js';
import type { OsdpPeripheralEvents } from './peripheral-events.js';
import type { OsdpPeripheralOptions } from './osdp-peripheral.js';
import { buildCommand } from './test-support/acu-frames.js';
import { createByteLink } from './test-support/byte-link.js';
import { ManualClock } from './test-support/manual-clock.js';
import { SeededRandom } from '../../../test/support/seeded-random.js';
import { CMD, REPLY, TestController } from './test-support/test-controller.js';

const identity = { vendorCode: 0x0a0b0c, model: 7, version: 2, serialNumber: 0x01020304, firmware: { major: 3, minor: 1, build: 4 } };
const disconnects: (() => void)[] = [];

afterEach(() => {
  while (disconnects.length) disconnects.pop()!();
});

function rig(options: Partial<Omit<OsdpPeripheralOptions, 'transmit'>> = {}, seed = 1) {
  const [acuEnd, pdEnd] = createByteLink({ random: new SeededRandom(seed), maxChunk: 6 });
  const clock = new ManualClock();
  const pdRandom = new SeededRandom(seed + 100);
  const { peripheral, disconnect } = connectPeripheral(pdEnd, { address: 3, identity, now: clock.now, random: (n) => pdRandom.bytes(n), ...options });
  disconnects.push(disconnect);
  const acuRandom = new SeededRandom(seed + 200);
  const acu = new TestController(acuEnd, { address: 3, random: (n) => acuRandom.bytes(n) });
  const events: { [K in keyof OsdpPeripheralEvents]?: OsdpPeripheralEvents[K][] } = {};
  for (const name of ['led', 'buzzer', 'comset', 'keyset', 'online', 'offline', 'secureChannel'] as const) {
    peripheral.on(name, (payload) => ((events[name] ??= []) as unknown[]).push(payload));
  }
  return { pd: peripheral, acu, clock, events, pdEnd };
}

describe('OSDP session over a byte stream', () => {
  it('poll loop, ID, CAP, a card read as RAW, LED and buzzer', async () => {
    const { pd, acu, events } = rig();
    // Start-up as an ACU does it: sequence 0, then a run of polls before declaring the PD online.
    for (let i = 0; i < 7; i++) expect((await acu.poll()).code).toBe(REPLY.ACK);
    expect(acu.sequence).toBe(1); // 0, 1, 2, 3, 1, 2, 3 — 0 is not reused
    expect(events.online).toEqual([{ address: 3 }]);

    const pdid = await acu.id();
    expect(pdid.code).toBe(REPLY.PDID);
    expect([...pdid.plain]).toEqual([0x0c, 0x0b, 0x0a, 7, 2, 4, 3, 2, 1, 3, 1, 4]);
    const pdcap = await acu.cap();
    expect(pdcap.code).toBe(REPLY.PDCAP);
    const functions = [...pdcap.plain].filter((_, i) => i % 3 === 0);
    expect(functions).toEqual(expect.arrayContaining([3, 4, 5, 8, 9, 10]));

    // A card is presented between two polls: the next poll carries it.
    expect((await acu.poll()).code).toBe(REPLY.ACK);
    pd.presentCard({ bits: '0'.repeat(5) + '1'.repeat(21), format: 'wiegand' });
    const raw = await acu.poll();
    expect(raw.code).toBe(REPLY.RAW);
    expect([...raw.plain.slice(0, 4)]).toEqual([0, 1, 26, 0]);
    expect([...raw.plain.slice(4)]).toEqual([0b00000111, 0xff, 0xff, 0b11000000]);
    expect((await acu.poll()).code).toBe(REPLY.ACK);

    expect((await acu.led({ onColor: 2, timer: 30, permanentColor: 1 })).code).toBe(REPLY.ACK);
    expect(events.led).toEqual([{
      reader: 0, led: 0,
      temporary: { control: 2, onTime: 5, offTime: 5, onColor: 2, offColor: 0, timer: 30 },
      permanent: { control: 1, onTime: 1, offTime: 0, onColor: 1, offColor: 0 },
    }]);
    expect((await acu.buzzer({ onTime: 2, offTime: 1, count: 3 })).code).toBe(REPLY.ACK);
    expect(events.buzzer).toEqual([{ reader: 0, tone: 2, onTime: 2, offTime: 1, count: 3 }]);

    pd.keypad('4711#');
    const keypad = await acu.poll();
    expect(keypad.code).toBe(REPLY.KEYPAD);
    expect(Buffer.from(keypad.plain.slice(2)).toString('latin1')).toBe('4711\r');
  });

  it('secure channel: install mode on SCBK-D, KEYSET a new key, a new session on it', async () => {
    const { pd, acu, events } = rig({}, 2);
    expect(pd.installMode).toBe(true);
    await acu.poll();
    const { cuid } = await acu.establishSecureChannel({ defaultKey: true });
    expect([...cuid]).toEqual([0x0c, 0x0b, 0x0a, 7, 4, 3, 2, 1]);
    expect(pd.secureChannelActive).toBe(true);
    expect(events.secureChannel).toEqual([{ active: true, defaultKey: true }]);

    // Inside the session: polls go SCS_15 and come back SCS_16 with a verified R-MAC.
    const ack = await acu.poll();
    expect(ack).toMatchObject({ code: REPLY.ACK, scbType: 0x16, authenticated: true });

    // A card read comes back encrypted (SCS_18); the controller decrypts it.
    pd.presentCard({ bits: '1100101011110000' });
    const raw = await acu.poll();
    expect(raw).toMatchObject({ code: REPLY.RAW, scbType: 0x18, authenticated: true });
    expect([...raw.plain]).toEqual([0, 0, 16, 0, 0xca, 0xf0]);
    expect(Buffer.from(raw.data).includes(Buffer.of(0xca, 0xf0))).toBe(false);

    // An encrypted LED command (SCS_17) is decrypted by the PD.
    expect((await acu.led({ onColor: 1, timer: 10 })).authenticated).toBe(true);
    expect(events.led?.[0]?.temporary.onColor).toBe(1);

    // A new base key, over the session; used from the next session on.
    const newKey = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
    const keyset = await acu.keyset(newKey);
    expect(keyset).toMatchObject({ code: REPLY.ACK, authenticated: true });
    expect(events.keyset).toEqual([{ keyType: 1, key: newKey }]);
    expect(pd.installMode).toBe(false);
    expect((await acu.poll()).authenticated).toBe(true);

    await acu.establishSecureChannel({ scbk: newKey });
    expect(events.secureChannel?.at(-1)).toEqual({ active: true, defaultKey: false });
    expect((await acu.poll()).authenticated).toBe(true);
    expect((await acu.id()).code).toBe(REPLY.PDID);

    // The install-mode key no longer opens a session.
    await expect(acu.establishSecureChannel({ defaultKey: true })).rejects.toThrow(/CHLNG answered 0x41/);
    acu.restart();
    await acu.poll();
    await expect(acu.establishSecureChannel({ scbk: SCBK_WRONG })).rejects.toThrow(/client cryptogram does not verify/);
  });

  it('a bad MAC is refused with NAK 0x06 in the clear and the session is dropped; the ACU starts over', async () => {
    const { pd, acu, events } = rig({ scbk: KEY }, 3);
    await acu.poll();
    await acu.establishSecureChannel({ scbk: KEY });
    expect((await acu.poll()).authenticated).toBe(true);

    const refused = await acu.command(CMD.POLL, undefined, { corruptMac: true });
    expect(refused).toMatchObject({ code: REPLY.NAK, scbType: null, authenticated: false });
    expect(refused.plain[0]).toBe(0x06);
    expect(pd.secureChannelActive).toBe(false);
    expect(acu.secure).toBe(false);
    expect(events.secureChannel).toEqual([{ active: true, defaultKey: false }, { active: false, defaultKey: false }]);

    // Plain commands are fine again outside a session; a new session works.
    expect((await acu.poll()).code).toBe(REPLY.ACK);
    await acu.establishSecureChannel({ scbk: KEY });
    expect((await acu.poll()).authenticated).toBe(true);
  });

  it('a plain command inside a session gets NAK 0x06; CHLNG may restart the session', async () => {
    const { pd, acu } = rig({ scbk: KEY }, 4);
    await acu.poll();
    await acu.establishSecureChannel({ scbk: KEY });
    // A plain POLL with the right next sequence number, straight onto the link.
    const plain = await acu.sendRaw(buildCommand({ address: 3, sequence: acu.sequence, code: CMD.POLL }));
    expect(plain).toMatchObject({ code: REPLY.NAK, data: Uint8Array.of(0x06) });
    expect(pd.secureChannelActive).toBe(true);
    acu.sequence = acu.sequence === 3 ? 1 : acu.sequence + 1;
    await acu.establishSecureChannel({ scbk: KEY });
    expect((await acu.poll()).authenticated).toBe(true);
  });

  it('a lost reply inside the session: the resent command gets the same reply, and the MAC chain carries on', async () => {
    const { pd, acu } = rig({ scbk: KEY }, 5);
    await acu.poll();
    await acu.establishSecureChannel({ scbk: KEY });
    pd.presentCard({ bits: '101' });
    const first = await acu.poll();
    const again = await acu.resendLast();
    expect(Buffer.from(again.raw).equals(Buffer.from(first.raw))).toBe(true);
    expect(first.code).toBe(REPLY.RAW);
    expect((await acu.poll()).authenticated).toBe(true);
    expect((await acu.led({ onColor: 3 })).authenticated).toBe(true);
  });

  it('requireSecureChannel: only inside the session does the PD poll', async () => {
    const { acu } = rig({ scbk: KEY, requireSecureChannel: true }, 6);
    const refused = await acu.poll();
    expect(refused.code).toBe(REPLY.NAK);
    expect(refused.plain[0]).toBe(0x06);
    expect((await acu.id()).code).toBe(REPLY.PDID);
    await acu.establishSecureChannel({ scbk: KEY });
    expect((await acu.poll())).toMatchObject({ code: REPLY.ACK, authenticated: true });
  });

  it('COMSET moves the PD to a new address; the controller follows', async () => {
    const { pd, acu, events } = rig({}, 7);
    await acu.poll();
    const com = await acu.comset(12, 38400);
    expect(com.code).toBe(REPLY.COM);
    expect(events.comset).toEqual([{ address: 12, baudRate: 38400 }]);
    expect(pd.address).toBe(12);
    expect((await acu.poll()).address).toBe(12);
  });

  it('sequence 0 ends a session', async () => {
    const { pd, acu } = rig({ scbk: KEY }, 8);
    await acu.poll();
    await acu.establishSecureChannel({ scbk: KEY });
    acu.restart();
    expect((await acu.poll()).code).toBe(REPLY.ACK);
    expect(pd.secureChannelActive).toBe(false);
  });
});

const KEY = Uint8Array.from({ length: 16 }, (_, i) => 0x10 * (i % 16) + 1);
const SCBK_WRONG = new Uint8Array(16).fill(0x5a);
