/** Real SIP peers for integration tests; see README.md beside this file. */
export { freeConsecutivePorts, freePort, freePorts, freeRtpPort, tcpPortIsFree, udpPortIsFree } from './free-port.js';
export { describeWithPeer, describeWithPeers, findPeer, peerPath, requirePeer } from './peer-binary.js';
export { spawnPeer, type PeerProcess } from './peer-process.js';
export { runSipp, startSipp, type Sipp, type SippOptions, type SippResult, type SippTransport } from './sipp.js';
export { parseSippStatistics, type SippStatistics } from './sipp-statistics.js';
export {
  G711A_PCAP, SIPP_PCAP_DIR, dtmfPcap, optionsPingScenario, registerScenario, uacScenario, uasScenario,
  type RegisterScenarioOptions, type ScenarioAudio, type SdpMediaPort, type UacScenarioOptions, type UasScenarioOptions,
} from './sipp-scenarios.js';
export { alawTonePath, linearToAlaw } from './sipp-tone.js';
export { requirePcapReplay, sippCanReplayPcap } from './sipp-pcap-privilege.js';
export { startRegisteredSippUas, type RegisteredSippUasOptions } from './sipp-registered-uas.js';
export { DEFAULT_KAMAILIO_USERS, startKamailio, type Kamailio, type KamailioOptions, type KamailioUser, type Registration } from './kamailio.js';
export { startBaresip, type Baresip, type BaresipAccount, type BaresipEvent, type BaresipOptions, type BaresipResponse } from './baresip.js';
export { startRtpTap, type RtpTap } from './rtp-tap.js';
export { sipAnswersOptions, waitForSipServer } from './sip-options-probe.js';
export { makeTlsCertificates, type TlsCertificates } from './tls-certificates.js';
export { toneWav, writeToneWav, type ToneOptions } from './tone-wav.js';
