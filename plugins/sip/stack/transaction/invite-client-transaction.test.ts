import { describe, expect, it } from 'vitest';
import { getCSeq, getTo, getTopVia } from '../message/index.js';
import { branchOf, request, response } from './test-support/sip-fixtures.js';
import { createHarness } from './test-support/transaction-harness.js';

describe('INVITE client transaction over UDP', () => {
  it('retransmits at 0, 500, 1500, 3500, … (Timer A doubling) until Timer B times out at 64*T1', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    const tx = h.layer.sendRequest(request('INVITE'), h.target, handlers);
    expect(tx.state).toBe('calling');
    expect(tx.id).toBe(`${branchOf(tx.request)} INVITE`);

    await h.at(31_999);
    expect(handlers.timeouts).toEqual([]);
    await h.at(32_000);
    expect(h.transport.requests('INVITE').map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 15_500, 31_500]);
    expect(handlers.timeouts).toEqual([32_000]);
    expect(tx.state).toBe('terminated');
    expect(h.transport.requests('INVITE').every((s) => s.target === h.target)).toBe(true);
    await h.expectNoLeaks();
    expect(h.transport.requests('INVITE')).toHaveLength(7);
  });

  it('follows a larger T1 (Timer A starts at T1, Timer B is 64*T1)', async () => {
    const h = createHarness('UDP', { t1: 1000 });
    const handlers = h.handlers();
    h.layer.sendRequest(request('INVITE'), h.target, handlers);
    await h.at(64_000);
    expect(h.transport.requests('INVITE').map((s) => s.at)).toEqual([0, 1000, 3000, 7000, 15_000, 31_000, 63_000]);
    expect(handlers.timeouts).toEqual([64_000]);
    await h.expectNoLeaks();
  });

  it('stops retransmitting on a provisional response (Proceeding) and has no Timer B there', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    const invite = request('INVITE');
    const tx = h.layer.sendRequest(invite, h.target, handlers);
    await h.at(700);
    h.receive(response(invite, 180));
    expect(tx.state).toBe('proceeding');
    expect(handlers.responses.map((r) => r.status)).toEqual([180]);

    await h.at(60_000);
    expect(h.transport.requests('INVITE').map((s) => s.at)).toEqual([0, 500]);
    expect(handlers.timeouts).toEqual([]);
    expect(tx.state).toBe('proceeding');

    h.receive(response(invite, 486));
    expect(tx.state).toBe('completed');
    await h.expectNoLeaks();
  });

  it('ACKs a non-2xx final with the INVITE branch and the response To tag, re-ACKs retransmissions for Timer D (32 s)', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    const invite = request('INVITE', { cseq: 7, route: '<sip:proxy.example.org;lr>' });
    const tx = h.layer.sendRequest(invite, h.target, handlers);
    await h.at(100);
    h.receive(response(invite, 486, 'busy1'));
    expect(tx.state).toBe('completed');
    expect(handlers.responses.map((r) => r.status)).toEqual([486]);

    const [ack] = h.transport.requests('ACK');
    expect(ack?.at).toBe(100);
    expect(ack?.target).toBe(h.target);
    const message = ack!.message;
    expect(message.uri).toBe(invite.uri);
    expect(getTopVia(message).branch).toBe(getTopVia(invite).branch);
    expect(message.headers.getAll('Via')).toHaveLength(1);
    expect(getCSeq(message)).toEqual({ seq: 7, method: 'ACK' });
    expect(getTo(message).params).toContainEqual({ name: 'tag', value: 'busy1' });
    expect(message.headers.get('Route')).toBe('<sip:proxy.example.org;lr>');
    expect(message.headers.get('Call-ID')).toBe(invite.headers.get('Call-ID'));
    expect(message.headers.get('From')).toBe(invite.headers.get('From'));

    await h.at(5000);
    h.receive(response(invite, 486, 'busy1'));
    expect(h.transport.requests('ACK').map((s) => s.at)).toEqual([100, 5000]);
    expect(handlers.responses).toHaveLength(1);
    expect(h.transport.requests('INVITE')).toHaveLength(1); // the final at 100 ms came before Timer A

    await h.at(32_099);
    expect(tx.state).toBe('completed');
    await h.at(32_100);
    expect(tx.state).toBe('terminated');
    await h.expectNoLeaks();
  });

  it('stops Timer A on a final response in Calling', async () => {
    const h = createHarness('UDP');
    const invite = request('INVITE');
    h.layer.sendRequest(invite, h.target, h.handlers());
    await h.at(600);
    h.receive(response(invite, 603));
    await h.at(32_599);
    expect(h.layer.size.client).toBe(1);
    await h.at(32_600);
    expect(h.layer.size.client).toBe(0);
    expect(h.transport.requests('INVITE').map((s) => s.at)).toEqual([0, 500]);
    await h.expectNoLeaks();
  });

  it('goes to Accepted on a 2xx (RFC 6026): 2xx retransmissions reach the TU until Timer M, later ones are stray', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    const invite = request('INVITE');
    const tx = h.layer.sendRequest(invite, h.target, handlers);
    h.receive(response(invite, 180));
    await h.at(1000);
    h.receive(response(invite, 200));
    expect(tx.state).toBe('accepted');
    expect(h.transport.requests('ACK')).toEqual([]); // the ACK for a 2xx is the TU's

    await h.at(2000);
    h.receive(response(invite, 200));
    h.receive(response(invite, 200, 'fork2'));
    h.receive(response(invite, 486)); // a non-2xx after a 2xx is absorbed
    expect(handlers.responses.map((r) => r.status)).toEqual([180, 200, 200, 200]);

    await h.at(32_999);
    expect(tx.state).toBe('accepted');
    await h.at(33_000);
    expect(tx.state).toBe('terminated');
    h.receive(response(invite, 200));
    expect(h.user.strays.map((s) => s.message.status)).toEqual([200]);
    expect(handlers.responses).toHaveLength(4);
    await h.expectNoLeaks();
  });

  it('reports a transport failure as onTransportError and stops retransmitting', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    const failure = new Error('no route to host');
    h.transport.failWhen = () => failure;
    const tx = h.layer.sendRequest(request('INVITE'), h.target, handlers);
    await h.at(0);
    expect(handlers.transportErrors).toEqual([failure]);
    expect(tx.state).toBe('terminated');
    await h.expectNoLeaks();
    expect(h.transport.requests('INVITE')).toHaveLength(1);
    expect(handlers.timeouts).toEqual([]);
  });

  it('only reports (onError) a failed ACK: the TU already has its final response', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    const invite = request('INVITE');
    h.layer.sendRequest(invite, h.target, handlers);
    h.transport.failWhen = (message) => (message.kind === 'request' && message.method === 'ACK' ? new Error('socket closed') : undefined);
    h.receive(response(invite, 480));
    await h.at(0);
    expect(handlers.transportErrors).toEqual([]);
    expect(h.errors.map((e) => (e.error as Error).message)).toEqual(['socket closed']);
    await h.expectNoLeaks();
  });
});

describe('INVITE client transaction over a reliable transport', () => {
  it('sends once and times out with Timer B at 64*T1', async () => {
    const h = createHarness('TCP');
    const handlers = h.handlers();
    h.layer.sendRequest(request('INVITE', { transport: 'TCP' }), h.target, handlers);
    await h.at(32_000);
    expect(h.transport.requests('INVITE').map((s) => s.at)).toEqual([0]);
    expect(handlers.timeouts).toEqual([32_000]);
    await h.expectNoLeaks();
  });

  it('terminates at once after ACKing a non-2xx (Timer D is 0)', async () => {
    const h = createHarness('TLS');
    const handlers = h.handlers();
    const invite = request('INVITE', { transport: 'TLS' });
    const tx = h.layer.sendRequest(invite, h.target, handlers);
    h.receive(response(invite, 486));
    expect(tx.state).toBe('terminated');
    expect(h.layer.size.client).toBe(0);
    expect(h.transport.requests('ACK')).toHaveLength(1);
    expect(handlers.responses.map((r) => r.status)).toEqual([486]);
    await h.expectNoLeaks();
  });

  it('keeps Accepted for Timer M (64*T1) even on TCP', async () => {
    const h = createHarness('TCP');
    const handlers = h.handlers();
    const invite = request('INVITE', { transport: 'TCP' });
    const tx = h.layer.sendRequest(invite, h.target, handlers);
    h.receive(response(invite, 200));
    await h.at(31_999);
    expect(tx.state).toBe('accepted');
    await h.at(32_000);
    expect(tx.state).toBe('terminated');
    await h.expectNoLeaks();
  });
});
