/**
 * NAT traversal for the sip plugin's media: STUN messages (RFC 5389/8489),
 * a Binding client that learns the public address of a socket, and a TURN
 * client (RFC 5766/8656) whose relay is a PacketTransport for RTP. Only node
 * builtins are used; timing goes through the injected clock.
 */
export { MAX_CHANNEL, MIN_CHANNEL, decodeChannelData, encodeChannelData, isChannelData, type ChannelData } from './channel-data.js';
export { crc32 } from './crc32.js';
export { discoverMappedAddress, type BindingOptions } from './stun-binding-client.js';
export {
  decodeAddress,
  encodeAddress,
  readAddress,
  readErrorCode,
  readText,
  readUint32,
  readXorAddress,
  stunAttribute,
  type StunErrorCode,
  type TransportAddress,
} from './stun-attributes.js';
export { MAGIC_COOKIE, StunAttributeType, StunMethod, TRANSPORT_UDP, type StunClass } from './stun-codes.js';
export { longTermKey, shortTermKey } from './stun-credentials.js';
export {
  decodeStunMessage,
  encodeStunMessage,
  findAttribute,
  isStunMessage,
  verifyMessageIntegrity,
  type DecodedStunMessage,
  type EncodeOptions,
  type StunAttribute,
  type StunDecodeResult,
  type StunMalformedReason,
  type StunMessage,
} from './stun-message.js';
export { StunTransactions, newTransactionId, type RetransmissionOptions } from './stun-transactions.js';
export { TurnClient, type TurnClientOptions } from './turn-client.js';
