import { describe, expect, it } from 'vitest';

import { decodeTelephoneEvent, digitToEvent, encodeTelephoneEvent, eventToDigit, planTelephoneEvent } from './telephone-event.js';
import { type ReceivedDigit, TelephoneEventReceiver } from './telephone-event-receiver.js';

describe('RFC 4733 telephone-event payload', () => {
  it('maps digits to event codes 0–15 (§3.2)', () => {
    expect([...'0123456789*#ABCD'].map(digitToEvent)).toEqual([...Array(16).keys()]);
    expect(digitToEvent('d')).toBe(15);
    expect(eventToDigit(11)).toBe('#');
    expect(eventToDigit(16)).toBeNull();
    expect(() => digitToEvent('x')).toThrow(expect.objectContaining({ code: 'DTMF_DIGIT_INVALID' }));
  });

  it('encodes event, E bit, volume and duration (§2.3)', () => {
    expect(Buffer.from(encodeTelephoneEvent({ event: 9, end: true, volume: 10, duration: 800 })).toString('hex')).toBe('098a0320');
    expect(decodeTelephoneEvent(Uint8Array.of(0x0b, 0x3f, 0xff, 0xff))).toEqual({ event: 11, end: false, volume: 63, duration: 65535 });
    expect(decodeTelephoneEvent(Uint8Array.of(1, 2, 3))).toBeNull();
    expect(() => encodeTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 })).toThrow(/volume 64/);
  });

  it('plans a digit: a marked first packet, growing durations, then the end packet three times', () => {
    const packets = planTelephoneEvent('5', { durationMs: 100, volume: 7 });
    const decoded = packets.map((p) => ({ marker: p.marker, ...decodeTelephoneEvent(p.payload)! }));
    expect(decoded).toEqual([
      { marker: true, event: 5, end: false, volume: 7, duration: 160 },
      { marker: false, event: 5, end: false, volume: 7, duration: 320 },
      { marker: false, event: 5, end: false, volume: 7, duration: 480 },
      { marker: false, event: 5, end: false, volume: 7, duration: 640 },
      { marker: false, event: 5, end: true, volume: 7, duration: 800 },
      { marker: false, event: 5, end: true, volume: 7, duration: 800 },
      { marker: false, event: 5, end: true, volume: 7, duration: 800 },
    ]);
  });
});

describe('TelephoneEventReceiver', () => {
  const stream = (digit: string, timestamp: number, ssrc = 1) =>
    planTelephoneEvent(digit).map((p) => ({ ssrc, timestamp, payload: p.payload }));

  function receiver(): { digits: string[]; feed: (packets: Array<{ ssrc: number; timestamp: number; payload: Uint8Array }>) => void } {
    const digits: string[] = [];
    const r = new TelephoneEventReceiver((d: ReceivedDigit) => digits.push(d.digit));
    return { digits, feed: (packets) => packets.forEach((p) => r.receive(p)) };
  }

  it('reports each event once, ignoring updates and the retransmitted end packets', () => {
    const { digits, feed } = receiver();
    feed([...stream('1', 1000), ...stream('2', 2000), ...stream('#', 3000)]);
    expect(digits).toEqual(['1', '2', '#']);
  });

  it('reports the same digit twice when pressed twice (a new timestamp is a new event)', () => {
    const { digits, feed } = receiver();
    feed([...stream('9', 1000), ...stream('9', 1960)]);
    expect(digits).toEqual(['9', '9']);
  });

  it('still reports an event whose start packets were lost', () => {
    const { digits, feed } = receiver();
    feed(stream('4', 500).slice(3));
    feed(stream('7', 1500).slice(-1));
    expect(digits).toEqual(['4', '7']);
  });

  it('ignores a late end packet of an earlier event, across timestamp wrap too', () => {
    const { digits, feed } = receiver();
    const first = stream('3', 0xffffff00);
    const second = stream('6', 0x00000200);
    feed([...first.slice(0, 5), ...second.slice(0, 2), first[6]!, ...second.slice(2)]);
    expect(digits).toEqual(['3', '6']);
  });

  it('starts afresh for a new SSRC', () => {
    const { digits, feed } = receiver();
    feed([...stream('1', 5000, 1), ...stream('2', 100, 2)]);
    expect(digits).toEqual(['1', '2']);
  });

  it('ignores events that are not DTMF and payloads too short to be events', () => {
    const { digits, feed } = receiver();
    feed([{ ssrc: 1, timestamp: 10, payload: encodeTelephoneEvent({ event: 66, end: false, volume: 0, duration: 0 }) }, { ssrc: 1, timestamp: 20, payload: Uint8Array.of(1) }]);
    expect(digits).toEqual([]);
  });
});
