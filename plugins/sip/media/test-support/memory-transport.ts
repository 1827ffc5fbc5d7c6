/** Two in-memory PacketTransports wired to each other, for tests on fake time. */
import type { PacketListener, PacketTransport, PeerAddress } from '../packet-transport.js';

export interface MemoryTransport extends PacketTransport {
  readonly sent: Array<{ data: Uint8Array; peer: PeerAddress }>;
  /** Delivers a datagram to this transport's listeners. */
  deliver(data: Uint8Array, from: PeerAddress): void;
}

export function memoryTransport(onSend?: (data: Uint8Array, peer: PeerAddress) => void): MemoryTransport {
  const listeners = new Set<PacketListener>();
  const sent: Array<{ data: Uint8Array; peer: PeerAddress }> = [];
  return {
    sent,
    send(data, peer) {
      sent.push({ data, peer });
      onSend?.(data, peer);
    },
    on(_event, listener) {
      listeners.add(listener);
    },
    off(_event, listener) {
      listeners.delete(listener);
    },
    deliver(data, from) {
      for (const listener of listeners) listener(data, from);
    },
  };
}
