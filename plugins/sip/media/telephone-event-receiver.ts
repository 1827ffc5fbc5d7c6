/**
 * Turns received telephone-event packets into digits, once per event.
 *
 * An event is known by its RTP timestamp (RFC 4733 §2.5.1.2: all its packets
 * carry the event's start time), so the digit is reported at the first packet
 * seen with a new timestamp — whether that is the marked start, an update
 * (the start was lost) or an end packet (all else was lost) — and every later
 * packet with that timestamp (updates, the retransmitted ends) is ignored.
 * A packet older than the last event (reordered, late retransmission) is too.
 */
import { decodeTelephoneEvent, eventToDigit } from './telephone-event.js';

export interface ReceivedDigit {
  digit: string;
  /** The event's RTP timestamp. */
  timestamp: number;
  volume: number;
}

export class TelephoneEventReceiver {
  private last: { ssrc: number; timestamp: number } | null = null;

  constructor(private readonly onDigit: (digit: ReceivedDigit) => void) {}

  /** Feeds one telephone-event packet's fields; returns the digit when this packet begins a new event. */
  receive(packet: { ssrc: number; timestamp: number; payload: Uint8Array }): ReceivedDigit | null {
    const event = decodeTelephoneEvent(packet.payload);
    if (!event) return null;
    const last = this.last;
    if (last && last.ssrc === packet.ssrc && !isNewer(packet.timestamp, last.timestamp)) return null;
    this.last = { ssrc: packet.ssrc, timestamp: packet.timestamp };
    const digit = eventToDigit(event.event);
    if (digit === null) return null;
    const received = { digit, timestamp: packet.timestamp, volume: event.volume };
    this.onDigit(received);
    return received;
  }
}

/** Serial-number comparison of 32-bit timestamps (they wrap). */
function isNewer(timestamp: number, than: number): boolean {
  const delta = (timestamp - than) >>> 0;
  return delta !== 0 && delta < 0x80000000;
}
