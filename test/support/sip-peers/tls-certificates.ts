/**
 * A throwaway CA and a server certificate it signed, made with the openssl
 * command line (the peers read PEM files, and a real CA lets a client verify
 * the chain instead of turning verification off). The server certificate
 * names 127.0.0.1, localhost and the given domain.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** PEM of the CA certificate, for a Node TLS client's `ca`. */
  caPem: string;
}

export function makeTlsCertificates(openssl: string, dir: string, domain = 'portier.test'): TlsCertificates {
  const path = (name: string): string => join(dir, name);
  const run = (args: string[]): void => {
    execFileSync(openssl, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Portier test CA',
    '-keyout', path('ca.key'), '-out', path('ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${domain}`, '-keyout', path('server.key'), '-out', path('server.csr')]);
  const extensions = path('server.ext');
  writeFileSync(extensions, `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${domain}\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n`);
  run(['x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial',
    '-days', '2', '-out', path('server.pem'), '-extfile', extensions]);
  return { caFile: path('ca.pem'), certFile: path('server.pem'), keyFile: path('server.key'), caPem: readFileSync(path('ca.pem'), 'utf8') };
}
