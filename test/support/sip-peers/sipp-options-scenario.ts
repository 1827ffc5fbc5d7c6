/** The OPTIONS ping, as a client sipp. */
import { scenario, send, token } from './sipp-scenario-xml.js';

/**
 * OPTIONS to the target, expecting 200: is the UA alive? The Request-URI user
 * is sipp's `[service]` unless `to` names one; `to: null` leaves it out, as a
 * server's keepalive check expects.
 */
export function optionsPingScenario(options: { to?: string | null } = {}): string {
  const user = options.to === undefined ? '[service]@' : options.to === null ? '' : `${token(options.to)}@`;
  return scenario('options-ping', [
    send(`OPTIONS sip:${user}[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:ping@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:${user}[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 OPTIONS
Contact: <sip:ping@[local_ip]:[local_port]>
Accept: application/sdp
Max-Forwards: 70
Content-Length: 0`, 500),
    `<recv response="200"/>`,
  ]);
}
