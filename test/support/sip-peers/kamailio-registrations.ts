/**
 * The registrations kamailio holds, read with `kamcmd ul.dump` over the ctl
 * module's unix socket. The dump is kamailio's RPC text: nested `Name: value`
 * lines, one `AoR:` per user, then its contacts' `Address:` and `Received:`.
 */
import { execFile } from 'node:child_process';

export interface Registration {
  aor: string;
  contact: string;
  /** Source address of the REGISTER when the registrar replaced the contact (TCP/TLS), else undefined. */
  received?: string;
  expires?: number;
}

export function readRegistrations(kamcmd: string, ctlSocket: string): Promise<Registration[]> {
  return new Promise((resolve, reject) => {
    execFile(kamcmd, ['-s', `unix:${ctlSocket}`, 'ul.dump'], { timeout: 5000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kamcmd ul.dump failed: ${error.message} ${stderr}`));
      else resolve(parseUlDump(stdout));
    });
  });
}

export function parseUlDump(dump: string): Registration[] {
  const registrations: Registration[] = [];
  let aor = '';
  for (const line of dump.split('\n')) {
    const match = /^\s*(AoR|Address|Received|Expires):\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const [, name, value = ''] = match;
    const last = registrations[registrations.length - 1];
    if (name === 'AoR') aor = value;
    else if (name === 'Address') registrations.push({ aor, contact: value });
    else if (name === 'Received' && last && value && value !== '[not set]') last.received = value;
    else if (name === 'Expires' && last) last.expires = Number.parseInt(value, 10);
  }
  return registrations;
}
