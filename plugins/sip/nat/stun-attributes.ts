/**
 * Building and reading the values of the STUN and TURN attributes Portier
 * uses (RFC 5389 §15, RFC 5766 §14). The XOR-…-ADDRESS attributes xor the
 * port with the cookie's top 16 bits and the address with the cookie
 * (IPv4) or cookie + transaction id (IPv6), so NATs that rewrite addresses
 * in payloads leave them alone.
 */
import { isIPv4, isIPv6 } from 'node:net';

import { PortierError } from 'portier/sdk';

import { MAGIC_COOKIE, StunAttributeType, TRANSPORT_UDP } from './stun-codes.js';
import { type StunAttribute, type StunMessage, findAttribute } from './stun-message.js';

export interface TransportAddress {
  address: string;
  port: number;
}

export interface StunErrorCode {
  /** 300–699. */
  code: number;
  reason: string;
}

const FAMILY_IPV4 = 0x01;
const FAMILY_IPV6 = 0x02;

export const stunAttribute = {
  username: (text: string): StunAttribute => textAttribute(StunAttributeType.Username, text),
  realm: (text: string): StunAttribute => textAttribute(StunAttributeType.Realm, text),
  nonce: (text: string): StunAttribute => textAttribute(StunAttributeType.Nonce, text),
  software: (text: string): StunAttribute => textAttribute(StunAttributeType.Software, text),
  lifetime: (seconds: number): StunAttribute => ({ type: StunAttributeType.Lifetime, value: uint32(seconds) }),
  requestedTransport: (protocol = TRANSPORT_UDP): StunAttribute => ({ type: StunAttributeType.RequestedTransport, value: Uint8Array.of(protocol, 0, 0, 0) }),
  channelNumber: (channel: number): StunAttribute => ({ type: StunAttributeType.ChannelNumber, value: Uint8Array.of(channel >> 8, channel & 0xff, 0, 0) }),
  data: (bytes: Uint8Array): StunAttribute => ({ type: StunAttributeType.Data, value: bytes }),
  mappedAddress: (address: TransportAddress): StunAttribute => ({ type: StunAttributeType.MappedAddress, value: encodeAddress(address) }),
  xorMappedAddress: (address: TransportAddress, transactionId: Uint8Array): StunAttribute => xorAddressAttribute(StunAttributeType.XorMappedAddress, address, transactionId),
  xorPeerAddress: (address: TransportAddress, transactionId: Uint8Array): StunAttribute => xorAddressAttribute(StunAttributeType.XorPeerAddress, address, transactionId),
  xorRelayedAddress: (address: TransportAddress, transactionId: Uint8Array): StunAttribute => xorAddressAttribute(StunAttributeType.XorRelayedAddress, address, transactionId),
  errorCode: (error: StunErrorCode): StunAttribute => {
    const reason = Buffer.from(error.reason, 'utf8');
    const value = new Uint8Array(4 + reason.length);
    value[2] = Math.floor(error.code / 100);
    value[3] = error.code % 100;
    value.set(reason, 4);
    return { type: StunAttributeType.ErrorCode, value };
  },
};

export function readText(message: StunMessage, type: number): string | null {
  const value = findAttribute(message, type);
  return value ? Buffer.from(value).toString('utf8') : null;
}

export function readUint32(message: StunMessage, type: number): number | null {
  const value = findAttribute(message, type);
  return value && value.length >= 4 ? new DataView(value.buffer, value.byteOffset).getUint32(0) : null;
}

export function readErrorCode(message: StunMessage): StunErrorCode | null {
  const value = findAttribute(message, StunAttributeType.ErrorCode);
  if (!value || value.length < 4) return null;
  return { code: (value[2]! & 0x07) * 100 + value[3]!, reason: Buffer.from(value.subarray(4)).toString('utf8') };
}

/** A plain (MAPPED-ADDRESS style) address value, or null when malformed. */
export function readAddress(message: StunMessage, type: number): TransportAddress | null {
  const value = findAttribute(message, type);
  return value ? decodeAddress(value) : null;
}

/** An XOR-…-ADDRESS value, or null when absent or malformed. */
export function readXorAddress(message: StunMessage, type: number): TransportAddress | null {
  const value = findAttribute(message, type);
  return value ? decodeAddress(xorAddress(value, message.transactionId)) : null;
}

export function encodeAddress(address: TransportAddress): Uint8Array {
  if (!Number.isInteger(address.port) || address.port < 0 || address.port > 0xffff) {
    throw new PortierError('STUN_FIELD_INVALID', `Port ${address.port} is outside 0–65535.`);
  }
  let ip: Uint8Array;
  let family: number;
  if (isIPv4(address.address)) {
    ip = Uint8Array.from(address.address.split('.').map(Number));
    family = FAMILY_IPV4;
  } else if (isIPv6(address.address)) {
    ip = ipv6Bytes(address.address);
    family = FAMILY_IPV6;
  } else {
    throw new PortierError('STUN_FIELD_INVALID', `"${address.address}" is not an IP address; resolve host names before using them in STUN.`);
  }
  const value = new Uint8Array(4 + ip.length);
  value[1] = family;
  value[2] = address.port >> 8;
  value[3] = address.port & 0xff;
  value.set(ip, 4);
  return value;
}

export function decodeAddress(value: Uint8Array): TransportAddress | null {
  const family = value[1];
  const port = ((value[2] ?? 0) << 8) | (value[3] ?? 0);
  if (family === FAMILY_IPV4 && value.length === 8) return { address: [...value.subarray(4)].join('.'), port };
  if (family === FAMILY_IPV6 && value.length === 20) {
    const groups: string[] = [];
    for (let i = 4; i < 20; i += 2) groups.push(((value[i]! << 8) | value[i + 1]!).toString(16));
    return { address: compressIpv6(groups), port };
  }
  return null;
}

function xorAddressAttribute(type: number, address: TransportAddress, transactionId: Uint8Array): StunAttribute {
  return { type, value: xorAddress(encodeAddress(address), transactionId) };
}

/** Xors port and address with cookie (+ transaction id); its own inverse. */
function xorAddress(value: Uint8Array, transactionId: Uint8Array): Uint8Array {
  const out = Uint8Array.from(value);
  const mask = new Uint8Array(16);
  new DataView(mask.buffer).setUint32(0, MAGIC_COOKIE);
  mask.set(transactionId.subarray(0, 12), 4);
  for (let i = 2; i < out.length; i++) out[i] = out[i]! ^ mask[i < 4 ? i - 2 : i - 4]!;
  return out;
}

function textAttribute(type: number, text: string): StunAttribute {
  return { type, value: Buffer.from(text, 'utf8') };
}

function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

function ipv6Bytes(address: string): Uint8Array {
  const [head, tail] = address.includes('::') ? (address.split('::') as [string, string]) : [address, null];
  const parse = (part: string): string[] => (part ? part.split(':') : []);
  let groups = parse(head);
  if (tail !== null) {
    const rest = parse(tail);
    groups = [...groups, ...new Array<string>(8 - groups.length - rest.length).fill('0'), ...rest];
  }
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

/** RFC 5952 text: the longest run (2+) of zero groups becomes "::". */
function compressIpv6(groups: string[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}
