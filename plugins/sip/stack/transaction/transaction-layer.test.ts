import { describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../message/index.js';
import { DEFAULT_TIMERS, TransactionLayer } from './index.js';
import { FakeSipTransport } from './test-support/fake-sip-transport.js';
import { LOCAL, branchOf, request, response } from './test-support/sip-fixtures.js';
import { createHarness, RecordingUser } from './test-support/transaction-harness.js';
import { FakeClock } from 'portier/sdk/testing';

describe('TransactionLayer: matching responses (§17.1.3)', () => {
  it('hands a response with an unknown branch to onStrayResponse', async () => {
    const h = createHarness('UDP');
    const stray = response(request('INVITE'), 200);
    const inbound = h.receive(stray);
    expect(h.user.strays).toEqual([inbound]);
    await h.expectNoLeaks();
  });

  it('matches on the CSeq method too: same branch, other method is stray', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    const options = request('OPTIONS');
    h.layer.sendRequest(options, h.target, handlers);
    h.receive(response(request('INFO', { branch: branchOf(options) }), 200));
    expect(handlers.responses).toEqual([]);
    expect(h.user.strays).toHaveLength(1);
    h.receive(response(options, 200));
    expect(handlers.responses).toHaveLength(1);
    await h.expectNoLeaks();
  });

  it('reports a response it cannot read (no Via) through onError, never throws', async () => {
    const h = createHarness('UDP');
    expect(() => h.receive(createResponse(200, 'OK', [{ name: 'CSeq', value: '1 INVITE' }]))).not.toThrow();
    expect(h.errors).toHaveLength(1);
    expect(h.user.strays).toEqual([]);
    await h.expectNoLeaks();
  });
});

describe('TransactionLayer: matching requests (§17.2.3)', () => {
  it('keeps transactions apart by sent-by when branches collide', async () => {
    const h = createHarness('UDP');
    const a = request('OPTIONS');
    const b = request('OPTIONS', { branch: branchOf(a), viaHost: '203.0.113.9' });
    h.receive(a);
    h.receive(b);
    expect(h.user.requests).toHaveLength(2);
    h.user.requests[0]!.respond(response(a, 200));
    h.user.requests[1]!.respond(response(b, 200));
    await h.expectNoLeaks();
  });

  it('treats an explicit default port and no port as the same sent-by, and the host without case', async () => {
    const h = createHarness('UDP');
    const a = request('OPTIONS', { viaHost: 'Door.Example.org', viaPort: 5060 });
    const again = request('OPTIONS', { branch: branchOf(a), viaHost: 'door.example.org' });
    again.headers.set('Via', (again.headers.get('Via') ?? '').replace(':5060', ''));
    h.receive(a);
    h.receive(again);
    expect(h.user.requests).toHaveLength(1);
    h.user.requests[0]!.respond(response(a, 200));
    await h.expectNoLeaks();
  });

  it('gives an ACK that matches no transaction (an ACK for a 2xx) to onAck, and never makes a transaction for it', async () => {
    const h = createHarness('UDP');
    const ack = request('ACK', { toTag: 'x' });
    const inbound = h.receive(ack);
    expect(h.user.acks).toEqual([inbound]);
    expect(h.layer.size.server).toBe(0);
    await h.expectNoLeaks();
  });

  it('drops a request without an RFC 3261 branch, reporting SIP_TRANSACTION_UNMATCHABLE', async () => {
    const h = createHarness('UDP');
    h.receive(request('INVITE', { branch: 'rfc2543-style-1' }));
    expect(h.user.requests).toEqual([]);
    expect(h.errors.map((e) => (e.error as { code?: string }).code)).toEqual(['SIP_TRANSACTION_UNMATCHABLE']);
    await h.expectNoLeaks();
  });

  it('reports a request it cannot read (no Via) through onError, never throws', async () => {
    const h = createHarness('UDP');
    expect(() => h.receive(createRequest('OPTIONS', 'sip:x@example.org', [{ name: 'CSeq', value: '1 OPTIONS' }]))).not.toThrow();
    expect(h.errors).toHaveLength(1);
    await h.expectNoLeaks();
  });

  it('reports a throwing TU callback through onError and keeps going', async () => {
    const clock = new FakeClock();
    const transport = new FakeSipTransport(clock, LOCAL);
    const errors: string[] = [];
    const user = new RecordingUser();
    user.onRequest = () => {
      throw new Error('TU bug');
    };
    const layer = new TransactionLayer(transport, clock, user, { onError: (where, error) => errors.push(`${where}: ${(error as Error).message}`) });
    transport.inject(request('INVITE'), { transport: 'UDP', host: '198.51.100.7', port: 5060 });
    expect(errors).toEqual(['onRequest: TU bug']);
    expect(layer.size.server).toBe(1);
    layer.close();
    expect(layer.size).toEqual({ client: 0, server: 0 });
    expect(clock.pending()).toBe(0);
  });
});

describe('TransactionLayer: sending', () => {
  it('refuses requests it cannot match responses to', () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    expect(() => h.layer.sendRequest(request('OPTIONS', { branch: 'old-style' }), h.target, handlers)).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_BAD_REQUEST' }),
    );
    expect(() => h.layer.sendRequest(request('ACK'), h.target, handlers)).toThrow(expect.objectContaining({ code: 'SIP_TRANSACTION_BAD_REQUEST' }));
    expect(() => h.layer.sendRequest(request('INFO', { cseqMethod: 'OPTIONS' }), h.target, handlers)).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_BAD_REQUEST' }),
    );
    expect(() => h.layer.sendRequest(createRequest('OPTIONS', 'sip:x@example.org'), h.target, handlers)).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_BAD_REQUEST' }),
    );
    const options = request('OPTIONS');
    h.layer.sendRequest(options, h.target, handlers);
    expect(() => h.layer.sendRequest(options, h.target, handlers)).toThrow(expect.objectContaining({ code: 'SIP_TRANSACTION_EXISTS' }));
    expect(h.layer.size.client).toBe(1);
    h.layer.close();
  });

  it('sends a stateless request (the ACK for a 2xx) straight through the transport, without a transaction', async () => {
    const h = createHarness('UDP');
    const ack = request('ACK', { toTag: 'uas1' });
    await h.layer.sendStateless(ack, h.target);
    expect(h.transport.requests('ACK')).toEqual([{ at: 0, message: ack, target: h.target }]);
    expect(h.layer.size).toEqual({ client: 0, server: 0 });
    await h.at(5000);
    expect(h.transport.requests('ACK')).toHaveLength(1);
  });

  it('passes a stateless send failure to the caller', async () => {
    const h = createHarness('UDP');
    h.transport.failWhen = () => new Error('ECONNREFUSED');
    await expect(h.layer.sendStateless(request('ACK'), h.target)).rejects.toThrow('ECONNREFUSED');
  });

  it('refuses bad timer values', () => {
    const clock = new FakeClock();
    expect(() => new TransactionLayer(new FakeSipTransport(clock, LOCAL), clock, new RecordingUser(), { timers: { t1: 0 } })).toThrow(
      expect.objectContaining({ code: 'SIP_TRANSACTION_BAD_TIMERS' }),
    );
    expect(DEFAULT_TIMERS).toEqual({ t1: 500, t2: 4000, t4: 5000 });
  });
});

describe('TransactionLayer: close()', () => {
  it('clears every timer, forgets every transaction, stops listening and tells no one', async () => {
    const h = createHarness('UDP');
    const handlers = h.handlers();
    h.layer.sendRequest(request('INVITE'), h.target, handlers);
    h.layer.sendRequest(request('OPTIONS'), h.target, handlers);
    h.receive(request('INVITE'));
    h.receive(request('REGISTER'));
    expect(h.layer.size).toEqual({ client: 2, server: 2 });

    h.layer.close();
    expect(h.layer.size).toEqual({ client: 0, server: 0 });
    expect(h.clock.pending()).toBe(0);
    expect(h.transport.listenerCount).toBe(0);
    h.receive(request('OPTIONS'));
    expect(h.user.requests).toHaveLength(2);
    await h.at(60_000);
    expect(handlers.timeouts).toEqual([]);
    expect(() => h.layer.sendRequest(request('OPTIONS'), h.target, handlers)).toThrow(expect.objectContaining({ code: 'SIP_TRANSACTION_CLOSED' }));
  });
});
