/**
 * A sipp callee that, once the call is up, types DTMF keys as SIP INFO
 * (application/dtmf-relay, "Signal=9", as Cisco phones and most PBXs do),
 * then waits for the caller's BYE. The shared scenarios send DTMF only as
 * RFC 4733 pcaps; this one needs no raw socket.
 */
import { pause, response, scenario, sdp, send } from '../support/sip-peers/sipp-scenario-xml.js';

export function infoDtmfCalleeScenario(options: { keys: string; mediaPort: number; afterAckMs?: number }): string {
  if (!/^[0-9*#A-D]+$/.test(options.keys)) throw new Error(`not DTMF keys: ${options.keys}`);
  const steps = [
    `<recv request="INVITE" crlf="true" rrs="true"><action>` +
      `<ereg regexp="[^ ].*" search_in="hdr" header="From:" assign_to="inviteFrom"/>` +
      `<ereg regexp="[^ ].*" search_in="hdr" header="To:" assign_to="inviteTo"/>` +
      `</action></recv>`,
    send(response('100 Trying', { toTag: false })),
    send(response('180 Ringing')),
    send(response('200 OK', { sdp: sdp(String(options.mediaPort)) }), 500),
    `<recv request="ACK" crlf="true"/>`,
    pause(options.afterAckMs ?? 300),
  ];
  [...options.keys].forEach((key, index) => {
    steps.push(
      send(`INFO [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: [$inviteTo];tag=[pid]SIPpTag01[call_number]
To: [$inviteFrom]
Call-ID: [call_id]
CSeq: ${index + 1} INFO
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Type: application/dtmf-relay
Content-Length: [len]

Signal=${key}
Duration=160`, 500),
      `<recv response="200"/>`,
    );
  });
  steps.push(`<recv request="BYE"/>`, send(response('200 OK', { toTag: false })), `<timewait milliseconds="500"/>`);
  return scenario('uas-info-dtmf', steps);
}
