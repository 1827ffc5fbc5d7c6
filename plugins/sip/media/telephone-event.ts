/**
 * The RFC 4733 telephone-event payload (§2.3) for DTMF:
 *
 *   event(8) | E(1) R(1) volume(6) | duration(16)
 *
 * - event: 0–9 the digits, 10 '*', 11 '#', 12–15 'A'–'D' (§3.2, table 7).
 * - E: set on the packets that end the event; the end packet is sent three
 *   times (§2.5.1.4) so one lost packet does not lose the end.
 * - volume: the power in −dBm0, 0–63.
 * - duration: in timestamp units since the event began. Every packet of one
 *   event carries the same RTP timestamp — the event's start (§2.5.1.2).
 */
import { PortierError } from 'portier/sdk';

export const TELEPHONE_EVENT_LENGTH = 4;
/** The dynamic payload type most SIP devices offer for telephone-event/8000. */
export const DEFAULT_TELEPHONE_EVENT_PAYLOAD_TYPE = 101;
/** How often an end packet goes out. */
export const END_PACKET_COPIES = 3;

const DIGITS = '0123456789*#ABCD';

export interface TelephoneEvent {
  /** 0–255; DTMF uses 0–15. */
  event: number;
  end: boolean;
  /** 0–63 (−dBm0). */
  volume: number;
  /** 0–65535 timestamp units. */
  duration: number;
}

/** '0'–'9', '*', '#', 'A'–'D' (case-insensitive) to its event code. */
export function digitToEvent(digit: string): number {
  const event = digit.length === 1 ? DIGITS.indexOf(digit.toUpperCase()) : -1;
  if (event < 0) throw new PortierError('DTMF_DIGIT_INVALID', `"${digit}" is not a DTMF digit; use 0–9, *, # or A–D.`);
  return event;
}

/** An event code to its digit, or null for a code that is not DTMF. */
export function eventToDigit(event: number): string | null {
  return DIGITS[event] ?? null;
}

export function encodeTelephoneEvent(event: TelephoneEvent): Uint8Array {
  check('event', event.event, 0xff);
  check('volume', event.volume, 63);
  check('duration', event.duration, 0xffff);
  return Uint8Array.of(event.event, (event.end ? 0x80 : 0) | event.volume, event.duration >> 8, event.duration & 0xff);
}

/** The event in a payload, or null when the payload is not a telephone-event. */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  // Several events may be stacked in one packet (§2.5.1.5 redundancy); the first is the current one.
  if (payload.length < TELEPHONE_EVENT_LENGTH) return null;
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  };
}

export interface EventPacket {
  /** Set on the first packet of the event only. */
  marker: boolean;
  payload: Uint8Array;
}

export interface EventPlan {
  /** How long the tone lasts (default 100 ms). */
  durationMs?: number;
  /** −dBm0, default 10. */
  volume?: number;
  /** Timestamp units per packet (default 160: 20 ms at 8 kHz). */
  samplesPerPacket?: number;
  /** Default 8000. */
  clockRate?: number;
}

/**
 * The packets of one digit, one per packet interval, all sent with the same
 * RTP timestamp: updates with a growing duration, then the end packet three times.
 */
export function planTelephoneEvent(digit: string, plan: EventPlan = {}): EventPacket[] {
  const event = digitToEvent(digit);
  const volume = plan.volume ?? 10;
  const samplesPerPacket = plan.samplesPerPacket ?? 160;
  const total = Math.round(((plan.durationMs ?? 100) * (plan.clockRate ?? 8000)) / 1000);
  if (!(total > 0 && total <= 0xffff)) throw new PortierError('DTMF_DURATION_INVALID', `A DTMF tone of ${plan.durationMs} ms does not fit one event; use 10–8000 ms.`);
  const packets: EventPacket[] = [];
  for (let duration = samplesPerPacket; duration < total; duration += samplesPerPacket) {
    packets.push({ marker: packets.length === 0, payload: encodeTelephoneEvent({ event, end: false, volume, duration }) });
  }
  const end = encodeTelephoneEvent({ event, end: true, volume, duration: total });
  for (let copy = 0; copy < END_PACKET_COPIES; copy++) packets.push({ marker: packets.length === 0, payload: end });
  return packets;
}

function check(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new PortierError('TELEPHONE_EVENT_INVALID', `Cannot build the telephone-event: its ${name} ${value} is outside 0–${max}.`);
  }
}
