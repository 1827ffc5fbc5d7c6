/**
 * Robustness: truncations and random mutations of valid messages must be
 * parsed or refused with a SipParseError, never crash with anything else, on
 * both transports and through the stream framer. Seeded, so a failure replays.
 */
import { describe, expect, it } from 'vitest';

import { parseSipMessage } from './sip-parser.js';
import { SipParseError } from './sip-parse-error.js';
import { serializeSipMessage } from './sip-serializer.js';
import { SipStreamFramer } from './stream-framer.js';
import { SeededRandom } from '../../../../test/support/seeded-random.js';
import * as t from './test-support/rfc4475.js';

const CORPUS: Uint8Array[] = [
  ...[t.wsinv, t.intmeth, t.esc01, t.escnull, t.esc02, t.lwsdisp, t.longreq, t.dblreq, t.semiuri, t.transports, t.unreason, t.noreason, t.badinv01, t.quotbal, t.scalar02].map(t.bytes),
  t.mpart01(),
];

/** Bytes that matter to the grammar, so mutations hit the interesting paths often. */
const SPECIAL = [...':;,<>"\\@%=/?[] \t\r\n0'].map((c) => c.charCodeAt(0));

function mutate(random: SeededRandom, input: Uint8Array): Uint8Array {
  const bytes = Array.from(input);
  const edits = random.int(1, 8);
  for (let i = 0; i < edits; i++) {
    const at = random.int(0, Math.max(0, bytes.length - 1));
    switch (random.int(0, 4)) {
      case 0:
        bytes[at] = random.int(0, 255);
        break;
      case 1:
        bytes[at] = random.pick(SPECIAL);
        break;
      case 2:
        bytes.splice(at, random.int(1, 20));
        break;
      case 3:
        bytes.splice(at, 0, ...Array.from({ length: random.int(1, 5) }, () => random.pick(SPECIAL)));
        break;
      default:
        bytes.splice(at, 0, ...bytes.slice(random.int(0, bytes.length - 1), random.int(0, bytes.length)));
    }
  }
  return Uint8Array.from(bytes);
}

function parsesOrRefuses(bytes: Uint8Array, transport: 'datagram' | 'stream'): void {
  try {
    const message = parseSipMessage(bytes, { transport });
    // Whatever parses must serialize and parse again.
    parseSipMessage(serializeSipMessage(message), { transport: 'stream' });
  } catch (error) {
    if (!(error instanceof SipParseError)) throw error;
    expect(error.code).toMatch(/^SIP_/);
    expect(error.reason).not.toMatch(/[\r\n]/);
  }
}

describe('parser robustness', () => {
  it('survives every truncation of every corpus message', () => {
    for (const message of CORPUS) {
      for (let length = 0; length <= message.length; length++) {
        parsesOrRefuses(message.subarray(0, length), 'datagram');
      }
    }
  });

  it('survives 10 000 seeded random mutations', () => {
    const random = new SeededRandom(0x5eed);
    for (let i = 0; i < 10_000; i++) {
      const input = mutate(random, random.pick(CORPUS));
      parsesOrRefuses(input, i % 2 === 0 ? 'datagram' : 'stream');
    }
  });

  it('survives random bytes', () => {
    const random = new SeededRandom(42);
    for (let i = 0; i < 2_000; i++) {
      parsesOrRefuses(Uint8Array.from({ length: random.int(0, 300) }, () => random.int(0, 255)), 'datagram');
    }
  });

  it('the stream framer never throws on mutated streams cut at random', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 2_000; i++) {
      const framer = new SipStreamFramer({ maxMessageSize: 4096 });
      const stream = mutate(random, random.pick(CORPUS));
      let at = 0;
      while (at < stream.length) {
        const next = Math.min(stream.length, at + random.int(1, 200));
        for (const event of framer.push(stream.subarray(at, next))) {
          if (event.kind === 'error') expect(event.error).toBeInstanceOf(SipParseError);
        }
        at = next;
      }
      expect(framer.bufferedBytes).toBeLessThanOrEqual(4096 + 200);
    }
  });
});
