/**
 * What RTP needs from a network path: send a datagram to a peer and hear the
 * datagrams that arrive. A plain UDP socket is one (udpTransport); the TURN
 * client in ../nat is another, so RTP runs through a relay unchanged.
 */
import type { Socket } from 'node:dgram';

export interface PeerAddress {
  address: string;
  port: number;
}

export type PacketListener = (data: Uint8Array, from: PeerAddress) => void;

export interface PacketTransport {
  send(data: Uint8Array, peer: PeerAddress): void;
  on(event: 'message', listener: PacketListener): unknown;
  off(event: 'message', listener: PacketListener): unknown;
}

/** A bound node:dgram socket as a PacketTransport (the socket stays the caller's to close). */
export function udpTransport(socket: Socket): PacketTransport {
  const wrapped = new Map<PacketListener, (msg: Buffer, rinfo: { address: string; port: number }) => void>();
  return {
    send(data, peer) {
      socket.send(data, peer.port, peer.address);
    },
    on(_event, listener) {
      const handler = (msg: Buffer, rinfo: { address: string; port: number }): void => listener(msg, { address: rinfo.address, port: rinfo.port });
      wrapped.set(listener, handler);
      socket.on('message', handler);
    },
    off(_event, listener) {
      const handler = wrapped.get(listener);
      if (handler) socket.off('message', handler);
      wrapped.delete(listener);
    },
  };
}
