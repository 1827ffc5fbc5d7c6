import { describe, expect, it } from 'vitest';
import { request, response } from './test-support/sip-fixtures.js';
import { createHarness } from './test-support/transaction-harness.js';

describe('non-INVITE server transaction over UDP', () => {
  it('absorbs retransmissions in Trying, re-sends the last provisional, then the final, for Timer J (64*T1)', async () => {
    const h = createHarness('UDP');
    const register = request('REGISTER');
    h.receive(register);
    const [tx] = h.user.requests;
    expect(tx?.state).toBe('trying');
    await h.at(500);
    h.receive(register);
    expect(h.transport.responses()).toEqual([]);
    expect(h.user.requests).toHaveLength(1);

    tx!.respond(response(register, 100));
    expect(tx!.state).toBe('proceeding');
    await h.at(1500);
    h.receive(register);
    tx!.respond(response(register, 200));
    expect(tx!.state).toBe('completed');
    await h.at(3500);
    h.receive(register);
    expect(h.transport.responses().map((s) => [s.at, s.message.status])).toEqual([
      [500, 100],
      [1500, 100],
      [1500, 200],
      [3500, 200],
    ]);
    expect(h.user.requests).toHaveLength(1);
    await h.at(33_499);
    expect(tx!.state).toBe('completed');
    await h.at(33_500);
    expect(tx!.state).toBe('terminated');
    // Gone: a late retransmission is a new request.
    h.receive(register);
    expect(h.user.requests).toHaveLength(2);
    h.user.requests[1]!.respond(response(register, 200));
    await h.expectNoLeaks();
  });

  it('does not retransmit a final response on its own', async () => {
    const h = createHarness('UDP');
    const options = request('OPTIONS');
    h.receive(options);
    h.user.requests[0]!.respond(response(options, 200));
    await h.at(32_000);
    expect(h.transport.responses()).toHaveLength(1);
    await h.expectNoLeaks();
  });

  it('refuses a second final response (SIP_TRANSACTION_STATE)', async () => {
    const h = createHarness('UDP');
    const bye = request('BYE', { toTag: 'a' });
    h.receive(bye);
    const tx = h.user.requests[0]!;
    tx.respond(response(bye, 200));
    expect(() => tx.respond(response(bye, 481))).toThrow(expect.objectContaining({ code: 'SIP_TRANSACTION_STATE' }));
    await h.expectNoLeaks();
  });

  it('sends no automatic 100 Trying (that is for INVITE only)', async () => {
    const h = createHarness('UDP');
    const options = request('OPTIONS');
    h.receive(options);
    await h.at(1000);
    expect(h.transport.responses()).toEqual([]);
    h.user.requests[0]!.respond(response(options, 200));
    await h.expectNoLeaks();
  });
});

describe('non-INVITE server transaction over a reliable transport', () => {
  it('terminates as soon as the final response is sent (Timer J is 0)', async () => {
    const h = createHarness('TCP');
    const options = request('OPTIONS', { transport: 'TCP' });
    h.receive(options);
    const tx = h.user.requests[0]!;
    tx.respond(response(options, 200));
    expect(tx.state).toBe('terminated');
    expect(h.layer.size.server).toBe(0);
    await h.expectNoLeaks();
  });
});
