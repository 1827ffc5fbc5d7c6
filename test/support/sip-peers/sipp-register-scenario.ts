/** REGISTER with digest authentication, as a client sipp. */
import { scenario, send, token } from './sipp-scenario-xml.js';

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
