/**
 * sipp replays pcaps (DTMF, recorded speech) through a raw socket: it needs
 * root or the CAP_NET_RAW file capability (`setcap cap_net_raw+ep
 * /usr/bin/sipp`). Without it sipp exits 255 with "Can't create raw IPv4
 * socket" in the middle of the call — this says so before the test starts.
 * Same rule as a missing program: the test fails, saying what to do.
 */
import { spawnSync } from 'node:child_process';

import { findPeer } from './peer-binary.js';

/** True when sipp (at `sipp`, default the one on PATH) may open raw sockets. */
export function sippCanReplayPcap(sipp: string | null = findPeer('sipp')): boolean {
  if (process.getuid?.() === 0) return true;
  if (!sipp) return false;
  const getcap = findPeer('getcap');
  if (!getcap) return false;
  const caps = spawnSync(getcap, [sipp], { encoding: 'utf8' });
  return /cap_net_raw/.test(caps.stdout);
}

/** Throws, saying how to give sipp the privilege, unless it can replay pcaps. */
export function requirePcapReplay(sipp?: string): void {
  if (!sippCanReplayPcap(sipp)) throw new Error('sipp cannot replay pcaps (DTMF, recorded RTP): run as root or `setcap cap_net_raw+ep /usr/bin/sipp` (bash .ci/run does).');
}
