/**
 * Malformed input for the PD, generated deterministically (seeded PRNG) so a
 * failure replays: truncated frames, bit flips, wrong and oversized LEN
 * fields, random bytes, SOM floods, well-framed nonsense (unknown codes,
 * impossible security blocks, forged MACs, wrong sequence numbers). Fed as
 * one stream in random chunks, and again item by item with a line-idle gap.
 *
 * What must hold (SIA OSDP v2.2 §5 and §7.3): `receive` never throws; every
 * byte the PD sends is a well-formed reply from its own address, and the
 * reply to garbage is a NAK with a defined reason or nothing at all; the
 * buffered bytes and the report queue stay bounded; and a valid command
 * after the garbage is answered normally.
 */
import { describe, expect, it } from 'vitest';

import { OsdpPeripheral } from './osdp-peripheral.js';
import { acuServerCryptogram, acuSessionKeys, DEFAULT_KEY } from './test-support/acu-crypto.js';
import { buildCommand, parseReply, referenceCrc16, type ParsedReply } from './test-support/acu-frames.js';
import { ManualClock } from './test-support/manual-clock.js';
import { SeededRandom } from '../../../test/support/seeded-random.js';
import { CMD, REPLY } from './test-support/test-controller.js';

const ADDRESS = 5;
const MAX_FRAME = 256;
const NAK_REASONS = new Set([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x09]);
const REPLY_CODES = new Set<number>(Object.values(REPLY));

type Kind = 'truncated' | 'bit-flip-body' | 'bit-flip-any' | 'wrong-length' | 'oversized' | 'random' | 'som-flood' | 'framed-nonsense';

interface Item {
  kind: Kind;
  bytes: Uint8Array;
}

function validCommand(random: SeededRandom): Uint8Array {
  const sequence = random.int(0, 3);
  const crc = random.next() < 0.8;
  const address = random.next() < 0.8 ? ADDRESS : random.pick([0x7f, 0, 9]);
  const choice = random.pick(['poll', 'id', 'cap', 'lstat', 'led', 'buz', 'chlng'] as const);
  switch (choice) {
    case 'poll': return buildCommand({ address, sequence, crc, code: CMD.POLL });
    case 'id': return buildCommand({ address, sequence, crc, code: CMD.ID, data: Uint8Array.of(0) });
    case 'cap': return buildCommand({ address, sequence, crc, code: CMD.CAP, data: Uint8Array.of(0) });
    case 'lstat': return buildCommand({ address, sequence, crc, code: CMD.LSTAT });
    case 'led': return buildCommand({ address, sequence, crc, code: CMD.LED, data: random.bytes(14) });
    case 'buz': return buildCommand({ address, sequence, crc, code: CMD.BUZ, data: random.bytes(5) });
    case 'chlng': return buildCommand({ address, sequence, crc, scb: [3, 0x11, 0], code: CMD.CHLNG, data: random.bytes(8) });
  }
}

/**
 * Frames that pass their CRC but make no sense to a PD. Sequence 0, so each is
 * judged on its own rather than answered as a repeat of the previous command.
 */
function framedNonsense(random: SeededRandom): Uint8Array {
  const sequence = 0;
  switch (random.int(0, 5)) {
    case 0: return buildCommand({ address: ADDRESS, sequence, code: random.pick([0x63, 0x6b, 0x6c, 0x80, 0xa7, 0x00, 0xff]), data: random.bytes(random.int(0, 20)) });
    case 1: return buildCommand({ address: ADDRESS, sequence, scb: [random.int(2, 200), random.int(0, 255)], code: CMD.POLL, data: random.bytes(random.int(0, 6)) });
    case 2: return buildCommand({ address: ADDRESS, sequence, scb: [2, random.pick([0x15, 0x17])], code: CMD.POLL, data: random.bytes(random.int(0, 32)), mac: () => random.bytes(4) });
    case 3: return buildCommand({ address: ADDRESS, sequence, scb: [3, 0x13, 0], code: CMD.SCRYPT, data: random.bytes(random.int(0, 20)) });
    case 4: return buildCommand({ address: ADDRESS, sequence, code: CMD.KEYSET, data: random.bytes(random.int(0, 20)) });
    default: return buildCommand({ address: ADDRESS, sequence, code: random.pick([CMD.POLL, CMD.ID, CMD.LED, CMD.COMSET]), data: random.bytes(random.pick([2, 3, 4])) });
  }
}

function corpus(seed: number, count: number): Item[] {
  const random = new SeededRandom(seed);
  const items: Item[] = [];
  const kinds: Kind[] = ['truncated', 'bit-flip-body', 'bit-flip-any', 'wrong-length', 'oversized', 'random', 'som-flood', 'framed-nonsense'];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!;
    const frame = validCommand(random);
    let bytes: Uint8Array;
    switch (kind) {
      case 'truncated':
        bytes = frame.slice(0, random.int(1, frame.length - 1));
        break;
      case 'bit-flip-body': {
        // Header intact, 1–3 bits flipped after it: the CRC must catch it (CRC-16 has Hamming distance 4 here).
        bytes = buildCommand({ address: ADDRESS, sequence: random.int(0, 3), code: CMD.LED, data: random.bytes(14) });
        for (let flips = random.int(1, 3); flips > 0; flips--) bytes[random.int(5, bytes.length - 1)]! ^= 1 << random.int(0, 7);
        if (referenceCrc16(bytes.subarray(0, bytes.length - 2)) === bytes[bytes.length - 2]! + bytes[bytes.length - 1]! * 256) bytes[bytes.length - 1]! ^= 0x01;
        break;
      }
      case 'bit-flip-any':
        bytes = frame.slice();
        for (let flips = random.int(1, 3); flips > 0; flips--) bytes[random.int(0, bytes.length - 1)]! ^= 1 << random.int(0, 7);
        break;
      case 'wrong-length': {
        bytes = frame.slice();
        const delta = random.pick([-6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6]);
        let length = random.next() < 0.5 ? bytes[2]! + delta : random.int(0, 0xffff);
        if (length === frame[2]! + frame[3]! * 256) length++;
        bytes[2] = length & 0xff;
        bytes[3] = (length >> 8) & 0xff;
        break;
      }
      case 'oversized': {
        const length = random.int(MAX_FRAME + 1, 0xffff);
        bytes = Uint8Array.from([0x53, ADDRESS, length & 0xff, length >> 8, 0x04, ...random.bytes(random.int(0, 12))]);
        break;
      }
      case 'random':
        bytes = random.bytes(random.int(1, 80));
        break;
      case 'som-flood':
        bytes = Uint8Array.from({ length: random.int(1, 40) }, () => (random.next() < 0.7 ? 0x53 : random.int(0, 255)));
        break;
      case 'framed-nonsense':
        bytes = framedNonsense(random);
        break;
    }
    items.push({ kind, bytes });
  }
  return items;
}

function setup() {
  const clock = new ManualClock();
  const sent: Uint8Array[] = [];
  const pd = new OsdpPeripheral({
    address: ADDRESS,
    identity: { vendorCode: 1, model: 2, version: 3, serialNumber: 4, firmware: { major: 1, minor: 0, build: 0 } },
    transmit: (bytes) => sent.push(bytes),
    now: clock.now,
    maxFrameLength: MAX_FRAME,
    maxQueuedReports: 4,
  });
  pd.on('keyset', () => {
    throw new Error('garbage must never install a key');
  });
  return { pd, sent, clock };
}

/** Every frame the PD sends must be a valid reply from its address. */
function checkReplies(frames: Uint8Array[]): ParsedReply[] {
  return frames.map((frame) => {
    const parsed = parseReply(frame);
    if (typeof parsed === 'string') throw new Error(`PD sent a malformed frame ${Buffer.from(frame).toString('hex')}`);
    expect(parsed.used).toBe(frame.length);
    expect(parsed.reply.address).toBe(ADDRESS);
    expect(REPLY_CODES.has(parsed.reply.code)).toBe(true);
    if (parsed.reply.code === REPLY.NAK) expect(NAK_REASONS.has(parsed.reply.data[0]!)).toBe(true);
    return parsed.reply;
  });
}

function feed(pd: OsdpPeripheral, bytes: Uint8Array, random: SeededRandom): void {
  for (let at = 0; at < bytes.length;) {
    const size = random.int(1, 64);
    pd.receive(bytes.subarray(at, at + size));
    at += size;
    expect(pd.bufferedBytes).toBeLessThanOrEqual(MAX_FRAME);
    expect(pd.queuedReports).toBeLessThanOrEqual(4);
  }
}

/** The install-mode handshake, done by hand with the test controller's crypto. */
function openSession(pd: OsdpPeripheral, sent: Uint8Array[]): void {
  const rndA = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  pd.receive(buildCommand({ address: ADDRESS, sequence: 0, scb: [3, 0x11, 0], code: CMD.CHLNG, data: rndA }));
  const ccrypt = checkReplies(sent.slice(-1))[0]!;
  expect(ccrypt.code).toBe(REPLY.CCRYPT);
  const keys = acuSessionKeys(DEFAULT_KEY, rndA);
  const server = acuServerCryptogram(keys, rndA, ccrypt.data.slice(8, 16));
  pd.receive(buildCommand({ address: ADDRESS, sequence: 1, scb: [3, 0x13, 0], code: CMD.SCRYPT, data: server }));
  expect(checkReplies(sent.slice(-1))[0]!.code).toBe(REPLY.RMAC_I);
}

function validPollIsAnswered(pd: OsdpPeripheral, sent: Uint8Array[]): void {
  const before = sent.length;
  pd.receive(buildCommand({ address: ADDRESS, sequence: 0, code: CMD.POLL }));
  const replies = checkReplies(sent.slice(before));
  expect(replies.at(-1)).toMatchObject({ code: REPLY.ACK, sequence: 0 });
  pd.receive(buildCommand({ address: ADDRESS, sequence: 1, code: CMD.ID, data: Uint8Array.of(0) }));
  expect(checkReplies(sent.slice(-1))[0]).toMatchObject({ code: REPLY.PDID, sequence: 1 });
}

describe('OSDP PD fuzz', () => {
  it('one continuous stream of 4000 malformed items in random chunks: no throw, only valid replies, bounded memory, still answers', () => {
    const { pd, sent } = setup();
    const items = corpus(0x05d9, 4000);
    const stream = Uint8Array.from(items.flatMap((item) => [...item.bytes]));
    const chunks = new SeededRandom(99);
    expect(() => feed(pd, stream, chunks)).not.toThrow();

    const replies = checkReplies(sent);
    const naks = replies.filter((r) => r.code === REPLY.NAK);
    expect(naks.length).toBeGreaterThan(500);
    // Garbage is answered with NAKs; anything else must be the answer to a frame that really was valid.
    expect(replies.length - naks.length).toBeLessThan(replies.length / 4);
    expect(pd.address).toBe(ADDRESS);
    expect(pd.installMode).toBe(true);

    validPollIsAnswered(pd, sent);
  });

  it('item by item with an idle line between them: each class answered as the spec says', () => {
    const { pd, sent, clock } = setup();
    const chunks = new SeededRandom(7);
    const byKind = new Map<Kind, ParsedReply[][]>();
    for (const item of corpus(0xbeef, 3200)) {
      const before = sent.length;
      feed(pd, item.bytes, chunks);
      clock.advance(50); // longer than the inter-character timeout: the next item starts clean
      const replies = checkReplies(sent.slice(before));
      expect(replies.length).toBeLessThanOrEqual(3);
      byKind.set(item.kind, [...(byKind.get(item.kind) ?? []), replies]);
    }

    // A truncated frame followed by silence is never answered: there is nothing to check it against.
    expect(byKind.get('truncated')!.every((r) => r.length === 0)).toBe(true);
    // A frame for this PD whose body was damaged: NAK 0x01 (message check character error), once.
    for (const replies of byKind.get('bit-flip-body')!) {
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatchObject({ code: REPLY.NAK, data: Uint8Array.of(0x01) });
    }
    // A header for this PD announcing more than its buffer: NAK 0x02.
    for (const replies of byKind.get('oversized')!) {
      expect(replies[0]).toMatchObject({ code: REPLY.NAK, data: Uint8Array.of(0x02) });
    }
    // Well-framed nonsense: always a NAK (unknown command, length, security block, secure channel, sequence).
    for (const replies of byKind.get('framed-nonsense')!) {
      expect(replies).toHaveLength(1);
      expect(replies[0]!.code).toBe(REPLY.NAK);
    }
    // Noise: a NAK or silence, never anything else.
    for (const kind of ['random', 'som-flood', 'wrong-length'] as const) {
      for (const replies of byKind.get(kind)!) for (const reply of replies) expect(reply.code).toBe(REPLY.NAK);
    }

    validPollIsAnswered(pd, sent);
  });

  it('a PD inside a secure channel survives garbage and forged secure frames: the session ends, nothing else', () => {
    const { pd, sent } = setup();
    openSession(pd, sent);
    expect(pd.secureChannelActive).toBe(true);
    // Forged SCS_15/SCS_17 frames with valid CRCs and random MACs, mixed with noise.
    const random = new SeededRandom(4242);
    const stream: number[] = [];
    for (let i = 0; i < 1500; i++) {
      stream.push(...(i % 2 ? random.bytes(random.int(1, 30)) : buildCommand({
        address: ADDRESS, sequence: random.int(0, 3), scb: [2, random.pick([0x15, 0x17])], code: random.pick([CMD.POLL, CMD.KEYSET, CMD.LED]),
        data: random.bytes(random.pick([0, 16, 32])), mac: () => random.bytes(4),
      })));
    }
    expect(() => feed(pd, Uint8Array.from(stream), new SeededRandom(5))).not.toThrow();
    const replies = checkReplies(sent);
    expect(replies.filter((r) => r.code === REPLY.NAK && r.data[0] === 0x06).length).toBeGreaterThan(100);
    expect(pd.secureChannelActive).toBe(false);
    validPollIsAnswered(pd, sent);
  });
});
