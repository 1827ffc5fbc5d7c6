import { freePort, freeRtpPort } from '../support/sip-peers/index.js';
import { ADMIN, startTestPortier, type TestPortier } from '../support/test-portier.js';

export interface SipPortier extends TestPortier {
  sipPort: number;
  /** Replaces the SIP settings (merged over what is there) and waits until SIP runs with them. */
  configure(settings: Record<string, unknown>): Promise<void>;
  calls(): Promise<Array<Record<string, any>>>;
  /** Resolves with the call once `predicate` holds for it; fails after `timeoutMs`. */
  waitForCall(predicate: (call: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
  status(): Promise<Record<string, any>>;
}

/** A whole Portier over HTTPS with the sip plugin on the system clock, its SIP, TLS and RTP ports free ones on 127.0.0.1. */
export async function startSipPortier(plugins: string[] = ['sip']): Promise<SipPortier> {
  const p = await startTestPortier({ plugins });
  await p.setUp();
  const sipPort = await freePort();
  const tlsPort = await freePort();
  const rtpStart = await freeRtpPort();
  const base = { enabled: true, listenAddress: '127.0.0.1', ports: { sip: sipPort, tls: tlsPort, rtpStart } };
  const request = (method: string, path: string, body?: unknown) => p.request(method, path, { user: ADMIN, ...(body === undefined ? {} : { body }) });
  const sip: SipPortier = Object.assign(p, {
    sipPort,
    async configure(settings: Record<string, unknown>) {
      const current = (await request('GET', '/api/v1/plugins/sip/settings')).body.values;
      const reply = await request('PUT', '/api/v1/plugins/sip/settings', { ...current, ...base, ...settings, ports: { ...base.ports, ...(settings.ports as object) } });
      if (reply.status !== 200) throw new Error(`SIP settings refused: ${reply.status} ${reply.text}`);
      const deadline = Date.now() + 5000;
      for (;;) {
        const status = (await request('GET', '/api/v1/plugins/sip/status')).body;
        if (status.running && status.listening.some((l: { port: number }) => l.port === sipPort)) return;
        if (Date.now() > deadline) throw new Error(`SIP did not start: ${JSON.stringify(status)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async calls() {
      return (await request('GET', '/api/v1/plugins/sip/calls')).body;
    },
    async status() {
      return (await request('GET', '/api/v1/plugins/sip/status')).body;
    },
    async waitForCall(predicate: (call: Record<string, any>) => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const calls = (await request('GET', '/api/v1/plugins/sip/calls')).body as Array<Record<string, any>>;
        const found = calls.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no such call within ${timeoutMs} ms; calls: ${JSON.stringify(calls)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  });
  return sip;
}
