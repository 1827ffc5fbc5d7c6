/**
 * The PD state machine command by command (§6 commands, §7 replies), with
 * frames built and replies read by the test controller's own codec.
 */
import { describe, expect, it } from 'vitest';

import { OsdpPeripheral, type OsdpPeripheralOptions } from './osdp-peripheral.js';
import { buildCommand, parseReply, referenceCrc16, type AcuFrameFields, type ParsedReply } from './test-support/acu-frames.js';
import { ManualClock } from './test-support/manual-clock.js';
import { CMD, REPLY } from './test-support/test-controller.js';

const identity = { vendorCode: 0x8e0600, model: 0x12, version: 0x34, serialNumber: 0xcafebabe, firmware: { major: 1, minor: 2, build: 3 } };

function setup(options: Partial<OsdpPeripheralOptions> = {}) {
  const sent: Uint8Array[] = [];
  const clock = new ManualClock();
  const pd = new OsdpPeripheral({ address: 5, identity, transmit: (bytes) => sent.push(bytes), now: clock.now, ...options });
  /** Sends one frame, returns the replies it produced. */
  const send = (fields: Partial<AcuFrameFields> & { code: number }): ParsedReply[] => exchange(buildCommand({ address: 5, sequence: 0, ...fields }));
  const exchange = (bytes: Uint8Array): ParsedReply[] => {
    const before = sent.length;
    pd.receive(bytes);
    return sent.slice(before).map((frame) => {
      const parsed = parseReply(frame);
      if (typeof parsed === 'string') throw new Error(`PD sent an invalid frame: ${Buffer.from(frame).toString('hex')}`);
      expect(parsed.used).toBe(frame.length);
      return parsed.reply;
    });
  };
  return { pd, sent, clock, send, exchange };
}

const one = (replies: ParsedReply[]): ParsedReply => {
  expect(replies).toHaveLength(1);
  return replies[0]!;
};

const nakReason = (reply: ParsedReply): number => {
  expect(reply.code).toBe(REPLY.NAK);
  return reply.data[0]!;
};

describe('OsdpPeripheral', () => {
  it('answers osdp_POLL with osdp_ACK, on its address, with the command sequence number and bit 7 set', () => {
    const { send } = setup();
    const reply = one(send({ code: CMD.POLL }));
    expect(reply).toMatchObject({ code: REPLY.ACK, address: 5, sequence: 0, crc: true });
    expect(one(send({ code: CMD.POLL, sequence: 1 })).sequence).toBe(1);
  });

  it('stays silent for other addresses and for replies, answers broadcast with its own address', () => {
    const { send, exchange } = setup();
    expect(send({ code: CMD.POLL, address: 6 })).toEqual([]);
    // Another PD's reply on the bus (bit 7 set), with a valid CRC.
    expect(exchange(withAddressByte(buildCommand({ address: 5, sequence: 0, code: REPLY.ACK }), 0x85))).toEqual([]);
    expect(one(send({ code: CMD.ID, address: 0x7f, data: Uint8Array.of(0) }))).toMatchObject({ code: REPLY.PDID, address: 5 });
  });

  it('mirrors the check characters: a checksum command gets a checksum reply', () => {
    const { send } = setup();
    expect(one(send({ code: CMD.POLL, crc: false }))).toMatchObject({ code: REPLY.ACK, crc: false });
  });

  it('osdp_ID → osdp_PDID: vendor code, model, version, serial LSB first, firmware', () => {
    const { send } = setup();
    const reply = one(send({ code: CMD.ID, data: Uint8Array.of(0) }));
    expect(reply.code).toBe(REPLY.PDID);
    expect([...reply.data]).toEqual([0x00, 0x06, 0x8e, 0x12, 0x34, 0xbe, 0xba, 0xfe, 0xca, 1, 2, 3]);
  });

  it('osdp_CAP → osdp_PDCAP: its functions plus CRC, AES-128 with default key and the receive buffer, in order', () => {
    const { send } = setup({ inputs: 2 });
    const reply = one(send({ code: CMD.CAP, data: Uint8Array.of(0) }));
    expect(reply.code).toBe(REPLY.PDCAP);
    const entries = [];
    for (let i = 0; i < reply.data.length; i += 3) entries.push([...reply.data.slice(i, i + 3)]);
    expect(entries).toEqual([[1, 1, 2], [3, 1, 0], [4, 4, 1], [5, 2, 1], [8, 1, 0], [9, 1, 1], [10, 1440 & 0xff, 1440 >> 8]]);
  });

  it('osdp_LSTAT, osdp_ISTAT, osdp_OSTAT report tamper/power, inputs and outputs', () => {
    const { pd, send } = setup({ inputs: 2, outputs: 1 });
    pd.setLocalStatus({ tamper: true });
    pd.setInputs([false, true]);
    pd.setOutputs([true]);
    expect([...one(send({ code: CMD.LSTAT })).data]).toEqual([1, 0]);
    expect(one(send({ code: CMD.ISTAT, sequence: 1 }))).toMatchObject({ code: REPLY.ISTATR, data: Uint8Array.of(0, 1) });
    expect(one(send({ code: CMD.OSTAT, sequence: 2 }))).toMatchObject({ code: REPLY.OSTATR, data: Uint8Array.of(1) });
  });

  it('reports a presented card as osdp_RAW on the next poll, bits first-bit-first, then ACKs again', () => {
    const { pd, send } = setup();
    // H10301 26-bit: even parity, facility 0x01, card 0x0203, odd parity.
    expect(pd.presentCard({ bits: '10000000100000010000000111', format: 'wiegand' })).toBe(true);
    const raw = one(send({ code: CMD.POLL }));
    expect(raw.code).toBe(REPLY.RAW);
    expect([...raw.data]).toEqual([0, 1, 26, 0, 0b10000000, 0b10000001, 0b00000001, 0b11000000]);
    expect(one(send({ code: CMD.POLL, sequence: 1 })).code).toBe(REPLY.ACK);
  });

  it('reports typed keys as osdp_KEYPAD with * as 0x7F and # as 0x0D', () => {
    const { pd, send } = setup();
    pd.keypad('12*#');
    const reply = one(send({ code: CMD.POLL }));
    expect(reply.code).toBe(REPLY.KEYPAD);
    expect([...reply.data]).toEqual([0, 4, 0x31, 0x32, 0x7f, 0x0d]);
    expect(() => pd.keypad('12a')).toThrow(RangeError);
  });

  it('bounds the report queue and drops card reads too old to act on', () => {
    const { pd, send, clock } = setup({ maxQueuedReports: 2, reportMaxAgeMs: 5000 });
    expect(pd.presentCard({ bits: '1' })).toBe(true);
    expect(pd.presentCard({ bits: '0' })).toBe(true);
    expect(pd.presentCard({ bits: '1' })).toBe(false);
    clock.advance(6000);
    expect(one(send({ code: CMD.POLL })).code).toBe(REPLY.ACK);
    expect(pd.queuedReports).toBe(0);
  });

  it('osdp_LED → ACK, then tells the host each LED record (after the reply went out)', () => {
    const { pd, send, sent } = setup();
    const seen: unknown[] = [];
    pd.on('led', (led) => seen.push({ led, repliesSent: sent.length }));
    const record = [0, 0, 2, 3, 4, 2, 0, 0x2c, 0x01, 1, 0, 0, 1, 0];
    const reply = one(send({ code: CMD.LED, data: Uint8Array.from([...record, ...record]) }));
    expect(reply.code).toBe(REPLY.ACK);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual({
      led: { reader: 0, led: 0, temporary: { control: 2, onTime: 3, offTime: 4, onColor: 2, offColor: 0, timer: 300 }, permanent: { control: 1, onTime: 0, offTime: 0, onColor: 1, offColor: 0 } },
      repliesSent: 1,
    });
    expect(nakReason(one(send({ code: CMD.LED, sequence: 1, data: Uint8Array.of(1, 2, 3) })))).toBe(0x02);
  });

  it('osdp_BUZ → ACK and a buzzer event', () => {
    const { pd, send } = setup();
    const seen: unknown[] = [];
    pd.on('buzzer', (b) => seen.push(b));
    expect(one(send({ code: CMD.BUZ, data: Uint8Array.of(0, 2, 5, 5, 3) })).code).toBe(REPLY.ACK);
    expect(seen).toEqual([{ reader: 0, tone: 2, onTime: 5, offTime: 5, count: 3 }]);
  });

  it('osdp_COMSET → osdp_COM with the new settings, then listens on the new address', () => {
    const { pd, send } = setup();
    const seen: unknown[] = [];
    pd.on('comset', (c) => seen.push(c));
    const reply = one(send({ code: CMD.COMSET, data: Uint8Array.of(9, 0x00, 0xc2, 0x01, 0x00) }));
    expect(reply).toMatchObject({ code: REPLY.COM, address: 5 });
    expect([...reply.data]).toEqual([9, 0x00, 0xc2, 0x01, 0x00]);
    expect(seen).toEqual([{ address: 9, baudRate: 115200 }]);
    expect(pd.address).toBe(9);
    expect(send({ code: CMD.POLL, sequence: 1 })).toEqual([]);
    expect(one(send({ code: CMD.POLL, sequence: 1, address: 9 })).address).toBe(9);
  });

  it('osdp_COMSET with an impossible baud rate or address → osdp_COM with the unchanged settings', () => {
    const { pd, send } = setup({ baudRate: 38400 });
    const reply = one(send({ code: CMD.COMSET, data: Uint8Array.of(0x7f, 0x39, 0x30, 0, 0) }));
    expect([...reply.data]).toEqual([5, 0x00, 0x96, 0x00, 0x00]);
    expect(pd.address).toBe(5);
  });

  it('NAKs with the reason: unknown command 0x03, bad length 0x02, bad CRC 0x01, too long 0x02', () => {
    const { send, exchange } = setup({ maxFrameLength: 128 });
    expect(nakReason(one(send({ code: 0x6b, data: Uint8Array.of(1) })))).toBe(0x03);
    expect(nakReason(one(send({ code: CMD.POLL, sequence: 1, data: Uint8Array.of(1) })))).toBe(0x02);
    expect(nakReason(one(send({ code: CMD.ID, sequence: 2 })))).toBe(0x02);
    const corrupt = buildCommand({ address: 5, sequence: 3, code: CMD.POLL });
    corrupt[6]! ^= 0xff;
    expect(nakReason(one(exchange(corrupt)))).toBe(0x01);
    expect(nakReason(one(exchange(Uint8Array.of(0x53, 0x05, 0x00, 0x02, 0x04))))).toBe(0x02);
    // The CRC NAK did not use up sequence 3: the resend is answered normally.
    expect(one(send({ code: CMD.POLL, sequence: 3 })).code).toBe(REPLY.ACK);
  });

  it('stays silent for a bad CRC meant for another PD and for reserved control bits', () => {
    const { exchange } = setup();
    const other = buildCommand({ address: 6, sequence: 0, code: CMD.POLL });
    other[6]! ^= 0xff;
    expect(exchange(other)).toEqual([]);
    expect(exchange(Uint8Array.of(0x53, 0x05, 0x08, 0x00, 0xf4, 0x60, 0x00, 0x00))).toEqual([]);
  });

  it('sequence: a repeated number gets the same reply again without acting twice; a wrong one NAK 0x04; 0 starts over', () => {
    const { pd, send, exchange } = setup();
    expect(nakReason(one(send({ code: CMD.POLL, sequence: 2 })))).toBe(0x04);
    one(send({ code: CMD.POLL, sequence: 0 }));
    pd.presentCard({ bits: '1011' });
    const first = buildCommand({ address: 5, sequence: 1, code: CMD.POLL });
    const raw = one(exchange(first));
    expect(raw.code).toBe(REPLY.RAW);
    const again = one(exchange(first));
    expect(Buffer.from(again.raw).equals(Buffer.from(raw.raw))).toBe(true);
    expect(pd.queuedReports).toBe(0);
    expect(nakReason(one(send({ code: CMD.POLL, sequence: 3 })))).toBe(0x04);
    expect(one(send({ code: CMD.POLL, sequence: 2 })).code).toBe(REPLY.ACK);
    expect(one(send({ code: CMD.POLL, sequence: 0 })).code).toBe(REPLY.ACK);
    expect(one(send({ code: CMD.POLL, sequence: 1 })).code).toBe(REPLY.ACK);
  });

  it('answers osdp_BUSY (sequence 0, nothing done) while the host is busy; the resend is then processed', () => {
    let busy = true;
    const { pd, send } = setup({ isBusy: () => busy });
    pd.presentCard({ bits: '1' });
    expect(one(send({ code: CMD.POLL, sequence: 0 }))).toMatchObject({ code: REPLY.BUSY, sequence: 0, data: new Uint8Array(0) });
    expect(pd.queuedReports).toBe(1);
    busy = false;
    expect(one(send({ code: CMD.POLL, sequence: 0 })).code).toBe(REPLY.RAW);
  });

  it('refuses osdp_KEYSET outside a secure channel and the handshake without its security block (NAK 0x06)', () => {
    const { send } = setup();
    expect(nakReason(one(send({ code: CMD.KEYSET, data: Uint8Array.from([1, 16, ...new Array<number>(16).fill(7)]) })))).toBe(0x06);
    expect(nakReason(one(send({ code: CMD.CHLNG, sequence: 1, data: new Uint8Array(8) })))).toBe(0x06);
    expect(nakReason(one(send({ code: CMD.POLL, sequence: 2, scb: [2, 0x15], mac: () => new Uint8Array(4) })))).toBe(0x06);
    // A reply's block type in a command, or a type Annex D does not define: unsupported security block.
    expect(nakReason(one(send({ code: CMD.POLL, sequence: 3, scb: [2, 0x16], mac: () => new Uint8Array(4) })))).toBe(0x05);
    expect(nakReason(one(send({ code: CMD.POLL, sequence: 1, scb: [2, 0x31] })))).toBe(0x05);
    expect(nakReason(one(send({ code: CMD.POLL, sequence: 2, scb: [3, 0x11, 0x00] })))).toBe(0x05);
  });

  it('with requireSecureChannel, NAKs 0x06 all but ID, CAP, COMSET and the handshake in the clear', () => {
    const { send } = setup({ requireSecureChannel: true, scbk: new Uint8Array(16).fill(1) });
    expect(nakReason(one(send({ code: CMD.POLL })))).toBe(0x06);
    expect(one(send({ code: CMD.ID, sequence: 1, data: Uint8Array.of(0) })).code).toBe(REPLY.PDID);
  });

  it('refuses SCBK-D outside install mode', () => {
    const { send } = setup({ scbk: new Uint8Array(16).fill(1) });
    expect(nakReason(one(send({ code: CMD.CHLNG, scb: [3, 0x11, 0x00], data: new Uint8Array(8) })))).toBe(0x06);
    expect(one(send({ code: CMD.CHLNG, sequence: 1, scb: [3, 0x11, 0x01], data: new Uint8Array(8) }))).toMatchObject({ code: REPLY.CCRYPT, scbType: 0x12, scbData: [0x01] });
  });

  it('goes online on the first command, offline after the timeout (tick)', () => {
    const { pd, send, clock } = setup({ offlineTimeoutMs: 1000 });
    const events: string[] = [];
    pd.on('online', () => events.push('online'));
    pd.on('offline', () => events.push('offline'));
    expect(pd.online).toBe(false);
    send({ code: CMD.POLL });
    clock.advance(900);
    pd.tick();
    send({ code: CMD.POLL, sequence: 1 });
    clock.advance(1001);
    pd.tick();
    expect(events).toEqual(['online', 'offline']);
    expect(pd.online).toBe(false);
  });

  it('discards a partial frame after the inter-character timeout', () => {
    const { exchange, clock } = setup();
    const frame = buildCommand({ address: 5, sequence: 0, code: CMD.POLL });
    expect(exchange(frame.slice(0, 4))).toEqual([]);
    clock.advance(50);
    expect(one(exchange(frame)).code).toBe(REPLY.ACK);
  });

  it('keeps answering when a host listener throws', () => {
    const errors: unknown[] = [];
    const { pd, send } = setup({ onListenerError: (error) => errors.push(error) });
    pd.on('buzzer', () => {
      throw new Error('host bug');
    });
    expect(one(send({ code: CMD.BUZ, data: Uint8Array.of(0, 2, 1, 1, 1) })).code).toBe(REPLY.ACK);
    expect(one(send({ code: CMD.POLL, sequence: 1 })).code).toBe(REPLY.ACK);
    expect(errors).toHaveLength(1);
  });

  it('refuses bad configuration up front', () => {
    expect(() => new OsdpPeripheral({ address: 0x7f, identity, transmit: () => {} })).toThrow(RangeError);
    expect(() => new OsdpPeripheral({ address: 1, identity, transmit: () => {}, scbk: new Uint8Array(15) })).toThrow(RangeError);
  });
});

/** The frame with another address byte and its CRC made valid again. */
function withAddressByte(frame: Uint8Array, addressByte: number): Uint8Array {
  const bytes = frame.slice();
  bytes[1] = addressByte;
  const end = bytes.length - 2;
  const crc = referenceCrc16(bytes.subarray(0, end));
  bytes[end] = crc & 0xff;
  bytes[end + 1] = crc >> 8;
  return bytes;
}
