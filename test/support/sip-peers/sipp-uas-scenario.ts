/**
 * The callee scenario: answers (after ringing, with SDP and media, waiting for
 * or sending the BYE), refuses with a final status, or rings until CANCELed.
 */
import type { ScenarioAudio, SdpMediaPort } from './sipp-scenario-xml.js';
import { REASONS, pause, response, scenario, sdp, sdpPort, send, startAudio } from './sipp-scenario-xml.js';

export interface UasScenarioOptions {
  /** `answer` (default): 180 then 200 with SDP; a number: that final refusal; `ring-forever`: 180, then only a CANCEL ends it. */
  behaviour?: 'answer' | 'ring-forever' | 400 | 403 | 404 | 480 | 486 | 488 | 500 | 503 | 600 | 603;
  /** Ringing time before the final response; default 0. */
  ringMs?: number;
  /** Port in the SDP answer; default sipp's `-mp` port (where `-rtp_echo` listens). */
  mediaPort?: SdpMediaPort;
  /** Media sent to the caller once the call is up; default `tone`. */
  audio?: ScenarioAudio;
  /** The callee hangs up this long after the ACK instead of waiting for the caller's BYE. */
  hangupAfterMs?: number;
}

/** A callee (run sipp without a target). Expects one INVITE per call. */
export function uasScenario(options: UasScenarioOptions = {}): string {
  const behaviour = options.behaviour ?? 'answer';
  const mediaPort = sdpPort(options.mediaPort ?? 'sipp');
  // sipp refuses to start when a variable is set but never used, so capture only what this behaviour sends.
  const captures: string[] = [];
  if (behaviour === 'ring-forever') captures.push(`<ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" assign_to="inviteCseq"/>`);
  if (behaviour === 'answer' && options.hangupAfterMs !== undefined) {
    captures.push(
      `<ereg regexp="[^ ].*" search_in="hdr" header="From:" assign_to="inviteFrom"/>`,
      `<ereg regexp="[^ ].*" search_in="hdr" header="To:" assign_to="inviteTo"/>`,
    );
  }
  const steps: string[] = [
    captures.length === 0
      ? `<recv request="INVITE" crlf="true" rrs="true"/>`
      : `<recv request="INVITE" crlf="true" rrs="true"><action>${captures.join('')}</action></recv>`,
    send(response('100 Trying', { toTag: false })),
  ];
  if (typeof behaviour === 'number') {
    if (options.ringMs) steps.push(send(response('180 Ringing')), pause(options.ringMs));
    steps.push(send(response(`${behaviour} ${REASONS[behaviour] ?? 'Refused'}`)), `<recv request="ACK"/>`);
    return scenario(`uas-${behaviour}`, steps);
  }
  steps.push(send(response('180 Ringing')));
  if (behaviour === 'ring-forever') {
    steps.push(
      `<recv request="CANCEL"/>`,
      send(response('200 OK')),
      send(response('487 Request Terminated', { cseq: 'CSeq: [$inviteCseq] INVITE' })),
      `<recv request="ACK"/>`,
    );
    return scenario('uas-ring-forever', steps);
  }
  if (options.ringMs) steps.push(pause(options.ringMs));
  steps.push(
    send(response('200 OK', { sdp: sdp(mediaPort) }), 500),
    `<recv request="ACK" rtd="true" crlf="true"/>`,
  );
  steps.push(...startAudio(options.audio));
  if (options.hangupAfterMs !== undefined) {
    steps.push(
      pause(options.hangupAfterMs),
      send(`BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: [$inviteTo];tag=[pid]SIPpTag01[call_number]
To: [$inviteFrom]
Call-ID: [call_id]
CSeq: 1 BYE
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Length: 0`, 500),
      `<recv response="200"/>`,
    );
  } else {
    steps.push(`<recv request="BYE"/>`, send(response('200 OK', { toTag: false })));
  }
  // Absorbs retransmissions of the last request instead of counting them as dead-call messages.
  steps.push(`<timewait milliseconds="500"/>`);
  return scenario('uas-answer', steps);
}
