import { describe, expect, it } from 'vitest';
import { getCSeq, getTo, getTopVia } from '../message/index.js';
import { branchOf, request, response } from './test-support/sip-fixtures.js';
import { createHarness } from './test-support/transaction-harness.js';

describe('cancel() on an INVITE client transaction (§9.1)', () => {
  it('waits for a provisional response before sending CANCEL, then sends it in its own transaction', async () => {
    const h = createHarness('UDP');
    const inviteHandlers = h.handlers();
    const cancelHandlers = h.handlers();
    const invite = request('INVITE', { cseq: 3, route: '<sip:proxy.example.org;lr>' });
    const tx = h.layer.sendRequest(invite, h.target, inviteHandlers);
    expect(tx.cancel(cancelHandlers)).toBeUndefined();
    await h.at(400);
    expect(h.transport.requests('CANCEL')).toEqual([]);

    h.receive(response(invite, 180, 'callee1'));
    const [sent] = h.transport.requests('CANCEL');
    expect(sent?.at).toBe(400);
    expect(sent?.target).toBe(h.target);
    const cancel = sent!.message;
    expect(cancel.uri).toBe(invite.uri);
    expect(getTopVia(cancel).branch).toBe(getTopVia(invite).branch);
    expect(cancel.headers.getAll('Via')).toHaveLength(1);
    expect(getCSeq(cancel)).toEqual({ seq: 3, method: 'CANCEL' });
    expect(getTo(cancel).params).toEqual([]); // the To of the INVITE, not of the 180
    expect(cancel.headers.get('Route')).toBe('<sip:proxy.example.org;lr>');
    expect(h.layer.size.client).toBe(2);
    expect(tx.cancel()?.id).toBe(`${branchOf(invite)} CANCEL`); // a second call returns the same CANCEL transaction

    h.receive(response(cancel, 200, 'callee1'));
    expect(cancelHandlers.responses.map((r) => r.status)).toEqual([200]);
    h.receive(response(invite, 487, 'callee1'));
    expect(inviteHandlers.responses.map((r) => r.status)).toEqual([180, 487]);
    expect(h.transport.requests('ACK')).toHaveLength(1);
    await h.expectNoLeaks();
    expect(inviteHandlers.timeouts).toEqual([]);
  });

  it('sends CANCEL at once after a provisional and returns its transaction', async () => {
    const h = createHarness('UDP');
    const invite = request('INVITE');
    const tx = h.layer.sendRequest(invite, h.target, h.handlers());
    h.receive(response(invite, 183));
    const cancelTx = tx.cancel();
    expect(cancelTx?.state).toBe('trying');
    expect(cancelTx?.request.method).toBe('CANCEL');
    expect(h.transport.requests('CANCEL')).toHaveLength(1);
    // CANCEL retransmits like any non-INVITE request over UDP.
    await h.at(1500);
    expect(h.transport.requests('CANCEL').map((s) => s.at)).toEqual([0, 500, 1500]);
    h.receive(response(cancelTx!.request, 200));
    h.receive(response(invite, 487));
    await h.expectNoLeaks();
  });

  it('lets the TU cancel from inside onResponse for the provisional', async () => {
    const h = createHarness('UDP');
    const invite = request('INVITE');
    const handlers = h.handlers();
    const tx = h.layer.sendRequest(invite, h.target, {
      ...handlers,
      onResponse: (r) => {
        if (r.status === 180) tx.cancel();
      },
    });
    h.receive(response(invite, 180));
    h.receive(response(invite, 180));
    expect(h.transport.requests('CANCEL')).toHaveLength(1);
    h.receive(response(invite, 487));
    await h.expectNoLeaks();
  });

  it('sends nothing once a final response arrived, and drops a queued CANCEL when the final comes first', async () => {
    const h = createHarness('UDP');
    const first = request('INVITE');
    const done = h.layer.sendRequest(first, h.target, h.handlers());
    h.receive(response(first, 486));
    expect(done.cancel()).toBeUndefined();

    const second = request('INVITE');
    const queued = h.layer.sendRequest(second, h.target, h.handlers());
    queued.cancel();
    h.receive(response(second, 200));
    h.receive(response(second, 183)); // a stray provisional must not release the CANCEL
    await h.expectNoLeaks();
    expect(h.transport.requests('CANCEL')).toEqual([]);
  });

  it('is a no-op on a non-INVITE transaction', async () => {
    const h = createHarness('UDP');
    const options = request('OPTIONS');
    const tx = h.layer.sendRequest(options, h.target, h.handlers());
    expect(tx.cancel()).toBeUndefined();
    h.receive(response(options, 200));
    await h.expectNoLeaks();
    expect(h.transport.requests('CANCEL')).toEqual([]);
  });

  it('gives up on a CANCELled INVITE that gets no final response within 64*T1 of the CANCEL', async () => {
    const h = createHarness('TCP');
    const handlers = h.handlers();
    const invite = request('INVITE', { transport: 'TCP' });
    const tx = h.layer.sendRequest(invite, h.target, handlers);
    await h.at(1000);
    h.receive(response(invite, 180));
    const cancelTx = tx.cancel();
    h.receive(response(cancelTx!.request, 200));
    await h.at(32_999);
    expect(tx.state).toBe('proceeding');
    await h.at(33_000);
    expect(handlers.timeouts).toEqual([33_000]);
    expect(tx.state).toBe('terminated');
    await h.expectNoLeaks();
  });
});

describe('inbound CANCEL (§9.2)', () => {
  it('gets its own server transaction and the INVITE server transaction it matches', async () => {
    const h = createHarness('UDP');
    const invite = request('INVITE');
    h.receive(invite);
    const inviteTx = h.user.requests[0]!;
    const cancel = request('CANCEL', { branch: branchOf(invite) });
    h.receive(cancel);
    expect(h.user.requests).toHaveLength(1);
    expect(h.user.cancels).toHaveLength(1);
    const [{ cancel: cancelTx, invite: matched } = { cancel: undefined, invite: undefined }] = h.user.cancels;
    expect(matched).toBe(inviteTx);
    expect(cancelTx?.id).toBe(`${branchOf(invite)} 198.51.100.7:5060 CANCEL`);
    expect(h.layer.size.server).toBe(2);

    cancelTx!.respond(response(cancel, 200));
    inviteTx.respond(response(invite, 487));
    h.receive(cancel); // a retransmitted CANCEL is absorbed and re-answered
    expect(h.user.cancels).toHaveLength(1);
    expect(h.transport.responses(200)).toHaveLength(2);
    h.receive(request('ACK', { branch: branchOf(invite), toTag: 'uas1' }));
    await h.expectNoLeaks();
  });

  it('hands over undefined when no INVITE matches, so the TU answers 481', async () => {
    const h = createHarness('UDP');
    const cancel = request('CANCEL');
    h.receive(cancel);
    const [entry] = h.user.cancels;
    expect(entry?.invite).toBeUndefined();
    entry!.cancel.respond(response(cancel, 481));
    expect(h.transport.responses(481)).toHaveLength(1);
    await h.expectNoLeaks();
  });

  it('does not match an INVITE from another sent-by with the same branch', async () => {
    const h = createHarness('UDP');
    const invite = request('INVITE');
    h.receive(invite);
    const cancel = request('CANCEL', { branch: branchOf(invite), viaHost: '203.0.113.9' });
    h.receive(cancel);
    expect(h.user.cancels[0]?.invite).toBeUndefined();
    h.user.cancels[0]!.cancel.respond(response(cancel, 481));
    h.user.requests[0]!.respond(response(invite, 200));
    await h.expectNoLeaks();
  });
});
