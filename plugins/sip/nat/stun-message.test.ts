import { describe, expect, it } from 'vitest';

import { crc32 } from './crc32.js';
import { readAddress, readErrorCode, readText, readUint32, readXorAddress, stunAttribute } from './stun-attributes.js';
import { StunAttributeType, StunMethod } from './stun-codes.js';
import { longTermKey, shortTermKey } from './stun-credentials.js';
import { type DecodedStunMessage, decodeStunMessage, encodeStunMessage, verifyMessageIntegrity } from './stun-message.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

// RFC 5769 §2.1–2.4.
const SAMPLE_REQUEST = hex(`
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);
const SAMPLE_IPV4_RESPONSE = hex(`
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);
const SAMPLE_IPV6_RESPONSE = hex(`
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c`);
const SAMPLE_LONG_TERM_REQUEST = hex(`
  00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
  00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
  00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
  00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
  00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66`);
const SHORT_TERM_PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';
const TRANSACTION_ID = hex('b7e7a701bc34d686fa87dfae');

function decode(bytes: Uint8Array): DecodedStunMessage {
  const result = decodeStunMessage(bytes);
  if (!result.ok) throw new Error(`not decoded: ${result.reason}`);
  return result.message;
}

describe('STUN messages against the RFC 5769 test vectors', () => {
  it('2.1: decodes the sample request and checks its MESSAGE-INTEGRITY and FINGERPRINT', () => {
    const message = decode(SAMPLE_REQUEST);
    expect(message).toMatchObject({ method: StunMethod.Binding, messageClass: 'request' });
    expect(readText(message, StunAttributeType.Software)).toBe('STUN test client');
    expect(readText(message, StunAttributeType.Username)).toBe('evtj:h6vY');
    expect(verifyMessageIntegrity(message, shortTermKey(SHORT_TERM_PASSWORD))).toBe(true);
    expect(verifyMessageIntegrity(message, shortTermKey('wrong'))).toBe(false);
  });

  it('2.1: encodes the same bytes from the same fields', () => {
    const message = decode(SAMPLE_REQUEST);
    const attributes = message.attributes.filter((a) => a.type !== StunAttributeType.MessageIntegrity && a.type !== StunAttributeType.Fingerprint);
    // The vector pads USERNAME with spaces, which an encoder may choose (RFC 5389 §15: padding content is ignored).
    const encoded = encodeStunMessage({ ...message, attributes }, { integrityKey: shortTermKey(SHORT_TERM_PASSWORD), fingerprint: true });
    const withSpaces = Uint8Array.from(encoded);
    withSpaces.set([0x20, 0x20, 0x20], 20 + 20 + 8 + 12 + 4 + 9);
    expect(Buffer.from(withSpaces.subarray(0, 80)).toString('hex')).toBe(Buffer.from(SAMPLE_REQUEST.subarray(0, 80)).toString('hex'));
    // The HMAC covers the padding bytes, so with zero padding the MAC differs but still verifies.
    expect(verifyMessageIntegrity(decode(encoded), shortTermKey(SHORT_TERM_PASSWORD))).toBe(true);
  });

  it('2.2: reads the IPv4 XOR-MAPPED-ADDRESS 192.0.2.1:32853 and reproduces the response byte for byte', () => {
    const message = decode(SAMPLE_IPV4_RESPONSE);
    expect(message.messageClass).toBe('success');
    expect(readXorAddress(message, StunAttributeType.XorMappedAddress)).toEqual({ address: '192.0.2.1', port: 32853 });
    expect(verifyMessageIntegrity(message, shortTermKey(SHORT_TERM_PASSWORD))).toBe(true);
    const encoded = encodeStunMessage(
      { method: StunMethod.Binding, messageClass: 'success', transactionId: TRANSACTION_ID, attributes: [{ type: StunAttributeType.Software, value: Buffer.from('test vector') }, stunAttribute.xorMappedAddress({ address: '192.0.2.1', port: 32853 }, TRANSACTION_ID)] },
      { integrityKey: shortTermKey(SHORT_TERM_PASSWORD), fingerprint: true },
    );
    const spaced = Uint8Array.from(encoded);
    spaced[20 + 4 + 11] = 0x20; // the vector pads SOFTWARE with a space
    expect(Buffer.from(spaced.subarray(0, 48)).toString('hex')).toBe(Buffer.from(SAMPLE_IPV4_RESPONSE.subarray(0, 48)).toString('hex'));
  });

  it('2.3: reads the IPv6 XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853', () => {
    const message = decode(SAMPLE_IPV6_RESPONSE);
    expect(readXorAddress(message, StunAttributeType.XorMappedAddress)).toEqual({ address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
    expect(verifyMessageIntegrity(message, shortTermKey(SHORT_TERM_PASSWORD))).toBe(true);
    const value = stunAttribute.xorMappedAddress({ address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 }, TRANSACTION_ID).value;
    expect(Buffer.from(value).toString('hex')).toBe('0002a1470113a9faa5d3f179bc25f4b5bed2b9d9');
  });

  it('2.4: checks the long-term MESSAGE-INTEGRITY with MD5(username:realm:password)', () => {
    const message = decode(SAMPLE_LONG_TERM_REQUEST);
    const username = String.fromCodePoint(0x30de, 0x30c8, 0x30ea, 0x30c3, 0x30af, 0x30b9);
    expect(readText(message, StunAttributeType.Username)).toBe(username);
    expect(readText(message, StunAttributeType.Realm)).toBe('example.org');
    expect(readText(message, StunAttributeType.Nonce)).toBe('f//499k954d6OL34oL9FSTvy64sA');
    // The password "The<U+00AD>M<U+00AA>tr<U+2168>" after SASLprep.
    expect(verifyMessageIntegrity(message, longTermKey(username, 'example.org', 'TheMatrIX'))).toBe(true);
    expect(verifyMessageIntegrity(message, longTermKey(username, 'example.org', 'TheMatrix'))).toBe(false);
  });

  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});

describe('STUN messages', () => {
  it('round-trips every attribute Portier uses, with a fingerprint', () => {
    const tid = hex('000102030405060708090a0b');
    const bytes = encodeStunMessage(
      {
        method: StunMethod.ChannelBind,
        messageClass: 'error',
        transactionId: tid,
        attributes: [
          stunAttribute.errorCode({ code: 438, reason: 'Stale Nonce' }),
          stunAttribute.lifetime(600),
          stunAttribute.requestedTransport(),
          stunAttribute.channelNumber(0x4001),
          stunAttribute.data(Uint8Array.of(1, 2, 3)),
          stunAttribute.xorPeerAddress({ address: '127.0.0.1', port: 5004 }, tid),
          stunAttribute.xorRelayedAddress({ address: '::1', port: 49152 }, tid),
          stunAttribute.mappedAddress({ address: '10.1.2.3', port: 1 }),
        ],
      },
      { fingerprint: true },
    );
    expect(bytes[0]! >> 6).toBe(0);
    const message = decode(bytes);
    expect(message).toMatchObject({ method: StunMethod.ChannelBind, messageClass: 'error' });
    expect(readErrorCode(message)).toEqual({ code: 438, reason: 'Stale Nonce' });
    expect(readUint32(message, StunAttributeType.Lifetime)).toBe(600);
    expect([...message.attributes.find((a) => a.type === StunAttributeType.RequestedTransport)!.value]).toEqual([17, 0, 0, 0]);
    expect(readXorAddress(message, StunAttributeType.XorPeerAddress)).toEqual({ address: '127.0.0.1', port: 5004 });
    expect(readXorAddress(message, StunAttributeType.XorRelayedAddress)).toEqual({ address: '::1', port: 49152 });
    expect(readAddress(message, StunAttributeType.MappedAddress)).toEqual({ address: '10.1.2.3', port: 1 });
  });

  it.each([
    ['bad-length', SAMPLE_IPV4_RESPONSE.subarray(0, 19)],
    ['bad-length', SAMPLE_IPV4_RESPONSE.subarray(0, 40)],
    ['not-stun', Uint8Array.of(0x80, 0, 0, 0, ...SAMPLE_IPV4_RESPONSE.subarray(4, 20))],
    ['not-stun', Uint8Array.from([...SAMPLE_IPV4_RESPONSE.subarray(0, 4), 0, 0, 0, 0, ...SAMPLE_IPV4_RESPONSE.subarray(8)])],
    ['truncated-attribute', hex('0001 0004 2112a442 000000000000000000000000 0006 0008')],
  ])('refuses %s', (reason, bytes) => {
    expect(decodeStunMessage(bytes)).toEqual({ ok: false, reason });
  });

  it('refuses a wrong FINGERPRINT', () => {
    const bytes = Uint8Array.from(SAMPLE_IPV4_RESPONSE);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    expect(decodeStunMessage(bytes)).toEqual({ ok: false, reason: 'bad-fingerprint' });
  });

  it('refuses to encode a short transaction id, with a code', () => {
    expect(() => encodeStunMessage({ method: 1, messageClass: 'request', transactionId: new Uint8Array(4), attributes: [] })).toThrow(expect.objectContaining({ code: 'STUN_FIELD_INVALID' }));
  });
});
