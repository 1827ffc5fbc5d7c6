/**
 * Robustness: mutated session descriptions are parsed or refused with an
 * SdpError, and whatever parses can be answered or refused with an SdpError.
 * Seeded, so a failure replays.
 */
import { describe, expect, it } from 'vitest';

import { SeededRandom } from '../../../../test/support/seeded-random.js';
import { answerAudioOffer, createAudioOffer } from './audio-offer-answer.js';
import { SdpError } from './sdp-error.js';
import { parseSdp } from './sdp-parser.js';
import { serializeSdp } from './sdp-serializer.js';

const SEED_TEXT = serializeSdp(createAudioOffer({ address: '192.0.2.10', port: 40000, sessionId: 1, sessionVersion: 1 })) + 'm=video 5000 RTP/AVP 31\r\na=rtcp:5001 IN IP4 192.0.2.11\r\n';
const SPECIAL = [...'=: /\r\n0123456789-,'];

describe('SDP robustness', () => {
  it('survives 5 000 seeded mutations', () => {
    const random = new SeededRandom(0x5d9);
    for (let i = 0; i < 5_000; i++) {
      const chars = [...SEED_TEXT];
      for (let e = random.int(1, 6); e > 0; e--) {
        const at = random.int(0, chars.length - 1);
        if (random.next() < 0.5) chars[at] = random.pick(SPECIAL);
        else chars.splice(at, random.int(1, 10));
      }
      try {
        const sdp = parseSdp(chars.join(''));
        serializeSdp(sdp);
        answerAudioOffer(sdp, { address: '192.0.2.1', port: 4000, sessionId: 2, sessionVersion: 1 });
      } catch (error) {
        expect(error).toBeInstanceOf(SdpError);
      }
    }
  });
});
