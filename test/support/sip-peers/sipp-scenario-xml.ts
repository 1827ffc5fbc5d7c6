/**
 * Building blocks of the sipp scenarios: messages in CDATA (sipp fills in
 * `[len]`, `[branch]`, `[last_Via:]`...), the SDP every scenario offers or
 * answers, pauses, media actions, and the refusal of values that would break
 * the XML or the SIP message they land in.
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

export const REASONS: Record<number, string> = {
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 480: 'Temporarily Unavailable', 486: 'Busy Here',
  488: 'Not Acceptable Here', 500: 'Server Internal Error', 503: 'Service Unavailable', 600: 'Busy Everywhere', 603: 'Decline',
};

export function response(status: string, options: { toTag?: boolean; cseq?: string; sdp?: string } = {}): string {
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
export function sdp(port: string): string {
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

export function sdpPort(port: SdpMediaPort): string {
  return port === 'sipp' ? '[media_port]' : String(port);
}

export function send(message: string, retransMs?: number): string {
  return `<send${retransMs ? ` retrans="${retransMs}"` : ''}><![CDATA[
${message}
]]></send>`;
}

export function pause(ms: number): string {
  return `<pause milliseconds="${Math.max(0, Math.round(ms))}"/>`;
}

export function startAudio(audio: ScenarioAudio = 'tone'): string[] {
  if (audio === null) return [];
  if (audio === 'tone') return [`<nop><action><exec rtp_stream="${alawTonePath()},-1,8"/></action></nop>`];
  return [playPcap(audio.pcap)];
}

export function playPcap(path: string): string {
  return `<nop><action><exec play_pcap_audio="${path}"/></action></nop>`;
}

export function scenario(name: string, steps: readonly string[]): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="${name}">
${steps.join('\n')}
</scenario>
`;
}

// Values land inside CDATA and SIP headers: refuse what would break either.
export function token(value: string): string {
  if (!/^[A-Za-z0-9_.:@\-[\]+!~*'()%]+$/.test(value)) {
    throw new Error(`sipp scenario value ${JSON.stringify(value)} has characters that would break the SIP message`);
  }
  return value;
}
