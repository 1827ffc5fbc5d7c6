import { describe, expect, it } from 'vitest';
import { request, response } from './test-support/sip-fixtures.js';
import { createHarness } from './test-support/transaction-harness.js';

describe('non-INVITE client transaction over UDP', () => {
  it('retransmits doubling from T1, capped at T2 (Timer E), until Timer F at 64*T1', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    const tx = h.layer.sendRequest(request('OPTIONS'), h.target, handlers);
    expect(tx.state).toBe('trying');
    await h.at(31_999);
    expect(handlers.timeouts).toEqual([]);
    await h.at(32_000);
    expect(h.transport.requests('OPTIONS').map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    expect(handlers.timeouts).toEqual([32_000]);
    expect(tx.state).toBe('terminated');
    await h.expectNoLeaks();
  });

  it('retransmits every T2 once Proceeding, and Timer F still applies', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    const register = request('REGISTER');
    const tx = h.layer.sendRequest(register, h.target, handlers);
    await h.at(600);
    h.receive(response(register, 100));
    expect(tx.state).toBe('proceeding');
    await h.at(32_000);
    // E pending since 500 fires at 1500, then every T2.
    expect(h.transport.requests('REGISTER').map((s) => s.at)).toEqual([0, 500, 1500, 5500, 9500, 13_500, 17_500, 21_500, 25_500, 29_500]);
    expect(handlers.responses.map((r) => r.status)).toEqual([100]);
    expect(handlers.timeouts).toEqual([32_000]);
    await h.expectNoLeaks();
  });

  it('on a final response stops retransmitting, absorbs retransmissions for Timer K (T4), then terminates', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    const bye = request('BYE', { toTag: 'uas1' });
    const tx = h.layer.sendRequest(bye, h.target, handlers);
    await h.at(800);
    h.receive(response(bye, 200));
    expect(tx.state).toBe('completed');
    await h.at(3000);
    h.receive(response(bye, 200));
    expect(handlers.responses.map((r) => r.status)).toEqual([200]);
    await h.at(5799);
    expect(tx.state).toBe('completed');
    await h.at(5800);
    expect(tx.state).toBe('terminated');
    expect(h.transport.requests('BYE').map((s) => s.at)).toEqual([0, 500]);
    h.receive(response(bye, 200));
    expect(h.user.strays).toHaveLength(1);
    await h.expectNoLeaks();
  });

  it('stops Timer F on a final response, even when Timer K outlasts it', async () => {
    const h = createHarness('UDP', { t1: 100, t4: 10_000 });
    const handlers = h.handlers();
    const options = request('OPTIONS');
    const tx = h.layer.sendRequest(options, h.target, handlers);
    await h.at(100);
    h.receive(response(options, 200));
    await h.at(6400); // 64*T1
    expect(handlers.timeouts).toEqual([]);
    expect(tx.state).toBe('completed');
    await h.at(10_100);
    expect(tx.state).toBe('terminated');
    await h.expectNoLeaks();
  });

  it('follows a smaller T2 cap', async () => {
    const h = createHarness('UDP', { t2: 1000 });
    h.layer.sendRequest(request('MESSAGE'), h.target, h.handlers());
    await h.at(5000);
    expect(h.transport.requests('MESSAGE').map((s) => s.at)).toEqual([0, 500, 1500, 2500, 3500, 4500]);
    await h.expectNoLeaks();
  });

  it('reports a transport failure as onTransportError', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    h.transport.failWhen = () => new Error('ENETUNREACH');
    const tx = h.layer.sendRequest(request('OPTIONS'), h.target, handlers);
    await h.at(0);
    expect(handlers.transportErrors.map((e) => e.message)).toEqual(['ENETUNREACH']);
    expect(tx.state).toBe('terminated');
    await h.expectNoLeaks();
    expect(h.transport.requests('OPTIONS')).toHaveLength(1);
  });

  it('reports a failed retransmission the same way', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    h.layer.sendRequest(request('OPTIONS'), h.target, handlers);
    h.transport.failWhen = () => new Error('socket closed');
    await h.at(500);
    expect(handlers.transportErrors.map((e) => e.message)).toEqual(['socket closed']);
    await h.expectNoLeaks();
  });
});

describe('non-INVITE client transaction over a reliable transport', () => {
  it('sends once and times out with Timer F at 64*T1', async () => {
    const h = createHarness('TCP');
    const handlers = h.handlers();
    h.layer.sendRequest(request('OPTIONS', { transport: 'TCP' }), h.target, handlers);
    await h.at(32_000);
    expect(h.transport.requests('OPTIONS').map((s) => s.at)).toEqual([0]);
    expect(handlers.timeouts).toEqual([32_000]);
    await h.expectNoLeaks();
  });

  it('terminates at once on a final response (Timer K is 0)', async () => {
    const h = createHarness('TLS');
    const handlers = h.handlers();
    const options = request('OPTIONS', { transport: 'TLS' });
    const tx = h.layer.sendRequest(options, h.target, handlers);
    h.receive(response(options, 180));
    expect(tx.state).toBe('proceeding');
    h.receive(response(options, 200));
    expect(tx.state).toBe('terminated');
    expect(handlers.responses.map((r) => r.status)).toEqual([180, 200]);
    expect(h.layer.size.client).toBe(0);
    await h.expectNoLeaks();
  });
});
