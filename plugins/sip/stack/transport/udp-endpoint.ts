import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { SipTransportError } from './transport-error.js';

/** A bound UDP socket for SIP: datagrams in, datagrams out. */
export class UdpEndpoint {
  private constructor(
    /** The socket itself, for a STUN binding that must learn this very port's public mapping. */
    readonly socket: Socket,
    readonly host: string,
    readonly port: number,
  ) {}

  static bind(host: string, port: number, onDatagram: (bytes: Uint8Array, from: RemoteInfo) => void): Promise<UdpEndpoint> {
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
    return new Promise((resolve, reject) => {
      socket.once('error', (error) => {
        socket.close();
        reject(new SipTransportError('SIP_BIND_FAILED', `Could not listen for SIP on UDP ${host}:${port}: ${error.message}. Pick another SIP port, or stop what uses it.`, { cause: error }));
      });
      socket.bind(port, host, () => {
        socket.removeAllListeners('error');
        // A send to an unreachable host can come back as an error event; sends report their own failure.
        socket.on('error', () => undefined);
        socket.on('message', (bytes, from) => onDatagram(bytes, from));
        resolve(new UdpEndpoint(socket, host, socket.address().port));
      });
    });
  }

  send(bytes: Uint8Array, host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.send(bytes, port, host, (error) => {
        if (error) reject(new SipTransportError('SIP_TRANSPORT_ERROR', `Could not send to UDP ${host}:${port}: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
