/**
 * The sipp caller the SIP benchmarks run: INVITE with an SDP offer, 180
 * Ringing (sipp's response time 1 runs from the INVITE to it), 200 with the
 * answer, ACK, a short hold without media, BYE, 200. The same scenario
 * calls Portier and sipp's own UAS (`sipp -sn uas`, which answers 180 then
 * 200 with SDP), so both sides see the same caller.
 */

/** sipp's response time number for INVITE → 180 (`start_rtd`/`rtd` in the scenario, `-trace_rtt` writes it per call). */
export const RINGING_RTD = 1;

/** The caller: `holdMs` between the ACK and the BYE. */
export function benchUacScenario(holdMs: number): string {
  const from = '<sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]';
  const to = '<sip:[service]@[remote_ip]:[remote_port]>';
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="bench-uac">
<send retrans="500" start_rtd="${RINGING_RTD}"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: ${from}
To: ${to}
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=sipp 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8 0
a=rtpmap:8 PCMA/8000
a=rtpmap:0 PCMU/8000
a=ptime:20
a=sendrecv
]]></send>
<recv response="100" optional="true"/>
<recv response="180" rtd="${RINGING_RTD}"/>
<recv response="200" rrs="true"/>
<send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: ${from}
To: ${to}[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0
]]></send>
<pause milliseconds="${Math.max(0, Math.round(holdMs))}"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: ${from}
To: ${to}[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0
]]></send>
<recv response="200" crlf="true"/>
</scenario>
`;
}
