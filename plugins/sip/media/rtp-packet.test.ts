import { describe, expect, it } from 'vitest';

import { decodeRtpPacket, encodeRtpPacket } from './rtp-packet.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

describe('RTP packets', () => {
  it('encodes the fixed header field by field (RFC 3550 §5.1)', () => {
    const bytes = encodeRtpPacket({ marker: true, payloadType: 8, sequenceNumber: 0x1234, timestamp: 0xdeadbeef, ssrc: 0x01020304, payload: Uint8Array.of(0xd5, 0xd5) });
    expect(Buffer.from(bytes).toString('hex')).toBe('80881234deadbeef01020304d5d5');
  });

  it('decodes what it encodes, with CSRCs, an extension and padding', () => {
    const spec = {
      marker: false,
      payloadType: 0,
      sequenceNumber: 65535,
      timestamp: 4294967295,
      ssrc: 7,
      csrc: [1, 2, 0xffffffff],
      extension: { profile: 0xbede, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) },
      padding: 3,
      payload: Uint8Array.of(9, 8, 7),
    };
    const bytes = encodeRtpPacket(spec);
    expect(bytes[0]).toBe(0x80 | 0x20 | 0x10 | 3);
    expect(bytes.length).toBe(12 + 12 + 4 + 8 + 3 + 3);
    const decoded = decodeRtpPacket(bytes);
    expect(decoded).toEqual({ ok: true, packet: spec });
  });

  it('decodes a packet made elsewhere (with padding, from a hex dump)', () => {
    const decoded = decodeRtpPacket(hex('a0 00 0001 00000140 0badcafe ffff 0000 03'));
    expect(decoded.ok && decoded.packet).toMatchObject({ payloadType: 0, sequenceNumber: 1, timestamp: 320, ssrc: 0x0badcafe, padding: 3 });
    expect(decoded.ok && [...decoded.packet.payload]).toEqual([0xff, 0xff]);
  });

  it.each([
    ['too-short', '80 00 0001 00000000 000000'],
    ['bad-version', '40 00 0001 00000000 00000000'],
    ['bad-version', '00 00 0001 00000000 00000000'],
    ['truncated-header', '82 00 0001 00000000 00000000 00000001'],
    ['truncated-header', '90 00 0001 00000000 00000000 bede'],
    ['truncated-header', '90 00 0001 00000000 00000000 bede0002 00000000'],
    ['bad-padding', 'a0 00 0001 00000000 00000000 ff 00'],
    ['bad-padding', 'a0 00 0001 00000000 00000000 ff 05'],
    ['bad-padding', 'a0 00 0001 00000000 00000000'],
  ])('refuses a malformed packet: %s (%s)', (reason, bytes) => {
    expect(decodeRtpPacket(hex(bytes))).toEqual({ ok: false, reason });
  });

  it('refuses to encode fields out of range, with a code', () => {
    const base = { payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: new Uint8Array(0) };
    expect(() => encodeRtpPacket({ ...base, payloadType: 128 })).toThrow(expect.objectContaining({ code: 'RTP_FIELD_INVALID' }));
    expect(() => encodeRtpPacket({ ...base, sequenceNumber: 65536 })).toThrow(/sequence number 65536 is outside 0–65535/);
    expect(() => encodeRtpPacket({ ...base, ssrc: -1 })).toThrow(/SSRC/);
    expect(() => encodeRtpPacket({ ...base, csrc: new Array(16).fill(1) })).toThrow(/at most 15 CSRCs/);
    expect(() => encodeRtpPacket({ ...base, extension: { profile: 1, data: new Uint8Array(3) } })).toThrow(/32-bit words/);
  });
});
