/**
 * The caller scenario: INVITE with an SDP offer (answering a 407 when asked
 * to), then talk (media, RFC 4733 DTMF, BYE either way), be refused, hear a
 * refusal after ringing, or CANCEL while it rings. Branches of requests that
 * a CANCEL or a non-2xx ACK must repeat are spelled out
 * (`z9hG4bK-<pid>-<call>-inv<cseq>`): sipp's `[branch]` changes with every
 * message of the scenario.
 */
import type { ScenarioAudio, SdpMediaPort } from './sipp-scenario-xml.js';
import { dtmfPcap, pause, playPcap, response, scenario, sdp, sdpPort, send, startAudio, token } from './sipp-scenario-xml.js';

export interface UacScenarioOptions {
  /** Request-URI user; default sipp's `-s` service. */
  to?: string;
  /** Request-URI host[:port]; default the target sipp calls. */
  domain?: string;
  /** From user; default `sipp`. */
  from?: string;
  /** Port in the SDP offer; default sipp's `-mp` port. */
  mediaPort?: SdpMediaPort;
  /**
   * `answer` (default): 200, ACK, media, DTMF, BYE. `refused`: one of `codes`
   * (403, 480, 486, 603...), acknowledged. `ring-then-fail`: 180, then one of
   * `codes` (408, 480, 487...). `cancel`: 180, then the caller CANCELs after `cancelAfterMs`.
   */
  expect?: 'answer' | 'refused' | 'ring-then-fail' | 'cancel';
  codes?: readonly number[];
  cancelAfterMs?: number;
  /** Expect a 407 first and resend the INVITE with these credentials. */
  auth?: { username: string; password: string };
  /** Media sent once answered; default `tone`. */
  audio?: ScenarioAudio;
  /** How long the audio plays before DTMF (a DTMF pcap cuts an audio pcap off); default 1000 ms. */
  audioMs?: number;
  /** Keys sent as RFC 4733 events (pcap replay: root or CAP_NET_RAW) after the audio, e.g. `'9'` or `'12#'`. */
  dtmf?: string;
  /** Time per key; the shipped pcaps last about 200 ms. Default 400 ms. */
  dtmfGapMs?: number;
  /** Time after the DTMF before hanging up; default 300 ms. */
  holdMs?: number;
  /** `caller` (default) sends BYE; `callee` waits for the callee's BYE. */
  hangup?: 'caller' | 'callee';
}

/** A caller (run sipp with a target, and `service` or `to`). */
export function uacScenario(options: UacScenarioOptions = {}): string {
  const expect = options.expect ?? 'answer';
  const user = token(options.to ?? '[service]');
  const domain = token(options.domain ?? '[remote_ip]:[remote_port]');
  const from = token(options.from ?? 'sipp');
  const requestUri = `sip:${user}@${domain}`;
  const dialog = {
    from: `<sip:${from}@${domain}>;tag=[pid]SIPpTag00[call_number]`,
    to: `<sip:${user}@${domain}>`,
  };
  let cseq = 1;
  const invite = (authenticate: boolean): string =>
    send(`INVITE ${requestUri} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-[pid]-[call_number]-inv${cseq}
From: ${dialog.from}
To: ${dialog.to}
Call-ID: [call_id]
CSeq: ${cseq} INVITE
Contact: <sip:${from}@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
${authenticate && options.auth ? `[authentication username=${token(options.auth.username)} password=${token(options.auth.password)}]\n` : ''}Content-Type: application/sdp
Content-Length: [len]

${sdp(sdpPort(options.mediaPort ?? 'sipp'))}`, 500);
  // ACK of a non-2xx final response: same branch and Request-URI as the INVITE (RFC 3261 17.1.1.3).
  const ackFailure = (): string =>
    send(`ACK ${requestUri} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-[pid]-[call_number]-inv${cseq}
From: ${dialog.from}
To: ${dialog.to}[peer_tag_param]
Call-ID: [call_id]
CSeq: ${cseq} ACK
Max-Forwards: 70
Content-Length: 0`);

  const steps: string[] = [invite(false)];
  if (options.auth) {
    steps.push(`<recv response="100" optional="true"/>`, `<recv response="407" auth="true"/>`, ackFailure());
    cseq += 1;
    steps.push(invite(true));
  }
  steps.push(`<recv response="100" optional="true"/>`);

  if (expect === 'refused' || expect === 'ring-then-fail') {
    const codes = options.codes ?? (expect === 'refused' ? [403, 480, 486, 603] : [408, 480, 487]);
    if (expect === 'ring-then-fail') steps.push(`<recv response="180"/>`, `<recv response="183" optional="true"/>`);
    else steps.push(`<recv response="180" optional="true"/>`, `<recv response="183" optional="true"/>`);
    codes.forEach((code, index) => {
      const last = index === codes.length - 1;
      steps.push(last ? `<recv response="${code}"/>` : `<recv response="${code}" optional="true" next="failed"/>`);
    });
    steps.push(`<label id="failed"/>`, ackFailure());
    return scenario(`uac-${expect}`, steps);
  }
  if (expect === 'cancel') {
    steps.push(
      `<recv response="180"/>`,
      pause(options.cancelAfterMs ?? 500),
      send(`CANCEL ${requestUri} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-[pid]-[call_number]-inv${cseq}
From: ${dialog.from}
To: ${dialog.to}
Call-ID: [call_id]
CSeq: ${cseq} CANCEL
Max-Forwards: 70
Content-Length: 0`, 500),
      `<recv response="200" optional="true"/>`,
      `<recv response="487"/>`,
      ackFailure(),
    );
    return scenario('uac-cancel', steps);
  }

  steps.push(
    `<recv response="180" optional="true"/>`,
    `<recv response="183" optional="true"/>`,
    `<recv response="200" rtd="true" rrs="true"/>`,
    send(`ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: ${dialog.from}
To: ${dialog.to}[peer_tag_param]
Call-ID: [call_id]
CSeq: ${cseq} ACK
Max-Forwards: 70
Content-Length: 0`),
  );
  const audio = startAudio(options.audio);
  if (audio.length > 0) steps.push(...audio, pause(options.audioMs ?? 1000));
  for (const key of options.dtmf ?? '') steps.push(playPcap(dtmfPcap(key)), pause(options.dtmfGapMs ?? 400));
  if (options.hangup === 'callee') {
    steps.push(`<recv request="BYE"/>`, send(response('200 OK', { toTag: false })), `<timewait milliseconds="500"/>`);
    return scenario('uac-answer', steps);
  }
  steps.push(
    pause(options.holdMs ?? 300),
    send(`BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: ${dialog.from}
To: ${dialog.to}[peer_tag_param]
Call-ID: [call_id]
CSeq: ${cseq + 1} BYE
Max-Forwards: 70
Content-Length: 0`, 500),
    `<recv response="200" crlf="true"/>`,
  );
  return scenario('uac-answer', steps);
}
