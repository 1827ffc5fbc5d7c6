import { describe, expect, it } from 'vitest';

import {
  DEFAULT_PULSE_TIMING,
  WiegandError,
  WiegandReceiver,
  bitsToString,
  decodePulseTrain,
  eightBit,
  emitPulses,
  fourBit,
  framesToPulseTrain,
  h10301,
  h10304,
  resolvePulseTiming,
  toPulseTrain,
  type Pulse,
} from './index.js';

function thrown(run: () => unknown): WiegandError {
  try {
    run();
  } catch (error) {
    if (error instanceof WiegandError) return error;
    throw error;
  }
  throw new Error('expected a WiegandError, nothing was thrown');
}

const card = h10301.encode({ facilityCode: 1, cardNumber: 1 }); // 10000000100000000000000010

describe('pulse train encoder', () => {
  it('puts bit i on D1 (1) or D0 (0) at i × 2 ms, 50 µs wide, by default', () => {
    const train = toPulseTrain(card);
    expect(train).toHaveLength(26);
    expect(train[0]).toEqual({ line: 'D1', atMicros: 0, widthMicros: 50 });
    expect(train[1]).toEqual({ line: 'D0', atMicros: 2000, widthMicros: 50 });
    expect(train[8]).toEqual({ line: 'D1', atMicros: 16_000, widthMicros: 50 });
    expect(train[25]).toEqual({ line: 'D0', atMicros: 50_000, widthMicros: 50 });
    expect(train.map((pulse) => (pulse.line === 'D1' ? '1' : '0')).join('')).toBe(bitsToString(card));
  });

  it('uses a configured width and interval, and a start time', () => {
    const train = toPulseTrain(card, { pulseWidthMicros: 100, pulseIntervalMicros: 1000 }, 5000);
    expect(train.slice(0, 3)).toEqual([
      { line: 'D1', atMicros: 5000, widthMicros: 100 },
      { line: 'D0', atMicros: 6000, widthMicros: 100 },
      { line: 'D0', atMicros: 7000, widthMicros: 100 },
    ]);
    expect(toPulseTrain(card, { pulseIntervalMicros: 200, pulseWidthMicros: 20 })[25]).toEqual({ line: 'D0', atMicros: 5000, widthMicros: 20 });
  });

  it('separates frames by an idle gap of 25 intervals after the last pulse', () => {
    const train = framesToPulseTrain(fourBit.encodeKeys('1#'));
    expect(train.map((p) => [p.line, p.atMicros])).toEqual([
      ['D0', 0], ['D0', 2000], ['D0', 4000], ['D1', 6000],
      // The first frame ends at 6050 µs; 50 ms later the second begins.
      ['D1', 56_050], ['D0', 58_050], ['D1', 60_050], ['D1', 62_050],
    ]);
    expect(framesToPulseTrain([card, card], {}, { frameGapMicros: 10_000 })[26]?.atMicros).toBe(50_050 + 10_000);
  });

  it('emits to a sink without building pulse objects', () => {
    const lines: string[] = [];
    const end = emitPulses(card, DEFAULT_PULSE_TIMING, 100, (line, atMicros, widthMicros) => {
      lines.push(`${line}@${atMicros}/${widthMicros}`);
    });
    expect(lines[0]).toBe('D1@100/50');
    expect(lines[25]).toBe('D0@50100/50');
    expect(end).toBe(50_150);
  });

  it.each([
    { timing: { pulseWidthMicros: 19 }, message: 'wiegand timing: pulseWidthMicros must be an integer from 20 to 200, got 19' },
    { timing: { pulseWidthMicros: 201 }, message: 'wiegand timing: pulseWidthMicros must be an integer from 20 to 200, got 201' },
    { timing: { pulseWidthMicros: 50.5 }, message: 'wiegand timing: pulseWidthMicros must be an integer from 20 to 200, got 50.5' },
    { timing: { pulseIntervalMicros: 199 }, message: 'wiegand timing: pulseIntervalMicros must be an integer from 200 to 20000, got 199' },
    { timing: { pulseIntervalMicros: 20_001 }, message: 'wiegand timing: pulseIntervalMicros must be an integer from 200 to 20000, got 20001' },
    {
      timing: { pulseWidthMicros: 200, pulseIntervalMicros: 200 },
      message: 'wiegand timing: pulseWidthMicros must be shorter than pulseIntervalMicros (200), got 200',
    },
  ])('refuses timing $timing', ({ timing, message }) => {
    const error = thrown(() => toPulseTrain(card, timing));
    expect(error.code).toBe('WIEGAND_VALUE_OUT_OF_RANGE');
    expect(error.message).toBe(message);
    expect(thrown(() => resolvePulseTiming(timing)).message).toBe(message);
  });

  it('defaults to 50 µs / 2 ms and accepts the limits', () => {
    expect(resolvePulseTiming()).toEqual({ pulseWidthMicros: 50, pulseIntervalMicros: 2000 });
    expect(resolvePulseTiming({ pulseWidthMicros: 200, pulseIntervalMicros: 20_000 })).toEqual({ pulseWidthMicros: 200, pulseIntervalMicros: 20_000 });
  });
});

describe('pulse train receiver', () => {
  it('decodes what the encoder sent, with parity checked', () => {
    const frames = decodePulseTrain(toPulseTrain(card));
    expect(frames).toHaveLength(1);
    const [frame] = frames;
    expect(bitsToString(frame!.bits)).toBe('10000000100000000000000010');
    expect(frame).toMatchObject({ startMicros: 0, endMicros: 50_050, glitches: 0, problems: [] });
    expect(h10301.decode(frame!.bits)).toEqual({ facilityCode: 1, cardNumber: 1 });
  });

  it('splits a recording of a card and keypresses into its frames', () => {
    const cardFrame = h10304.encode({ facilityCode: 4242, cardNumber: 300_001 });
    const keys = eightBit.encodeKeys('1234#');
    const train = framesToPulseTrain([cardFrame, ...keys]);
    const frames = decodePulseTrain(train);
    expect(frames.map((frame) => frame.bits.length)).toEqual([37, 8, 8, 8, 8, 8]);
    expect(h10304.decode(frames[0]!.bits)).toEqual({ facilityCode: 4242, cardNumber: 300_001 });
    expect(frames.slice(1).map((frame) => eightBit.decodeKey(frame.bits)).join('')).toBe('1234#');
    // The manual's example uses FourBit: the same keys, 4 bits each.
    const fourBitFrames = decodePulseTrain(framesToPulseTrain(fourBit.encodeKeys('1234#')));
    expect(fourBitFrames.map((frame) => fourBit.decodeKey(frame.bits)).join('')).toBe('1234#');
  });

  it('decodes trains sent with other timings when told the interval', () => {
    const timing = { pulseWidthMicros: 100, pulseIntervalMicros: 10_000 };
    const train = framesToPulseTrain([card, card], timing);
    expect(decodePulseTrain(train, { pulseIntervalMicros: 10_000 }).map((f) => h10301.decode(f.bits))).toEqual([
      { facilityCode: 1, cardNumber: 1 },
      { facilityCode: 1, cardNumber: 1 },
    ]);
  });

  it('ends a frame only after more than 20 intervals of silence', () => {
    // Hand-built: "#" (1011) then "1" (0001) with a 40.001 ms silence, and a
    // slow but single frame with 10-interval pauses.
    const at = (line: 'D0' | 'D1', atMicros: number): Pulse => ({ line, atMicros, widthMicros: 50 });
    const split = decodePulseTrain([
      at('D1', 0), at('D0', 2000), at('D1', 4000), at('D1', 6000),
      at('D0', 46_051), at('D0', 48_051), at('D0', 50_051), at('D1', 52_051),
    ]);
    expect(split.map((frame) => fourBit.decodeKey(frame.bits))).toEqual(['#', '1']);
    const slow = decodePulseTrain([at('D1', 0), at('D0', 20_000), at('D1', 40_000), at('D1', 60_000)]);
    expect(slow.map((frame) => bitsToString(frame.bits))).toEqual(['1011']);
    const exactly = decodePulseTrain([at('D1', 0), at('D0', 40_050)]);
    expect(exactly).toHaveLength(1);
  });

  it('ignores glitches shorter than the minimum width, inside frames and between them', () => {
    const train = framesToPulseTrain([card, card]);
    const noisy: Pulse[] = [...train];
    noisy.push({ line: 'D0', atMicros: 1000, widthMicros: 3 }); // between bits 1 and 2
    noisy.push({ line: 'D1', atMicros: 2020, widthMicros: 5 }); // during bit 2's pulse
    noisy.push({ line: 'D1', atMicros: 30_999, widthMicros: 9 });
    // In the gap (the first frame ended at 50 050 µs, the second starts at 100 050 µs):
    // no frame of its own, and counted with the next frame.
    noisy.push({ line: 'D0', atMicros: 95_000, widthMicros: 2 });
    const frames = decodePulseTrain(noisy);
    expect(frames.map((frame) => h10301.decode(frame.bits))).toEqual([
      { facilityCode: 1, cardNumber: 1 },
      { facilityCode: 1, cardNumber: 1 },
    ]);
    expect(frames.map((frame) => frame.glitches)).toEqual([3, 1]);
    expect(frames.every((frame) => frame.problems.length === 0)).toBe(true);
    // With a higher threshold, a 10 µs pulse is noise too.
    const tenMicros = toPulseTrain(card).map((pulse) => ({ ...pulse, widthMicros: 10 }));
    expect(decodePulseTrain(tenMicros)[0]?.bits.length).toBe(26);
    expect(decodePulseTrain(tenMicros, { minPulseWidthMicros: 11 })).toEqual([]);
  });

  it('does not let a burst of glitches hold a frame open across the gap', () => {
    const noisy: Pulse[] = [...toPulseTrain(card)];
    for (let at = 52_000; at < 110_000; at += 5000) noisy.push({ line: 'D1', atMicros: at, widthMicros: 4 });
    toPulseTrain(card, {}, 110_000, noisy);
    const frames = decodePulseTrain(noisy);
    expect(frames.map((frame) => frame.bits.length)).toEqual([26, 26]);
    expect(frames.map((frame) => frame.glitches)).toEqual([8, 4]);
  });

  it('reports a missing bit as a length error and a bit on the wrong line as a parity error, without throwing', () => {
    const train = toPulseTrain(card);
    const missing = train.filter((_, index) => index !== 10);
    const [short] = decodePulseTrain(missing);
    expect(short!.bits.length).toBe(25);
    const lengthResult = h10301.tryDecode(short!.bits);
    expect(lengthResult.ok ? 'decoded' : lengthResult.error.code).toBe('WIEGAND_FRAME_LENGTH');

    const wrongLine = train.map((pulse, index) => (index === 5 ? { ...pulse, line: 'D1' as const } : pulse));
    const [flipped] = decodePulseTrain(wrongLine);
    const parityResult = h10301.tryDecode(flipped!.bits);
    expect(parityResult.ok ? 'decoded' : parityResult.error.code).toBe('WIEGAND_PARITY');
    if (!parityResult.ok) expect(parityResult.error.message).toMatch(/even parity fails/);
  });

  it('drops and reports a pulse while the other line is still low', () => {
    const train: Pulse[] = [...toPulseTrain(card), { line: 'D0', atMicros: 20, widthMicros: 50 }];
    const [frame] = decodePulseTrain(train);
    expect(bitsToString(frame!.bits)).toBe('10000000100000000000000010');
    expect(frame!.problems).toEqual([
      expect.objectContaining({ code: 'WIEGAND_OVERLAPPING_PULSES', atMicros: 20 }),
    ]);
  });

  it('sorts an unsorted recording, and reports pulses that are not pulses', () => {
    const train = toPulseTrain(card).reverse();
    expect(h10301.decode(decodePulseTrain(train)[0]!.bits)).toEqual({ facilityCode: 1, cardNumber: 1 });
    const odd = [...toPulseTrain(card), { line: 'D2', atMicros: 3000, widthMicros: 50 } as unknown as Pulse];
    const [frame] = decodePulseTrain(odd);
    expect(frame!.bits.length).toBe(26);
    expect(frame!.problems.map((problem) => problem.code)).toEqual(['WIEGAND_INVALID_PULSE']);
  });

  it('keeps at most maxFrameBits bits and says so', () => {
    const [frame] = decodePulseTrain(toPulseTrain(card), { maxFrameBits: 20 });
    expect(frame!.bits.length).toBe(20);
    expect(frame!.problems.map((problem) => problem.code)).toEqual(['WIEGAND_FRAME_TOO_LONG']);
  });

  it('works live: pulse by pulse, a frame when the next starts or the lines stay idle', () => {
    const receiver = new WiegandReceiver();
    const received: string[] = [];
    const sink = (line: 'D0' | 'D1', atMicros: number, widthMicros: number) => {
      const frame = receiver.push(line, atMicros, widthMicros);
      if (frame) received.push(bitsToString(frame.bits));
    };
    const end = emitPulses(fourBit.encodeKey('7'), DEFAULT_PULSE_TIMING, 0, sink);
    expect(receiver.idle(end + 40_000)).toBeUndefined();
    emitPulses(fourBit.encodeKey('9'), DEFAULT_PULSE_TIMING, end + 50_000, sink);
    expect(received).toEqual(['0111']);
    expect(receiver.idle(end + 50_000 + 6050 + 40_001)?.bits).toEqual(fourBit.encodeKey('9'));
    expect(receiver.flush()).toBeUndefined();
  });

  it('refuses nonsense options', () => {
    expect(thrown(() => new WiegandReceiver({ frameGapMicros: 0 })).code).toBe('WIEGAND_VALUE_OUT_OF_RANGE');
    expect(thrown(() => new WiegandReceiver({ minPulseWidthMicros: -1 })).message).toBe(
      'wiegand receiver: minPulseWidthMicros must be an integer from 0 to 1000000, got -1',
    );
  });
});
