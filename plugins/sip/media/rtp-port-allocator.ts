/**
 * Binds the UDP socket of one RTP stream. RTP takes an even port and leaves
 * the odd one above it to RTCP (RFC 3550 §11), so the search walks even
 * ports up from the configured start and takes the first free one.
 */
import { type Socket, createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';

import { PortierError } from 'portier/sdk';

export const MIN_RTP_PORT = 1024;
export const MAX_RTP_PORT = 65535;

export interface RtpPortRange {
  /** The local address to bind (e.g. '127.0.0.1', '0.0.0.0'). */
  address: string;
  /** First port tried; rounded up to even. Default 10000. */
  startPort?: number;
  /** Last port that may be used (default 65535). */
  endPort?: number;
}

export interface BoundRtpSocket {
  socket: Socket;
  port: number;
}

export async function bindRtpSocket(range: RtpPortRange): Promise<BoundRtpSocket> {
  const start = range.startPort ?? 10000;
  const end = range.endPort ?? MAX_RTP_PORT;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < MIN_RTP_PORT || end > MAX_RTP_PORT || start > end) {
    throw new PortierError('RTP_PORT_RANGE_INVALID', `The RTP port range ${start}–${end} must lie within ${MIN_RTP_PORT}–${MAX_RTP_PORT}, start before end.`);
  }
  for (let port = start + (start % 2); port <= end; port += 2) {
    const socket = createSocket(isIPv6(range.address) ? 'udp6' : 'udp4');
    const error = await bind(socket, port, range.address);
    if (!error) return { socket, port };
    socket.close();
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') {
      throw new PortierError('RTP_BIND_FAILED', `Cannot open an RTP port on ${range.address}: ${error.message}. Check that the address belongs to this device.`, [], { cause: error });
    }
  }
  throw new PortierError('RTP_PORTS_EXHAUSTED', `Every even port from ${start} to ${end} on ${range.address} is taken; widen the RTP port range or end some calls.`);
}

function bind(socket: Socket, port: number, address: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException): void => resolve(error);
    socket.once('error', onError);
    socket.bind({ port, address, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(null);
    });
  });
}
