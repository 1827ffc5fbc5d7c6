/**
 * Real peer programs (sipp, kamailio, baresip, openssl, kamcmd). When one is
 * not installed its tests are skipped with a note on a developer's machine,
 * but fail under CI (CI=true), where a missing program means a broken image,
 * not a reason to pass. Same rule as plugins/sip/media/test-support/external-binary.ts.
 */
import { spawnSync } from 'node:child_process';

import { describe, it } from 'vitest';

const underCi = (): boolean => process.env.CI === 'true';

/** The program's path, or null when it is not on PATH (nor in /usr/sbin, where Debian puts kamailio). */
export function findPeer(name: string): string | null {
  const found = spawnSync('sh', ['-c', 'PATH="$PATH:/usr/sbin:/sbin" command -v "$1"', 'sh', name], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : null;
}

/** The program's path; throws when it is missing, naming the program and the Debian package. */
export function peerPath(name: string): string {
  const path = findPeer(name);
  if (!path) throw new Error(`${missingWhy([name])}.`);
  return path;
}

/**
 * True when every program is installed. When one is missing: under CI this
 * throws (the test must fail); elsewhere it warns and returns false so the
 * caller can skip.
 */
export function requirePeer(...names: string[]): boolean {
  const missing = names.filter((name) => !findPeer(name));
  if (missing.length === 0) return true;
  const why = missingWhy(missing);
  if (underCi()) throw new Error(`${why}. Under CI this is a failure, not a skip.`);
  console.warn(`Skipping: ${why}.`);
  return false;
}

/**
 * `describe` that needs the programs `peers`; the body gets their paths by
 * name. Missing programs: a failing test under CI, a skipped suite elsewhere.
 */
export function describeWithPeers<const Peers extends readonly string[]>(
  peers: Peers,
  name: string,
  body: (paths: Record<Peers[number], string>) => void,
): void {
  const paths = {} as Record<Peers[number], string>;
  const missing: string[] = [];
  for (const peer of peers) {
    const path = findPeer(peer);
    if (path) paths[peer as Peers[number]] = path;
    else missing.push(peer);
  }
  if (missing.length === 0) {
    describe(name, () => body(paths));
    return;
  }
  const why = missingWhy(missing);
  if (underCi()) {
    describe(name, () => {
      it('has its peer programs', () => {
        throw new Error(`${why}. Under CI this is a failure, not a skip.`);
      });
    });
    return;
  }
  console.warn(`Skipping: ${why}; needed by "${name}".`);
  describe.skip(`${name} (skipped: ${missing.join(', ')} not installed)`, () => {
    it('needs its peer programs', () => undefined);
  });
}

/** `describeWithPeers` for a single program. */
export function describeWithPeer(peer: string, name: string, body: (path: string) => void): void {
  describeWithPeers([peer], name, (paths) => body(paths[peer] ?? peer));
}

const DEBIAN_PACKAGE: Record<string, string> = {
  sipp: 'sip-tester',
  kamailio: 'kamailio (and kamailio-tls-modules)',
  kamcmd: 'kamailio',
  baresip: 'baresip',
  openssl: 'openssl',
  turnserver: 'coturn',
  ffmpeg: 'ffmpeg',
};

function missingWhy(missing: readonly string[]): string {
  const list = missing.map((name) => `${name} (Debian package ${DEBIAN_PACKAGE[name] ?? name})`).join(', ');
  return `peer program${missing.length > 1 ? 's' : ''} not installed: ${list}`;
}
