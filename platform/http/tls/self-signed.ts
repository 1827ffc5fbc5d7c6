import { hostname } from 'node:os';

export interface GeneratedCertificate {
  cert: string;
  key: string;
}

/**
 * A self-signed server certificate for this host, localhost and the loopback
 * addresses. X.509 is encoded by a well-kept library, not by hand; it is
 * imported only here, on a first start, so restarts do not pay for loading it.
 */
export async function generateSelfSigned(): Promise<GeneratedCertificate> {
  const { default: selfsigned } = await import('selfsigned');
  const name = hostname();
  const now = Date.now();
  const pems = await selfsigned.generate([{ name: 'commonName', value: name }, { name: 'organizationName', value: 'Portier intercom' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    // 825 days: the longest validity browsers accept for a server certificate.
    notAfterDate: new Date(now + 825 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: name },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
