import { FakeClock } from 'portier/sdk/testing';
import { describe, expect, it } from 'vitest';
import { DigestVerifier } from '../auth/test-support/digest-verifier.js';
import { getCSeq, parseSipUri, type SipRequest } from '../message/index.js';
import { FakeSipTransport } from '../transaction/test-support/fake-sip-transport.js';
import type { SipAddress } from '../transport/sip-transport.js';
import { Registration, type RegistrationStatus } from './registration.js';
import { createResponseTo } from './response-factory.js';
import { UserAgentCore } from './user-agent-core.js';

const REGISTRAR: SipAddress = { transport: 'UDP', host: '192.0.2.10', port: 5060 };
const LOCAL: SipAddress = { transport: 'UDP', host: '192.0.2.20', port: 5060 };

/** A registrar in the test's hands: it answers the last REGISTER as told, checking digest credentials like a PBX. */
function setup(expiresSeconds = 600) {
  const clock = new FakeClock();
  const transport = new FakeSipTransport(clock, LOCAL);
  const ua = new UserAgentCore({ transport, clock, userAgent: 'test', onIncomingInvite: () => undefined });
  const statuses: RegistrationStatus[] = [];
  const registration = new Registration(ua, clock, {
    registrar: 'sip:pbx.example.com',
    target: async () => REGISTRAR,
    aor: { displayName: undefined, uri: parseSipUri('sip:door@pbx.example.com'), params: [] },
    credentials: { username: 'door', password: 'door-secret' },
    expiresSeconds,
    retry: { firstDelayMs: 2_000, maxDelayMs: 30_000 },
    onStatus: (status) => statuses.push(status),
  });
  const verifier = new DigestVerifier({ realm: 'pbx.example.com', algorithms: ['SHA-256', 'MD5'], now: () => clock.now() });
  const registers = (): SipRequest[] => transport.requests('REGISTER').map((s) => s.message);
  const last = (): SipRequest => registers().at(-1)!;
  /** Answers the last REGISTER: 401 until it carries good credentials, then `status` (200 grants `grant` seconds). */
  const answer = async (status: number, grant?: number): Promise<void> => {
    const request = last();
    const authorization = request.headers.get('Authorization');
    let response;
    if (authorization === undefined || !verifier.verify(authorization, { method: 'REGISTER', uri: request.uri }, () => 'door-secret').ok) {
      response = createResponseTo(request, 401, { toTag: 'reg' });
      for (const challenge of verifier.challenge()) response.headers.append('WWW-Authenticate', challenge);
    } else {
      response = createResponseTo(request, status, { toTag: 'reg' });
      if (status === 200) response.headers.append('Contact', `${request.headers.get('Contact')};expires=${grant ?? expiresSeconds}`);
    }
    transport.inject(response, REGISTRAR);
    await clock.advance(0);
  };
  return { clock, registration, statuses, registers, last, answer };
}

describe('keeping an account registered', () => {
  it('answers the digest challenge, registers, and refreshes a minute before the binding runs out', async () => {
    const { clock, registration, statuses, registers, last, answer } = setup(600);
    registration.start();
    await clock.advance(0);
    expect(registers()).toHaveLength(1);
    expect(last().headers.get('Expires')).toBe('600');
    await answer(200);
    expect(registers()).toHaveLength(2);
    expect(last().headers.get('Authorization')).toMatch(/^Digest .*algorithm=SHA-256.*/);
    expect(getCSeq(last()).seq).toBe(2);
    await answer(200, 300);
    expect(registration.current.state).toBe('registered');
    expect(registration.current.until).toBe(clock.now() + 300_000);

    await clock.advance(239_000);
    expect(registers()).toHaveLength(2);
    await clock.advance(1_000);
    expect(registers()).toHaveLength(3);
    // The refresh reuses the Call-ID and counts the CSeq up (RFC 3261 §10.2.4).
    expect(last().headers.get('Call-ID')).toBe(registers()[0]!.headers.get('Call-ID'));
    expect(getCSeq(last()).seq).toBe(3);
    expect(statuses.map((s) => s.state)).toEqual(['registering', 'registered', 'registering']);
  });

  it('after a failure tries again with back-off, and recovers', async () => {
    const { clock, registration, statuses, registers, answer } = setup();
    registration.start();
    await clock.advance(0);
    await answer(503);
    await answer(503);
    expect(registration.current).toMatchObject({ state: 'failed', status: 503 });
    const attempts = (): number => registers().filter((r) => r.headers.get('Authorization') === undefined).length;
    expect(attempts()).toBe(1);
    await clock.advance(2_000);
    expect(attempts()).toBe(2);
    await answer(503);
    await answer(503);
    await clock.advance(3_999);
    expect(attempts()).toBe(2);
    await clock.advance(1);
    expect(attempts()).toBe(3);
    await answer(200);
    await answer(200);
    expect(registration.current.state).toBe('registered');
    expect(statuses.map((s) => s.state)).toEqual(['registering', 'failed', 'registering', 'failed', 'registering', 'registered']);
  });

  it('reports a registrar that never answers, and unregisters (Expires 0) when stopped', async () => {
    const { clock, registration, registers, answer, last } = setup();
    registration.start();
    await clock.advance(0);
    await clock.advance(32_000);
    expect(registration.current).toMatchObject({ state: 'failed', reason: 'The registrar did not answer' });
    await clock.advance(2_000);
    await answer(200);
    await answer(200);
    expect(registration.current.state).toBe('registered');
    const stopped = registration.stop();
    await clock.advance(0);
    expect(last().headers.get('Expires')).toBe('0');
    await answer(200);
    await answer(200);
    await stopped;
    expect(registration.current.state).toBe('unregistered');
    const count = registers().length;
    await clock.advance(3_600_000);
    expect(registers()).toHaveLength(count);
  });
});
