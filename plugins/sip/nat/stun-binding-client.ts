/**
 * Learns the address a NAT shows the world (the server-reflexive address)
 * by a STUN Binding request from the socket that will carry the media
 * (RFC 5389 §7, §10.2): the answer's XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS
 * from an old RFC 3489 server.
 */
import type { Socket } from 'node:dgram';

import { type Clock, PortierError } from 'portier/sdk';

import { type TransportAddress, readAddress, readErrorCode, readXorAddress, stunAttribute } from './stun-attributes.js';
import { StunAttributeType, StunMethod } from './stun-codes.js';
import { decodeStunMessage, encodeStunMessage } from './stun-message.js';
import { type RetransmissionOptions, StunTransactions, newTransactionId } from './stun-transactions.js';

export interface BindingOptions extends RetransmissionOptions {
  /** A bound UDP socket; other traffic on it (RTP) is left alone. */
  socket: Socket;
  server: TransportAddress;
  clock: Clock;
  software?: string;
}

export async function discoverMappedAddress(options: BindingOptions): Promise<TransportAddress> {
  const { socket, server } = options;
  const serverName = `the STUN server ${server.address}:${server.port}`;
  const transactions = new StunTransactions(options.clock, (bytes) => socket.send(bytes, server.port, server.address), serverName, options);
  const onMessage = (data: Buffer): void => {
    const decoded = decodeStunMessage(data);
    if (decoded.ok && (decoded.message.messageClass === 'success' || decoded.message.messageClass === 'error')) transactions.handleResponse(decoded.message);
  };
  socket.on('message', onMessage);
  try {
    const transactionId = newTransactionId();
    const request = encodeStunMessage(
      { method: StunMethod.Binding, messageClass: 'request', transactionId, attributes: options.software ? [stunAttribute.software(options.software)] : [] },
      { fingerprint: true },
    );
    const response = await transactions.request(transactionId, request);
    if (response.messageClass === 'error') {
      const error = readErrorCode(response);
      throw new PortierError('STUN_BINDING_REFUSED', `${serverName} refused the Binding request: ${error?.code ?? '?'} ${error?.reason ?? ''}`.trim() + '.');
    }
    const mapped = readXorAddress(response, StunAttributeType.XorMappedAddress) ?? readAddress(response, StunAttributeType.MappedAddress);
    if (!mapped) throw new PortierError('STUN_RESPONSE_INVALID', `${serverName} answered without a mapped address; it may not be a STUN server.`);
    return mapped;
  } finally {
    socket.off('message', onMessage);
    transactions.close();
  }
}
