/**
 * Frame layout (§5): the Annex E example frames decode to the fields they
 * were built from, encoding round-trips, and everything that does not fit is
 * refused with a reason instead of an exception.
 */
import { describe, expect, it } from 'vitest';

import { decodeFrame, encodeFrame } from './frame.js';
import { buildCommand } from './test-support/acu-frames.js';

describe('OSDP frame', () => {
  it('decodes Annex E CRC example 1: osdp_COMSET to broadcast, address 0, 9600 baud', () => {
    const result = decodeFrame(Uint8Array.of(0x53, 0x7f, 0x0d, 0x00, 0x04, 0x6e, 0x00, 0x80, 0x25, 0x00, 0x00, 0x6e, 0x38));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.frame).toMatchObject({ address: 0x7f, reply: false, sequence: 0, crc: true, securityBlock: null, code: 0x6e, mac: null });
    expect([...result.frame.data]).toEqual([0x00, 0x80, 0x25, 0x00, 0x00]);
  });

  it('decodes Annex E checksum example 2: osdp_ID to address 0', () => {
    const result = decodeFrame(Uint8Array.of(0x53, 0x00, 0x08, 0x00, 0x00, 0x61, 0x00, 0x44));
    expect(result.ok && result.frame.code === 0x61 && !result.frame.crc).toBe(true);
  });

  it('encodes the Annex E examples byte for byte', () => {
    const comset = encodeFrame({ address: 0x7f, sequence: 0, code: 0x6e, data: Uint8Array.of(0x00, 0x80, 0x25, 0x00, 0x00) });
    expect(Buffer.from(comset).toString('hex')).toBe('537f0d00046e00802500006e38');
    const id = encodeFrame({ address: 0, sequence: 0, crc: false, code: 0x61, data: Uint8Array.of(0) });
    expect(Buffer.from(id).toString('hex')).toBe('53000800006100' + '44');
  });

  it('round-trips replies with a security block and a MAC', () => {
    const bytes = encodeFrame({
      address: 5, reply: true, sequence: 3, securityBlock: { type: 0x18, data: new Uint8Array(0) }, code: 0x50, data: Uint8Array.of(1, 2, 3),
      mac: () => Uint8Array.of(9, 8, 7, 6, 5),
    });
    const result = decodeFrame(bytes);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.frame).toMatchObject({ address: 5, reply: true, sequence: 3, code: 0x50 });
    expect(result.frame.securityBlock?.type).toBe(0x18);
    expect([...result.frame.mac!]).toEqual([9, 8, 7, 6]);
    expect(result.frame.authenticatedLength).toBe(bytes.length - 6);
  });

  it('agrees with the test controller on command frames', () => {
    const bytes = buildCommand({ address: 9, sequence: 2, scb: [3, 0x11, 0], code: 0x76, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) });
    const result = decodeFrame(bytes);
    expect(result.ok && result.frame.securityBlock?.type === 0x11 && result.frame.securityBlock.data[0] === 0 && result.frame.data.length === 8).toBe(true);
  });

  it('refuses with a reason: bad check, reserved bits, short LEN, security block or MAC not fitting', () => {
    const good = encodeFrame({ address: 1, sequence: 1, code: 0x60 });
    const flipped = good.slice();
    flipped[5]! ^= 0x01;
    expect(decodeFrame(flipped)).toMatchObject({ ok: false, reason: 'bad-check' });

    const reserved = encodeFrame({ address: 1, sequence: 1, code: 0x60 });
    reserved[4]! |= 0x40;
    expect(decodeFrame(reserved)).toMatchObject({ ok: false, reason: 'bad-control' });

    expect(decodeFrame(Uint8Array.of(0x53, 0x01, 0x04, 0x00, 0x04))).toMatchObject({ ok: false, reason: 'bad-length' });

    // CTRL says SCB but the block claims more bytes than the frame has (valid CRC).
    const scb = buildCommand({ address: 1, sequence: 1, scb: [40, 0x15], code: 0x60 });
    expect(decodeFrame(scb)).toMatchObject({ ok: false, reason: 'bad-structure' });
    // SCS_15 needs a 4-byte MAC: a frame too short to hold it is refused.
    const noMac = buildCommand({ address: 1, sequence: 1, scb: [2, 0x15], code: 0x60 });
    expect(decodeFrame(noMac)).toMatchObject({ ok: false, reason: 'bad-structure' });
    expect(decodeFrame(new Uint8Array(0))).toMatchObject({ ok: false });
  });

  it('throws only on programming errors when encoding', () => {
    expect(() => encodeFrame({ address: 0x80, sequence: 0, code: 0x60 })).toThrow(RangeError);
    expect(() => encodeFrame({ address: 1, sequence: 4, code: 0x60 })).toThrow(RangeError);
    expect(() => encodeFrame({ address: 1, sequence: 0, code: 0x60, data: new Uint8Array(70_000) })).toThrow(RangeError);
  });
});
