/**
 * Real peer programs (sipp, kamailio, baresip, openssl, kamcmd, turnserver,
 * ffmpeg). A test whose program is not installed fails, naming the program
 * and its Debian package (`.ci/run` installs them all): a missing peer is a
 * broken machine, never a reason to pass or to skip quietly.
 */
import { spawnSync } from 'node:child_process';

import { describe, it } from 'vitest';

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

/** Throws, naming each missing program and its Debian package, unless all of them are installed. */
export function requirePeer(...names: string[]): void {
  const missing = names.filter((name) => !findPeer(name));
  if (missing.length > 0) throw new Error(`${missingWhy(missing)}; install ${missing.length > 1 ? 'them' : 'it'} (bash .ci/run does).`);
}

/**
 * `describe` that needs the programs `peers`; the body gets their paths by
 * name. With one missing, the suite is a single failing test that says what
 * to install.
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
  describe(name, () => {
    it('has its peer programs', () => requirePeer(...missing));
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
