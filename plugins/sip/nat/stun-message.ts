/**
 * One STUN message as bytes and as fields (RFC 5389 §6, §15):
 *
 *   0 0 | type(14) | length(16) | magic cookie 0x2112A442 | transaction id(96) | attributes…
 *
 * - type interleaves the 12 method bits with the 2 class bits (C0 at bit 4, C1 at bit 8).
 * - length counts the attributes, not the header; each attribute is
 *   type(16) length(16) value, padded to 4 bytes (padding not counted in its length).
 * - MESSAGE-INTEGRITY is HMAC-SHA1 over the message up to it, with the header
 *   length already counting the MESSAGE-INTEGRITY attribute; FINGERPRINT is
 *   the CRC-32 of everything before it, xor 0x5354554E, and comes last.
 *
 * Decoding never throws — a datagram off the network is answered with a reason.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { PortierError } from 'portier/sdk';

import { crc32 } from './crc32.js';
import { CLASS_BITS, FINGERPRINT_XOR, HEADER_LENGTH, MAGIC_COOKIE, type StunClass, StunAttributeType, TRANSACTION_ID_LENGTH } from './stun-codes.js';

export interface StunAttribute {
  type: number;
  value: Uint8Array;
}

export interface StunMessage {
  method: number;
  messageClass: StunClass;
  /** 12 bytes. */
  transactionId: Uint8Array;
  /** In order, MESSAGE-INTEGRITY and FINGERPRINT included when decoded. */
  attributes: StunAttribute[];
}

export interface DecodedStunMessage extends StunMessage {
  /** The datagram as received, for checking MESSAGE-INTEGRITY. */
  raw: Uint8Array;
  /** Where the MESSAGE-INTEGRITY attribute starts, or null without one. */
  integrityOffset: number | null;
}

export type StunMalformedReason =
  /** Shorter than a header, or the length field does not match the datagram. */
  | 'bad-length'
  /** The first two bits are not 0 or the magic cookie is wrong: not STUN (RTP, ChannelData…). */
  | 'not-stun'
  /** An attribute runs past the end of the message. */
  | 'truncated-attribute'
  /** FINGERPRINT is present and wrong, or not the last attribute. */
  | 'bad-fingerprint';

export type StunDecodeResult = { ok: true; message: DecodedStunMessage } | { ok: false; reason: StunMalformedReason };

/** Whether a datagram looks like STUN, before decoding it: the first bits are 00 and the cookie is there. */
export function isStunMessage(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_LENGTH && (bytes[0]! & 0xc0) === 0 && readUint32(bytes, 4) === MAGIC_COOKIE;
}

export function decodeStunMessage(bytes: Uint8Array): StunDecodeResult {
  if (bytes.length < HEADER_LENGTH) return { ok: false, reason: 'bad-length' };
  if (!isStunMessage(bytes)) return { ok: false, reason: 'not-stun' };
  const type = (bytes[0]! << 8) | bytes[1]!;
  const length = (bytes[2]! << 8) | bytes[3]!;
  if (length % 4 !== 0 || HEADER_LENGTH + length !== bytes.length) return { ok: false, reason: 'bad-length' };

  const attributes: StunAttribute[] = [];
  let integrityOffset: number | null = null;
  let offset = HEADER_LENGTH;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) return { ok: false, reason: 'truncated-attribute' };
    const attributeType = (bytes[offset]! << 8) | bytes[offset + 1]!;
    const valueLength = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    const end = offset + 4 + valueLength;
    if (end > bytes.length) return { ok: false, reason: 'truncated-attribute' };
    if (attributeType === StunAttributeType.Fingerprint) {
      const last = end + padding(valueLength) === bytes.length;
      if (!last || valueLength !== 4 || readUint32(bytes, offset + 4) !== fingerprintOf(bytes, offset)) return { ok: false, reason: 'bad-fingerprint' };
    }
    if (attributeType === StunAttributeType.MessageIntegrity && integrityOffset === null) integrityOffset = offset;
    attributes.push({ type: attributeType, value: bytes.slice(offset + 4, end) });
    offset = end + padding(valueLength);
  }
  if (offset !== bytes.length) return { ok: false, reason: 'truncated-attribute' };

  return {
    ok: true,
    message: {
      method: methodOf(type),
      messageClass: classOf(type),
      transactionId: bytes.slice(8, HEADER_LENGTH),
      attributes,
      raw: bytes,
      integrityOffset,
    },
  };
}

export interface EncodeOptions {
  /** Adds MESSAGE-INTEGRITY with this HMAC-SHA1 key (see stun-credentials.ts). */
  integrityKey?: Uint8Array;
  /** Adds FINGERPRINT. */
  fingerprint?: boolean;
}

export function encodeStunMessage(message: StunMessage, options: EncodeOptions = {}): Uint8Array {
  if (message.transactionId.length !== TRANSACTION_ID_LENGTH) {
    throw new PortierError('STUN_FIELD_INVALID', `A STUN transaction id is ${TRANSACTION_ID_LENGTH} bytes, not ${message.transactionId.length}.`);
  }
  if (!Number.isInteger(message.method) || message.method < 0 || message.method > 0xfff) {
    throw new PortierError('STUN_FIELD_INVALID', `STUN method ${message.method} is outside 0–0xFFF.`);
  }
  const bodyLength = message.attributes.reduce((sum, a) => sum + 4 + a.value.length + padding(a.value.length), 0);
  const total = HEADER_LENGTH + bodyLength + (options.integrityKey ? 24 : 0) + (options.fingerprint ? 8 : 0);
  if (total - HEADER_LENGTH > 0xffff) throw new PortierError('STUN_FIELD_INVALID', 'A STUN message cannot carry more than 65535 bytes of attributes.');
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, typeOf(message.method, message.messageClass));
  view.setUint32(4, MAGIC_COOKIE);
  bytes.set(message.transactionId, 8);
  let offset = HEADER_LENGTH;
  for (const attribute of message.attributes) {
    if (attribute.value.length > 0xffff) throw new PortierError('STUN_FIELD_INVALID', `STUN attribute 0x${attribute.type.toString(16)} is longer than 65535 bytes.`);
    view.setUint16(offset, attribute.type);
    view.setUint16(offset + 2, attribute.value.length);
    bytes.set(attribute.value, offset + 4);
    offset += 4 + attribute.value.length + padding(attribute.value.length);
  }
  if (options.integrityKey) {
    view.setUint16(2, offset + 24 - HEADER_LENGTH);
    const mac = hmacSha1(options.integrityKey, bytes.subarray(0, offset));
    view.setUint16(offset, StunAttributeType.MessageIntegrity);
    view.setUint16(offset + 2, 20);
    bytes.set(mac, offset + 4);
    offset += 24;
  }
  if (options.fingerprint) {
    view.setUint16(2, offset + 8 - HEADER_LENGTH);
    view.setUint16(offset, StunAttributeType.Fingerprint);
    view.setUint16(offset + 2, 4);
    view.setUint32(offset + 4, fingerprintOf(bytes, offset));
    offset += 8;
  }
  view.setUint16(2, offset - HEADER_LENGTH);
  return bytes;
}

/**
 * Whether the message's MESSAGE-INTEGRITY is right for `key`. The HMAC covers
 * the bytes before the attribute, with the header length set as if the
 * message ended right after it (a FINGERPRINT that follows is not counted).
 */
export function verifyMessageIntegrity(message: DecodedStunMessage, key: Uint8Array): boolean {
  const offset = message.integrityOffset;
  if (offset === null) return false;
  const raw = message.raw;
  const covered = Uint8Array.from(raw.subarray(0, offset));
  new DataView(covered.buffer).setUint16(2, offset + 24 - HEADER_LENGTH);
  const expected = hmacSha1(key, covered);
  const actual = raw.subarray(offset + 4, offset + 24);
  return actual.length === 20 && timingSafeEqual(expected, actual);
}

/** The value of the first attribute of `type`, or null. */
export function findAttribute(message: StunMessage, type: number): Uint8Array | null {
  return message.attributes.find((a) => a.type === type)?.value ?? null;
}

export function transactionKey(transactionId: Uint8Array): string {
  return Buffer.from(transactionId).toString('hex');
}

function typeOf(method: number, messageClass: StunClass): number {
  const c = CLASS_BITS[messageClass];
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((c & 1) << 4) | ((c & 2) << 7);
}

function methodOf(type: number): number {
  return (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
}

function classOf(type: number): StunClass {
  const bits = ((type >> 4) & 1) | ((type >> 7) & 2);
  return (['request', 'indication', 'success', 'error'] as const)[bits]!;
}

/** CRC-32 xor "STUN" of the message up to `end`, with the header length counting the FINGERPRINT that follows. */
function fingerprintOf(bytes: Uint8Array, end: number): number {
  const covered = Uint8Array.from(bytes.subarray(0, end));
  new DataView(covered.buffer).setUint16(2, end + 8 - HEADER_LENGTH);
  return (crc32(covered) ^ FINGERPRINT_XOR) >>> 0;
}

function hmacSha1(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha1', key).update(data).digest();
}

function padding(length: number): number {
  return (4 - (length % 4)) % 4;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}
