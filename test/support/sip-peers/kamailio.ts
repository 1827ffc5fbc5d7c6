/**
 * A real kamailio registrar/proxy for integration tests, on 127.0.0.1: UDP
 * and TCP on `port`, TLS on `tlsPort` with a certificate from a throwaway CA
 * (`caFile`), digest users from the options, foreground (`-DD`) logging to
 * stderr (`-E`), everything in a temp dir removed on stop.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from './free-port.js';
import { kamailioConfig, kamailioTlsConfig, type KamailioUser } from './kamailio-config.js';
import { readRegistrations, type Registration } from './kamailio-registrations.js';
import { peerPath } from './peer-binary.js';
import { spawnPeer } from './peer-process.js';
import { waitForSipServer } from './sip-options-probe.js';
import { makeTlsCertificates } from './tls-certificates.js';

export type { KamailioUser } from './kamailio-config.js';
export type { Registration } from './kamailio-registrations.js';

export interface KamailioOptions {
  /** Default: alice/alice-secret, bob/bob-secret, door/door-secret. */
  users?: readonly KamailioUser[];
  /** Digest realm; default `portier.test`. */
  realm?: string;
  /** Default MD5. SHA-256 is RFC 8760; sipp and baresip 1.0 only answer MD5. */
  algorithm?: 'MD5' | 'SHA-256';
  /** Challenge INVITEs with 407; default true. */
  authenticateCalls?: boolean;
  /** Program paths; default: looked up on PATH. */
  binaries?: { kamailio?: string; openssl?: string; kamcmd?: string };
}

export interface Kamailio {
  readonly host: '127.0.0.1';
  /** UDP and TCP. */
  readonly port: number;
  readonly tlsPort: number;
  /** `127.0.0.1:<port>` */
  readonly address: string;
  readonly realm: string;
  readonly users: readonly KamailioUser[];
  /** PEM file of the CA that signed the TLS certificate, and the PEM itself. */
  readonly caFile: string;
  readonly caPem: string;
  /** Current registrations (kamcmd ul.dump). */
  registrations(): Promise<Registration[]>;
  /** Resolves once `aor` (a username) has a contact; rejects after `timeoutMs`. */
  waitForRegistration(aor: string, timeoutMs?: number): Promise<Registration>;
  /** kamailio's log so far. */
  log(): string;
  stop(): Promise<void>;
}

export const DEFAULT_KAMAILIO_USERS: readonly KamailioUser[] = [
  { username: 'alice', password: 'alice-secret' },
  { username: 'bob', password: 'bob-secret' },
  { username: 'door', password: 'door-secret' },
];

const MODULES_DIRS = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/aarch64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules'];

export async function startKamailio(options: KamailioOptions = {}): Promise<Kamailio> {
  const kamailio = options.binaries?.kamailio ?? peerPath('kamailio');
  const openssl = options.binaries?.openssl ?? peerPath('openssl');
  const kamcmd = options.binaries?.kamcmd ?? peerPath('kamcmd');
  const modulesDir = MODULES_DIRS.find((dir) => existsSync(join(dir, 'tls.so')));
  if (!modulesDir) throw new Error(`kamailio's tls.so not found in ${MODULES_DIRS.join(', ')}: install kamailio-tls-modules`);

  const dir = mkdtempSync(join(tmpdir(), 'portier-kamailio-'));
  const realm = options.realm ?? 'portier.test';
  const users = options.users ?? DEFAULT_KAMAILIO_USERS;
  const port = await freePort();
  const tlsPort = await freePort();
  const ctlSocket = join(dir, 'kamailio.ctl');
  const certificates = makeTlsCertificates(openssl, dir, realm);
  const tlsConfigFile = join(dir, 'tls.cfg');
  writeFileSync(tlsConfigFile, kamailioTlsConfig(certificates.certFile, certificates.keyFile, certificates.caFile));
  const configFile = join(dir, 'kamailio.cfg');
  writeFileSync(configFile, kamailioConfig({
    port, tlsPort, realm, users, tlsConfigFile, ctlSocket, modulesDir: `${modulesDir}/`,
    algorithm: options.algorithm ?? 'MD5',
    authenticateCalls: options.authenticateCalls ?? true,
  }));

  // -Y keeps the runtime files (default /run/kamailio) apart per instance; small memory pools start faster.
  const peer = spawnPeer(kamailio, ['-DD', '-E', '-f', configFile, '-Y', dir, '-w', dir, '-P', join(dir, 'kamailio.pid'), '-m', '64', '-M', '8'], { cwd: dir });
  let gone = false;
  void peer.exited.then(() => (gone = true));
  const stop = async (): Promise<void> => {
    await peer.stop(5000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForSipServer(port, 10_000, () => gone, 'kamailio');
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- kamailio log ---\n${peer.output().slice(-6000)}`);
  }

  const registrations = (): Promise<Registration[]> => readRegistrations(kamcmd, ctlSocket);
  return {
    host: '127.0.0.1',
    port,
    tlsPort,
    address: `127.0.0.1:${port}`,
    realm,
    users,
    caFile: certificates.caFile,
    caPem: certificates.caPem,
    registrations,
    waitForRegistration: async (aor, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await registrations()).find((registration) => registration.aor === aor);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`${aor} did not register with kamailio within ${timeoutMs} ms\n${peer.output().slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    log: () => peer.output(),
    stop,
  };
}
