/**
 * sipp replays pcaps (DTMF, recorded speech) through a raw socket: it needs
 * root or the CAP_NET_RAW file capability (`setcap cap_net_raw+ep
 * /usr/bin/sipp`). Without it sipp exits 255 with "Can't create raw IPv4
 * socket" in the middle of the call — this says so before the test starts.
 * Same rule as a missing program: skip on a developer's machine, fail under CI.
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

/** For `it.runIf(requirePcapReplay())`: true when sipp can replay pcaps; throws under CI when it cannot. */
export function requirePcapReplay(sipp?: string): boolean {
  if (sippCanReplayPcap(sipp)) return true;
  const why = 'sipp cannot replay pcaps (DTMF, recorded RTP): run as root or `setcap cap_net_raw+ep /usr/bin/sipp`';
  if (process.env.CI === 'true') throw new Error(`${why}. Under CI this is a failure, not a skip.`);
  console.warn(`Skipping: ${why}.`);
  return false;
}
