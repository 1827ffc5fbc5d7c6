/**
 * STUN (RFC 5389/8489) and TURN (RFC 5766/8656) numbers: the magic cookie,
 * methods, classes and attribute types.
 */
export const MAGIC_COOKIE = 0x2112a442;
export const HEADER_LENGTH = 20;
export const TRANSACTION_ID_LENGTH = 12;

export const StunMethod = {
  Binding: 0x001,
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
} as const;

export type StunClass = 'request' | 'indication' | 'success' | 'error';

/** The two class bits C1 C0 (RFC 5389 §6). */
export const CLASS_BITS: Record<StunClass, number> = { request: 0b00, indication: 0b01, success: 0b10, error: 0b11 };

export const StunAttributeType = {
  MappedAddress: 0x0001,
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  UnknownAttributes: 0x000a,
  ChannelNumber: 0x000c,
  Lifetime: 0x000d,
  XorPeerAddress: 0x0012,
  Data: 0x0013,
  Realm: 0x0014,
  Nonce: 0x0015,
  XorRelayedAddress: 0x0016,
  RequestedTransport: 0x0019,
  XorMappedAddress: 0x0020,
  Software: 0x8022,
  Fingerprint: 0x8028,
} as const;

/** XORed into the FINGERPRINT CRC-32 ("STUN"), so a STUN CRC is not mistaken for another protocol's. */
export const FINGERPRINT_XOR = 0x5354554e;

/** REQUESTED-TRANSPORT protocol number for UDP. */
export const TRANSPORT_UDP = 17;
