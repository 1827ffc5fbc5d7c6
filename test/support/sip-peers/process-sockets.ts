/**
 * Does this process hold that port? Read from /proc (Linux, like the peers'
 * Debian packages): the socket's inode in /proc/net/{udp,tcp}, then the
 * process's descriptors. Asking "is the port taken" is not enough: when
 * someone else holds it the peer fails to bind and exits, and the port still
 * looks taken.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** True when `pid` has a socket bound (UDP) or listening (TCP) on 127.0.0.1:`port`. */
export function processHoldsPort(pid: number, port: number, protocol: 'udp' | 'tcp'): boolean {
  const inodes = socketInodes(port, protocol);
  if (inodes.size === 0) return false;
  let descriptors: string[];
  try {
    descriptors = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return descriptors.some((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      return inode !== undefined && inodes.has(inode);
    } catch {
      return false;
    }
  });
}

function socketInodes(port: number, protocol: 'udp' | 'tcp'): Set<string> {
  const inodes = new Set<string>();
  let table: string;
  try {
    table = readFileSync(`/proc/net/${protocol}`, 'utf8');
  } catch {
    return inodes;
  }
  const wanted = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [address, localPort] = (fields[1] ?? '').split(':');
    const state = fields[3];
    const inode = fields[9];
    // 0100007F is 127.0.0.1 as the kernel prints it; 0A is TCP LISTEN.
    if (address !== '0100007F' || localPort !== wanted || !inode) continue;
    if (protocol === 'tcp' && state !== '0A') continue;
    inodes.add(inode);
  }
  return inodes;
}
