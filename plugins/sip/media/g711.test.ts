import { describe, expect, it } from 'vitest';

import { alawToLinear, decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw, linearToAlaw, linearToUlaw, ulawToLinear } from './g711.js';

describe('G.711 µ-law', () => {
  it('decodes the reference values (G.191 ulaw_expand)', () => {
    expect(ulawToLinear(0xff)).toBe(0);
    expect(ulawToLinear(0x7f)).toBe(0);
    expect(ulawToLinear(0x80)).toBe(32124);
    expect(ulawToLinear(0x00)).toBe(-32124);
    expect(ulawToLinear(0xfe)).toBe(8);
    expect(ulawToLinear(0x7e)).toBe(-8);
    expect(ulawToLinear(0xf0)).toBe(120);
    expect(ulawToLinear(0xef)).toBe(132);
    expect(ulawToLinear(0xdf)).toBe(396);
  });

  it('encodes the reference values (G.191 ulaw_compress)', () => {
    expect(linearToUlaw(0)).toBe(0xff);
    expect(linearToUlaw(-1)).toBe(0x7f);
    // One's complement, not negation: −4 is still the smallest negative step.
    expect(linearToUlaw(-4)).toBe(0x7f);
    expect(linearToUlaw(-5)).toBe(0x7e);
    expect(linearToUlaw(32767)).toBe(0x80);
    expect(linearToUlaw(-32768)).toBe(0x00);
    expect(linearToUlaw(1000)).toBe(0xce);
    expect(linearToUlaw(-1000)).toBe(0x4e);
    expect(linearToUlaw(1e9)).toBe(0x80);
  });

  it('re-encodes every decoded code to itself (−0 becomes +0)', () => {
    for (let code = 0; code < 256; code++) expect(linearToUlaw(ulawToLinear(code))).toBe(code === 0x7f ? 0xff : code);
  });

  it('encodes and decodes whole frames', () => {
    const samples = Int16Array.of(0, 1000, -1000, 32767, -32768);
    expect([...encodeUlaw(samples)]).toEqual([0xff, 0xce, 0x4e, 0x80, 0x00]);
    expect([...decodeUlaw(Uint8Array.of(0xff, 0xce, 0x4e))]).toEqual([0, 988, -988]);
  });
});

describe('G.711 A-law', () => {
  it('decodes the reference values (G.191 alaw_expand)', () => {
    expect(alawToLinear(0xd5)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
    expect(alawToLinear(0x2a)).toBe(-32256);
    expect(alawToLinear(0xd4)).toBe(24);
    expect(alawToLinear(0xc5)).toBe(264);
  });

  it('encodes the reference values (G.191 alaw_compress)', () => {
    expect(linearToAlaw(0)).toBe(0xd5);
    expect(linearToAlaw(-1)).toBe(0x55);
    expect(linearToAlaw(32767)).toBe(0xaa);
    expect(linearToAlaw(-32768)).toBe(0x2a);
    expect(linearToAlaw(1000)).toBe(0xfa);
    expect(linearToAlaw(-1000)).toBe(0x7a);
  });

  it('re-encodes every decoded code to itself', () => {
    for (let code = 0; code < 256; code++) expect(linearToAlaw(alawToLinear(code))).toBe(code);
  });

  it('encodes and decodes whole frames', () => {
    const codes = encodeAlaw(Int16Array.of(0, 1000, -1000));
    expect([...codes]).toEqual([0xd5, 0xfa, 0x7a]);
    expect([...decodeAlaw(codes)]).toEqual([8, 1008, -1008]);
  });

  it('keeps a quantisation error within half a step across the range', () => {
    for (let sample = -32768; sample <= 32767; sample += 97) {
      const back = alawToLinear(linearToAlaw(sample));
      const mu = ulawToLinear(linearToUlaw(sample));
      const step = Math.max(16, 2 ** (Math.floor(Math.log2(Math.abs(sample) + 1)) - 4));
      expect(Math.abs(back - sample)).toBeLessThanOrEqual(step);
      expect(Math.abs(mu - sample)).toBeLessThanOrEqual(Math.max(step, 1024));
    }
  });
});
