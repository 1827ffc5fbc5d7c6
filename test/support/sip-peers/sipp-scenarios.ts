/**
 * sipp scenario XML for the roles Portier's SIP user agent meets: a callee
 * that answers, rings forever or refuses; a caller that talks, sends RFC 4733
 * DTMF and hangs up, or is refused; a registration; an OPTIONS ping.
 *
 * Branches of requests that a later CANCEL or non-2xx ACK must repeat are
 * spelled out (`z9hG4bK-<pid>-<call>-inv<cseq>`) instead of sipp's `[branch]`,
 * which changes with every message of the scenario. Media goes to the port in
 * the peer's SDP. Audio is by default a tone streamed with `rtp_stream`
 * (plain UDP, see sipp-tone.ts); the Debian package's pcaps (G.711 A-law
 * speech, one RFC 4733 DTMF pcap per key) are replayed through a raw socket,
 * so DTMF and pcap audio need root or CAP_NET_RAW (`setcap cap_net_raw+ep
 * /usr/bin/sipp`), see `sippCanReplayPcap`.
 */

import { alawTonePath } from './sipp-tone.js';

export const SIPP_PCAP_DIR = '/usr/share/sip-tester';
/** About 4.7 s of PCMA (payload type 8) speech, 236 packets. */
export const G711A_PCAP = `${SIPP_PCAP_DIR}/g711a.pcap`;

/** The shipped pcap for one DTMF key (0-9, *, #): RFC 4733 telephone-event, payload type 101. */
export function dtmfPcap(key: string): string {
  if (/^[0-9]$/.test(key)) return `${SIPP_PCAP_DIR}/dtmf_2833_${key}.pcap`;
  if (key === '*') return `${SIPP_PCAP_DIR}/dtmf_2833_star.pcap`;
  if (key === '#') return `${SIPP_PCAP_DIR}/dtmf_2833_pound.pcap`;
  throw new Error(`no DTMF pcap for key ${JSON.stringify(key)} (sipp ships 0-9, * and #)`);
}

/** Where a scenario's SDP says its media is: a port number, or sipp's `-mp` port. */
export type SdpMediaPort = number | 'sipp';

/**
 * What a scenario sends once the call is up: `tone` (default) a looping A-law
 * tone via `rtp_stream` (no privileges needed); `{ pcap }` an RTP capture
 * replayed (root or CAP_NET_RAW); null nothing.
 */
export type ScenarioAudio = 'tone' | { pcap: string } | null;

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

export interface RegisterScenarioOptions {
  username: string;
  password: string;
  /** Registrar domain (Request-URI, From, To, and the realm the digest answers). */
  domain: string;
  /** Where calls for the user should go, e.g. a sipp UAS: `127.0.0.1:5070`. */
  contact: string;
  /** 0 unregisters. Default 300. */
  expires?: number;
  transport?: 'udp' | 'tcp';
}

/**
 * REGISTER with digest authentication (401, then the answer computed by sipp,
 * MD5 only) from a client sipp. sipp drops in-dialog requests it did not
 * expect, so the callee that the contact names is a second sipp (see
 * `startRegisteredSippUas`).
 */
export function registerScenario(options: RegisterScenarioOptions): string {
  const user = token(options.username);
  const domain = token(options.domain);
  const register = (cseq: number, auth: boolean): string =>
    send(`REGISTER sip:${domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${user}@${domain}>;tag=[pid]SIPpTag00[call_number]
To: <sip:${user}@${domain}>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: <sip:${user}@${token(options.contact)};transport=${options.transport ?? 'udp'}>
Expires: ${options.expires ?? 300}
Max-Forwards: 70
${auth ? `[authentication username=${user} password=${token(options.password)}]\n` : ''}Content-Length: 0`, 500);
  return scenario('register', [register(1, false), `<recv response="401" auth="true"/>`, register(2, true), `<recv response="200"/>`]);
}

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

const REASONS: Record<number, string> = {
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 480: 'Temporarily Unavailable', 486: 'Busy Here',
  488: 'Not Acceptable Here', 500: 'Server Internal Error', 503: 'Service Unavailable', 600: 'Busy Everywhere', 603: 'Decline',
};

function response(status: string, options: { toTag?: boolean; cseq?: string; sdp?: string } = {}): string {
  const to = options.toTag === false ? '[last_To:]' : '[last_To:];tag=[pid]SIPpTag01[call_number]';
  const head = `SIP/2.0 ${status}
[last_Via:]
[last_Record-Route:]
[last_From:]
${to}
[last_Call-ID:]
${options.cseq ?? '[last_CSeq:]'}
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>`;
  return options.sdp === undefined
    ? `${head}\nContent-Length: 0`
    : `${head}\nContent-Type: application/sdp\nContent-Length: [len]\n\n${options.sdp}`;
}

// PCMA first: the shipped speech pcap is A-law. telephone-event 101 as the DTMF pcaps use.
function sdp(port: string): string {
  return `v=0
o=sipp 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio ${port} RTP/AVP 8 0 101
a=rtpmap:8 PCMA/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=ptime:20
a=sendrecv`;
}

function sdpPort(port: SdpMediaPort): string {
  return port === 'sipp' ? '[media_port]' : String(port);
}

function send(message: string, retransMs?: number): string {
  return `<send${retransMs ? ` retrans="${retransMs}"` : ''}><![CDATA[
${message}
]]></send>`;
}

function pause(ms: number): string {
  return `<pause milliseconds="${Math.max(0, Math.round(ms))}"/>`;
}

function startAudio(audio: ScenarioAudio = 'tone'): string[] {
  if (audio === null) return [];
  if (audio === 'tone') return [`<nop><action><exec rtp_stream="${alawTonePath()},-1,8"/></action></nop>`];
  return [playPcap(audio.pcap)];
}

function playPcap(path: string): string {
  return `<nop><action><exec play_pcap_audio="${path}"/></action></nop>`;
}

function scenario(name: string, steps: readonly string[]): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="${name}">
${steps.join('\n')}
</scenario>
`;
}

// Values land inside CDATA and SIP headers: refuse what would break either.
function token(value: string): string {
  if (!/^[A-Za-z0-9_.:@\-[\]+!~*'()%]+$/.test(value)) {
    throw new Error(`sipp scenario value ${JSON.stringify(value)} has characters that would break the SIP message`);
  }
  return value;
}
