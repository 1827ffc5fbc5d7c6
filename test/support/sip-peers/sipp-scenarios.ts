/**
 * sipp scenario XML for the roles Portier's SIP user agent meets: a callee
 * that answers, rings forever or refuses (sipp-uas-scenario.ts); a caller
 * that talks, sends RFC 4733 DTMF and hangs up, or is refused
 * (sipp-uac-scenario.ts); a registration; an OPTIONS ping.
 *
 * Media goes to the port in the peer's SDP. Audio is by default a tone
 * streamed with `rtp_stream` (plain UDP, see sipp-tone.ts); the Debian
 * package's pcaps (G.711 A-law speech, one RFC 4733 DTMF pcap per key) are
 * replayed through a raw socket, so DTMF and pcap audio need root or
 * CAP_NET_RAW (`setcap cap_net_raw+ep /usr/bin/sipp`), see `sippCanReplayPcap`.
 */

export { G711A_PCAP, SIPP_PCAP_DIR, dtmfPcap, type ScenarioAudio, type SdpMediaPort } from './sipp-scenario-xml.js';
export { uasScenario, type UasScenarioOptions } from './sipp-uas-scenario.js';
export { uacScenario, type UacScenarioOptions } from './sipp-uac-scenario.js';
export { registerScenario, type RegisterScenarioOptions } from './sipp-register-scenario.js';
export { optionsPingScenario } from './sipp-options-scenario.js';
