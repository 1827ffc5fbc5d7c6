/**
 * sipp callees for DTMF as SIP INFO (application/dtmf-relay, "Signal=9", as
 * Cisco phones and most PBXs send it): one types keys that way once the call
 * is up; one offers no telephone-event, so keys sent to it must come as INFO.
 * The shared scenarios speak DTMF only as RFC 4733 pcaps.
 */
import { pause, response, scenario, sdp, send } from '../support/sip-peers/sipp-scenario-xml.js';

const ANSWER_CAPTURING_DIALOG = [
  `<recv request="INVITE" crlf="true" rrs="true"><action>` +
    `<ereg regexp="[^ ].*" search_in="hdr" header="From:" assign_to="inviteFrom"/>` +
    `<ereg regexp="[^ ].*" search_in="hdr" header="To:" assign_to="inviteTo"/>` +
    `</action></recv>`,
  send(response('100 Trying', { toTag: false })),
  send(response('180 Ringing')),
];

/** A callee whose answer has G.711 only, no telephone-event; it expects `keys` INFO requests, each answered 200, then the caller's BYE. */
export function noTelephoneEventCalleeScenario(options: { keys: number; mediaPort: number }): string {
  const steps = [
    `<recv request="INVITE" crlf="true" rrs="true"/>`,
    send(response('100 Trying', { toTag: false })),
    send(response('180 Ringing')),
    send(response('200 OK', { sdp: `v=0
o=sipp 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio ${options.mediaPort} RTP/AVP 8 0
a=rtpmap:8 PCMA/8000
a=rtpmap:0 PCMU/8000
a=ptime:20
a=sendrecv` }), 500),
    `<recv request="ACK" crlf="true"/>`,
  ];
  for (let i = 0; i < options.keys; i++) steps.push(`<recv request="INFO"/>`, send(response('200 OK', { toTag: false })));
  steps.push(`<recv request="BYE"/>`, send(response('200 OK', { toTag: false })), `<timewait milliseconds="500"/>`);
  return scenario('uas-no-telephone-event', steps);
}

export function infoDtmfCalleeScenario(options: { keys: string; mediaPort: number; afterAckMs?: number }): string {
  if (!/^[0-9*#A-D]+$/.test(options.keys)) throw new Error(`not DTMF keys: ${options.keys}`);
  const steps = [
    ...ANSWER_CAPTURING_DIALOG,
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
