import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { hostname } from 'node:os';
import { bitString, boolean, explicit, implicit, integer, objectIdentifier, octetString, sequence, set, time, utf8String } from './der.js';

export interface GeneratedCertificate {
  cert: string;
  key: string;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

/** 825 days: the longest validity browsers accept for a server certificate. */
const VALID_DAYS = 825;

/**
 * A self-signed P-256 server certificate for this host, localhost and the
 * loopback addresses (RFC 5280 profile: CN and O, SAN, server-auth key
 * usage). Written by hand with node:crypto doing the key and the signature:
 * the library it replaces took ~100 ms to load on a first start, a sixth of
 * the time to the first answer (bench http.time_to_ready_ms); this takes
 * about 2 ms. Tests check it with OpenSSL (node:crypto's X509Certificate and
 * a TLS handshake).
 */
export function generateSelfSigned(names: { dns?: string[]; ips?: string[] } = {}): GeneratedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const host = hostname();
  const dns = names.dns ?? [...new Set([host, 'localhost'])];
  const ips = names.ips ?? ['127.0.0.1', '::1'];
  const now = Date.now();
  const name = sequence(
    set(sequence(objectIdentifier(OID.commonName), utf8String(host))),
    set(sequence(objectIdentifier(OID.organizationName), utf8String('Portier intercom'))),
  );
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const extension = (oid: string, critical: boolean, value: Buffer): Buffer =>
    sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
  const altNames = [...dns.map((d) => implicit(2, Buffer.from(d, 'ascii'))), ...ips.map((ip) => implicit(7, ipBytes(ip)))];
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    name,
    sequence(time(new Date(now - 60_000)), time(new Date(now + VALID_DAYS * 24 * 3600 * 1000))),
    // Self-signed: the subject is the issuer.
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(
        extension(OID.basicConstraints, true, sequence()),
        // digitalSignature and keyEncipherment: bits 0 and 2 of the first byte, the last 5 bits unused.
        extension(OID.keyUsage, true, bitString(Buffer.from([0xa0]), 5)),
        extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))),
        extension(OID.subjectAltName, false, sequence(...altNames)),
      ),
    ),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const certificate = sequence(tbs, algorithm, bitString(signature));
  const lines = certificate.toString('base64').match(/.{1,64}/g)!.join('\n');
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${ip}`);
  const [head, tail = ''] = ip.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head!);
  const right = ip.includes('::') ? groups(tail) : [];
  const all = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  return Buffer.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}
