import { describe, expect, it } from 'vitest';

import { acceptAudioAnswer, answerAudioOffer, createAudioOffer, isHold, type LocalAudio } from './audio-offer-answer.js';
import { fmtp, mediaDirection, ptime, rtcpAddress, rtpMaps } from './media-attributes.js';
import { SdpError } from './sdp-error.js';
import { parseSdp } from './sdp-parser.js';
import { serializeSdp } from './sdp-serializer.js';
import { commonEvents, formatEventList, parseEventList } from './telephone-events.js';

const sdp = (...lines: string[]): string => lines.map((l) => `${l}\r\n`).join('');

const PHONE_OFFER = sdp(
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 198.51.100.7',
  's=Call',
  'c=IN IP4 198.51.100.7',
  't=0 0',
  'm=audio 49170 RTP/AVP 9 8 0 96',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:96 telephone-event/8000',
  'a=fmtp:96 0-15,66',
  'a=ptime:30',
  'a=rtcp:53020 IN IP4 198.51.100.8',
  'm=video 51372 RTP/AVP 31',
  'a=rtpmap:31 H261/90000',
);

const LOCAL: LocalAudio = { address: '192.0.2.10', port: 40000, sessionId: 1234, sessionVersion: 1 };

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof SdpError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('parseSdp / serializeSdp', () => {
  it('reads session and media lines and attributes', () => {
    const parsed = parseSdp(PHONE_OFFER);
    expect(parsed.origin).toEqual({ username: 'alice', sessionId: '2890844526', sessionVersion: '2890844526', netType: 'IN', addrType: 'IP4', address: '198.51.100.7' });
    expect(parsed.connection?.address).toBe('198.51.100.7');
    expect(parsed.media.map((m) => [m.type, m.port, m.protocol, m.formats])).toEqual([
      ['audio', 49170, 'RTP/AVP', ['9', '8', '0', '96']],
      ['video', 51372, 'RTP/AVP', ['31']],
    ]);
    const audio = parsed.media[0]!;
    expect(rtpMaps(audio).map((m) => `${m.payloadType} ${m.encoding}`)).toEqual(['9 G722', '8 PCMA', '0 PCMU', '96 telephone-event']);
    expect(fmtp(audio, 96)).toBe('0-15,66');
    expect(ptime(audio)).toBe(30);
    expect(rtcpAddress(audio)).toEqual({ port: 53020, address: '198.51.100.8' });
    expect(mediaDirection(parsed, audio)).toBe('sendrecv');
  });

  it('gives static payload types their RFC 3551 meaning without rtpmap', () => {
    const parsed = parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0 8 18'));
    expect(rtpMaps(parsed.media[0]!).map((m) => m.encoding)).toEqual(['PCMU', 'PCMA']);
  });

  it('accepts bare LF line ends and writes CRLF', () => {
    const text = PHONE_OFFER.replace(/\r\n/g, '\n');
    expect(serializeSdp(parseSdp(text))).toBe(PHONE_OFFER);
  });

  it('round-trips, keeping lines it does not use in RFC 4566 order', () => {
    const text = sdp(
      'v=0',
      'o=- 20518 0 IN IP6 2001:db8::1',
      's=Session',
      'i=info',
      'u=http://example.com/',
      'c=IN IP6 2001:db8::1',
      'b=AS:64',
      't=2873397496 2873404696',
      'r=604800 3600 0 90000',
      'a=recvonly',
      'm=audio 4000/2 RTP/AVP 0',
      'i=the audio',
      'c=IN IP4 224.2.1.1/127',
      'b=AS:32',
      'a=rtpmap:0 PCMU/8000',
    );
    expect(serializeSdp(parseSdp(text))).toBe(text);
  });

  it.each([
    ['no v= first', sdp('o=- 1 1 IN IP4 h', 's=-')],
    ['v=1', sdp('v=1', 'o=- 1 1 IN IP4 h', 's=-')],
    ['no o= after v=', sdp('v=0', 's=-', 'o=- 1 1 IN IP4 h')],
    ['a short o=', sdp('v=0', 'o=- 1 IN IP4 h', 's=-')],
    ['a non-numeric session id', sdp('v=0', 'o=- x 1 IN IP4 h', 's=-')],
    ['space before =', sdp('v=0', 'o=- 1 1 IN IP4 h', 's=-', 'm =video 3227 RTP/AVP 31')],
    ['a bad port', sdp('v=0', 'o=- 1 1 IN IP4 h', 's=-', 'm=audio 70000 RTP/AVP 0')],
    ['an m= without formats', sdp('v=0', 'o=- 1 1 IN IP4 h', 's=-', 'm=audio 4000 RTP/AVP')],
    ['a bad c=', sdp('v=0', 'o=- 1 1 IN IP4 h', 's=-', 'c=IN IP4')],
    ['an unknown line type', sdp('v=0', 'o=- 1 1 IN IP4 h', 's=-', 'x=1')],
    ['an empty text', ''],
  ])('refuses %s', (_, text) => {
    expect(codeOf(() => parseSdp(text))).toBe('SDP_MALFORMED');
  });

  it('refuses to write a value with a line break', () => {
    const parsed = parseSdp(PHONE_OFFER);
    parsed.sessionName = 'x\r\na=evil';
    expect(codeOf(() => serializeSdp(parsed))).toBe('SDP_MALFORMED');
  });
});

describe('telephone-event lists', () => {
  it('parses, formats and intersects', () => {
    expect([...parseEventList('0-3,10,12-13')!]).toEqual([0, 1, 2, 3, 10, 12, 13]);
    expect(parseEventList('5-2')).toBeNull();
    expect(parseEventList('x')).toBeNull();
    expect(formatEventList([16, 0, 1, 2, 32])).toBe('0-2,16,32');
    expect(commonEvents('0-15,66')).toBe('0-15');
    expect(commonEvents(undefined)).toBe('0-15');
    expect(commonEvents('0-255')).toBe('0-16');
    expect(commonEvents('66')).toBeNull();
  });
});

describe('audio offer/answer', () => {
  it('builds an offer with PCMU, PCMA and telephone-event 101', () => {
    const offer = createAudioOffer(LOCAL);
    expect(serializeSdp(offer)).toBe(
      sdp(
        'v=0',
        'o=- 1234 1 IN IP4 192.0.2.10',
        's=-',
        'c=IN IP4 192.0.2.10',
        't=0 0',
        'm=audio 40000 RTP/AVP 0 8 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:20',
        'a=sendrecv',
      ),
    );
  });

  it('builds IPv6 offers, without DTMF events when asked, with the codecs asked for', () => {
    const offer = createAudioOffer({ ...LOCAL, address: '2001:db8::10', telephoneEvent: false, codecs: ['PCMA'], direction: 'sendonly' });
    const text = serializeSdp(offer);
    expect(text).toContain('c=IN IP6 2001:db8::10');
    expect(text).toContain('m=audio 40000 RTP/AVP 8\r\n');
    expect(text).toContain('a=sendonly');
    expect(() => createAudioOffer({ ...LOCAL, telephoneEvent: 13 })).toThrow(RangeError);
  });

  it('answers with the first common codec in offer order, the offered telephone-event type, and rejects other streams', () => {
    const { answer, session } = answerAudioOffer(parseSdp(PHONE_OFFER), { ...LOCAL, sessionVersion: 2 });
    expect(session.codec).toMatchObject({ payloadType: 8, encoding: 'PCMA' });
    expect(session.telephoneEvent).toEqual({ payloadType: 96, events: '0-15' });
    expect(session.remote).toEqual({ address: '198.51.100.7', rtpPort: 49170, rtcpPort: 53020, rtcpAddress: '198.51.100.8' });
    expect(session.direction).toBe('sendrecv');
    expect(session.remoteHold).toBe(false);
    expect(session.remotePtime).toBe(30);
    expect(serializeSdp(answer)).toBe(
      sdp(
        'v=0',
        'o=- 1234 2 IN IP4 192.0.2.10',
        's=-',
        'c=IN IP4 192.0.2.10',
        't=0 0',
        'm=audio 40000 RTP/AVP 8 96',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:96 telephone-event/8000',
        'a=fmtp:96 0-15',
        'a=ptime:20',
        'a=sendrecv',
        'm=video 0 RTP/AVP 31',
      ),
    );
  });

  it('takes a dynamic payload type mapped to PCMU', () => {
    const offer = parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 97', 'a=rtpmap:97 pcmu/8000'));
    expect(answerAudioOffer(offer, LOCAL).session.codec).toMatchObject({ payloadType: 97, encoding: 'pcmu' });
  });

  it('refuses an offer with no common codec, or only a disabled or secure audio stream (→ 488)', () => {
    const base = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0'];
    expect(codeOf(() => answerAudioOffer(parseSdp(sdp(...base, 'm=audio 4000 RTP/AVP 9 18')), LOCAL))).toBe('SDP_NO_COMMON_CODEC');
    expect(codeOf(() => answerAudioOffer(parseSdp(sdp(...base, 'm=audio 0 RTP/AVP 0')), LOCAL))).toBe('SDP_NO_COMMON_CODEC');
    expect(codeOf(() => answerAudioOffer(parseSdp(sdp(...base, 'm=audio 4000 RTP/SAVP 0')), LOCAL))).toBe('SDP_NO_COMMON_CODEC');
    expect(codeOf(() => answerAudioOffer(parseSdp(sdp(...base, 'm=video 4000 RTP/AVP 31')), LOCAL))).toBe('SDP_NO_COMMON_CODEC');
    expect(codeOf(() => answerAudioOffer(parseSdp(sdp(...base, 'm=audio 4000 RTP/AVP 0')), { ...LOCAL, codecs: ['PCMA'] }))).toBe('SDP_NO_COMMON_CODEC');
  });

  it('refuses an audio stream with no connection address', () => {
    const offer = parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0', 'm=audio 4000 RTP/AVP 0'));
    expect(codeOf(() => answerAudioOffer(offer, LOCAL))).toBe('SDP_MALFORMED');
  });

  it.each([
    ['sendonly', 'a=sendonly', 'recvonly', true],
    ['inactive', 'a=inactive', 'inactive', true],
    ['recvonly', 'a=recvonly', 'sendonly', false],
    ['sendrecv', 'a=sendrecv', 'sendrecv', false],
  ])('answers a %s offer as %s and detects hold', (_, attribute, expected, hold) => {
    const offer = parseSdp(sdp('v=0', 'o=- 1 2 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0', attribute));
    const { answer, session } = answerAudioOffer(offer, LOCAL);
    expect(session.direction).toBe(expected);
    expect(session.remoteHold).toBe(hold);
    expect(isHold(offer)).toBe(hold);
    expect(serializeSdp(answer)).toContain(`a=${expected}\r\n`);
  });

  it('treats c=0.0.0.0 as hold (RFC 3264 §8.4) and a session-level direction as the default', () => {
    const legacy = parseSdp(sdp('v=0', 'o=- 1 2 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 4000 RTP/AVP 0'));
    expect(isHold(legacy)).toBe(true);
    expect(answerAudioOffer(legacy, LOCAL).session.direction).toBe('recvonly');
    const sessionLevel = parseSdp(sdp('v=0', 'o=- 1 2 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'a=inactive', 'm=audio 4000 RTP/AVP 0'));
    expect(isHold(sessionLevel)).toBe(true);
  });

  it('lets the answerer hold the call itself', () => {
    const { session } = answerAudioOffer(parseSdp(PHONE_OFFER), { ...LOCAL, direction: 'sendonly' });
    expect(session.direction).toBe('sendonly');
  });

  it('reads the answer to its own offer', () => {
    const offer = createAudioOffer(LOCAL);
    const peer: LocalAudio = { address: '198.51.100.7', port: 50000, sessionId: 9, sessionVersion: 1, codecs: ['PCMA', 'PCMU'] };
    const { answer } = answerAudioOffer(parseSdp(serializeSdp(offer)), peer);
    const session = acceptAudioAnswer(offer, parseSdp(serializeSdp(answer)));
    expect(session.codec.encoding).toBe('PCMU');
    expect(session.telephoneEvent).toEqual({ payloadType: 101, events: '0-16' });
    expect(session.remote).toMatchObject({ address: '198.51.100.7', rtpPort: 50000, rtcpPort: 50001 });
    expect(session.direction).toBe('sendrecv');
  });

  it('refuses an answer that does not fit the offer', () => {
    const offer = createAudioOffer(LOCAL);
    const twoLines = parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 4000 RTP/AVP 0', 'm=video 0 RTP/AVP 31'));
    expect(codeOf(() => acceptAudioAnswer(offer, twoLines))).toBe('SDP_ANSWER_MISMATCH');
    const rejected = parseSdp(sdp('v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 0 RTP/AVP 0'));
    expect(codeOf(() => acceptAudioAnswer(offer, rejected))).toBe('SDP_NO_COMMON_CODEC');
  });

  it('answers the SDP of the RFC 4475 wsinv INVITE (PCMU and an unknown codec, plus video)', () => {
    const offer = parseSdp(sdp('v=0', 'o=mhandley 29739 7272939 IN IP4 192.0.2.3', 's=-', 'c=IN IP4 192.0.2.4', 't=0 0', 'm=audio 49217 RTP/AVP 0 12', 'm=video 3227 RTP/AVP 31', 'a=rtpmap:31 LPC'));
    const { answer, session } = answerAudioOffer(offer, LOCAL);
    expect(session.codec.encoding).toBe('PCMU');
    expect(session.telephoneEvent).toBeUndefined();
    expect(answer.media.map((m) => m.port)).toEqual([40000, 0]);
  });
});
