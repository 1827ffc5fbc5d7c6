/**
 * A UDP socket on 127.0.0.1 that receives RTP and says what came: packets per
 * payload type, and the DTMF keys of RFC 4733 telephone-events. A peer's SDP
 * names the tap's port, so a test sees the media that peer was sent without
 * trusting the sender's own counters (sipp keeps none for RTP).
 */
import { createSocket, type RemoteInfo } from 'node:dgram';

const KEYS = '0123456789*#ABCD';

export interface RtpTap {
  readonly port: number;
  /** Packets received, by RTP payload type. */
  packetsByPayloadType(): ReadonlyMap<number, number>;
  /** All RTP packets received. */
  packetCount(): number;
  /** DTMF keys in the order their events ended (each counted once despite the repeated end packets). */
  dtmf(): string;
  /** Where the last packet came from, to send media back. */
  lastSender(): RemoteInfo | undefined;
  /** Sends a datagram from the tap's port, e.g. RTP to an echoing peer. */
  send(data: Buffer, port: number, host?: string): Promise<void>;
  /** Resolves once `predicate` holds (checked on each packet); rejects after `timeoutMs`. */
  waitFor(predicate: (tap: RtpTap) => boolean, timeoutMs: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRtpTap(port = 0, telephoneEventPayloadType = 101): Promise<RtpTap> {
  const socket = createSocket('udp4');
  const byType = new Map<number, number>();
  let total = 0;
  let keys = '';
  const endedEvents = new Set<string>();
  let sender: RemoteInfo | undefined;
  const waiters = new Set<() => void>();

  socket.on('message', (packet, from) => {
    // RTP version 2, at least the 12-byte fixed header.
    if (packet.length < 12 || (packet[0] ?? 0) >> 6 !== 2) return;
    const payloadType = (packet[1] ?? 0) & 0x7f;
    total += 1;
    sender = from;
    byType.set(payloadType, (byType.get(payloadType) ?? 0) + 1);
    if (payloadType === telephoneEventPayloadType && packet.length >= 16) {
      const csrcCount = (packet[0] ?? 0) & 0x0f;
      const offset = 12 + 4 * csrcCount;
      const event = packet[offset] ?? 255;
      const end = ((packet[offset + 1] ?? 0) & 0x80) !== 0;
      const eventId = `${packet.readUInt32BE(8)}:${packet.readUInt32BE(4)}`; // SSRC:timestamp names one event
      if (end && !endedEvents.has(eventId) && event < KEYS.length) {
        endedEvents.add(eventId);
        keys += KEYS[event] ?? '';
      }
    }
    for (const waiter of waiters) waiter();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });

  const tap: RtpTap = {
    port: socket.address().port,
    packetsByPayloadType: () => byType,
    packetCount: () => total,
    dtmf: () => keys,
    lastSender: () => sender,
    send: (data, toPort, host = '127.0.0.1') =>
      new Promise((resolve, reject) => socket.send(data, toPort, host, (error) => (error ? reject(error) : resolve()))),
    waitFor: (predicate, timeoutMs, what = 'the expected RTP') =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!predicate(tap)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${what} on RTP port ${tap.port} within ${timeoutMs} ms (got ${total} packets, DTMF "${keys}")`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  return tap;
}
