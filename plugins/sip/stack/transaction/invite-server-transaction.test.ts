import { describe, expect, it } from 'vitest';
import { getCSeq, getTo, type SipRequest } from '../message/index.js';
import type { ServerTransaction } from './transaction-user.js';
import { branchOf, request, response } from './test-support/sip-fixtures.js';
import { createHarness, type Harness } from './test-support/transaction-harness.js';

/** The INVITE arrives; the TU's server transaction is returned. */
function invite(h: Harness, transport: 'UDP' | 'TCP' = 'UDP'): { tx: ServerTransaction; request: SipRequest } {
  const req = request('INVITE', { transport });
  h.receive(req);
  const tx = h.user.requests.at(-1);
  if (tx === undefined) throw new Error('the TU got no INVITE');
  return { tx, request: req };
}

/** The ACK for a non-2xx, as the client transaction sends it: same branch. */
function ackFor(req: SipRequest, transport: 'UDP' | 'TCP' = 'UDP'): SipRequest {
  return request('ACK', { transport, branch: branchOf(req), toTag: 'uas1' });
}

describe('INVITE server transaction: Proceeding', () => {
  it('sends 100 Trying itself when the TU has not answered within 200 ms', async () => {
    const h = createHarness('UDP');
    const { tx, request: req } = invite(h);
    expect(tx.state).toBe('proceeding');
    expect(tx.id).toBe(`${branchOf(req)} 198.51.100.7:5060 INVITE`);
    await h.at(199);
    expect(h.transport.responses()).toEqual([]);
    await h.at(200);
    const [trying] = h.transport.responses(100);
    expect(trying?.at).toBe(200);
    expect(trying?.inReplyTo).toBe(tx.inbound);
    expect(trying?.message.headers.get('Via')).toBe(req.headers.get('Via'));
    expect(getCSeq(trying!.message)).toEqual(getCSeq(req));
    expect(getTo(trying!.message).params).toEqual([]);
    tx.respond(response(req, 486));
    await h.expectNoLeaks();
  });

  it('sends no 100 Trying when the TU answers first', async () => {
    const h = createHarness('UDP');
    const { tx, request: req } = invite(h);
    await h.at(150);
    tx.respond(response(req, 180));
    await h.at(1000);
    expect(h.transport.responses().map((s) => s.message.status)).toEqual([180]);
    tx.respond(response(req, 486));
    await h.expectNoLeaks();
  });

  it('answers a retransmitted INVITE with the last provisional, and with nothing before one', async () => {
    const h = createHarness('UDP');
    const { tx, request: req } = invite(h);
    h.receive(req);
    expect(h.transport.responses()).toEqual([]);
    expect(h.user.requests).toHaveLength(1);
    tx.respond(response(req, 180));
    await h.at(500);
    h.receive(req);
    expect(h.transport.responses().map((s) => [s.at, s.message.status])).toEqual([
      [0, 180],
      [500, 180],
    ]);
    expect(h.user.requests).toHaveLength(1);
    tx.respond(response(req, 603));
    await h.expectNoLeaks();
  });
});

describe('INVITE server transaction: non-2xx final over UDP', () => {
  it('retransmits the final response doubling from T1, capped at T2 (Timer G), until Timer H, then tells the TU', async () => {
    const h = createHarness('UDP');
    const { tx, request: req } = invite(h);
    let ackTimeouts = 0;
    tx.onAckTimeout(() => ackTimeouts++);
    tx.respond(response(req, 486));
    expect(tx.state).toBe('completed');
    await h.at(31_999);
    expect(ackTimeouts).toBe(0);
    await h.at(32_000);
    expect(ackTimeouts).toBe(1);
    expect(tx.state).toBe('terminated');
    expect(h.transport.responses(486).map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    await h.expectNoLeaks();
  });

  it('re-sends the final response when the INVITE is retransmitted', async () => {
    const h = createHarness('UDP');
    const { tx, request: req } = invite(h);
    tx.respond(response(req, 404));
    await h.at(200);
    h.receive(req);
    expect(h.transport.responses(404).map((s) => s.at)).toEqual([0, 200]);
    expect(h.user.requests).toHaveLength(1);
    h.receive(ackFor(req));
    await h.expectNoLeaks();
  });

  it('absorbs the ACK (Confirmed), stops Timer G, absorbs ACK retransmissions for Timer I (T4)', async () => {
    const h = createHarness('UDP');
    const { tx, request: req } = invite(h);
    let ackTimeouts = 0;
    tx.onAckTimeout(() => ackTimeouts++);
    tx.respond(response(req, 486));
    await h.at(1000);
    h.receive(ackFor(req));
    expect(tx.state).toBe('confirmed');
    await h.at(3000);
    h.receive(ackFor(req));
    h.receive(req);
    expect(h.user.acks).toEqual([]);
    expect(h.user.requests).toHaveLength(1);
    expect(h.transport.responses(486).map((s) => s.at)).toEqual([0, 500]);
    await h.at(5999);
    expect(tx.state).toBe('confirmed');
    await h.at(6000);
    expect(tx.state).toBe('terminated');
    await h.expectNoLeaks();
    expect(ackTimeouts).toBe(0);
  });

  it('refuses a second final response (SIP_TRANSACTION_STATE)', async () => {
    const h = createHarness('UDP');
    const { tx, request: req } = invite(h);
    tx.respond(response(req, 486));
    expect(() => tx.respond(response(req, 200))).toThrow(expect.objectContaining({ code: 'SIP_TRANSACTION_STATE' }));
    expect(() => tx.respond(response(req, 180))).toThrow(expect.objectContaining({ code: 'SIP_TRANSACTION_STATE' }));
    await h.expectNoLeaks();
    expect(() => tx.respond(response(req, 486))).toThrow(/terminated/);
  });
});

describe('INVITE server transaction: non-2xx final over a reliable transport', () => {
  it('sends the final once; Timer H still waits 64*T1 for the ACK', async () => {
    const h = createHarness('TCP');
    const { tx, request: req } = invite(h, 'TCP');
    let ackTimeouts = 0;
    tx.onAckTimeout(() => ackTimeouts++);
    tx.respond(response(req, 486));
    await h.at(32_000);
    expect(h.transport.responses(486).map((s) => s.at)).toEqual([0]);
    expect(ackTimeouts).toBe(1);
    await h.expectNoLeaks();
  });

  it('terminates as soon as the ACK arrives (Timer I is 0)', async () => {
    const h = createHarness('TCP');
    const { tx, request: req } = invite(h, 'TCP');
    tx.respond(response(req, 486));
    h.receive(ackFor(req, 'TCP'));
    expect(tx.state).toBe('terminated');
    expect(h.layer.size.server).toBe(0);
    expect(h.user.acks).toEqual([]);
    await h.expectNoLeaks();
  });
});

describe('INVITE server transaction: 2xx (RFC 6026 Accepted)', () => {
  it('absorbs retransmitted INVITEs, passes the ACK to the TU, lets the TU retransmit its 2xx, ends with Timer L', async () => {
    const h = createHarness('UDP');
    const { tx, request: req } = invite(h);
    const ok = response(req, 200);
    tx.respond(ok);
    expect(tx.state).toBe('accepted');
    await h.at(500);
    h.receive(req);
    expect(h.transport.responses(200).map((s) => s.at)).toEqual([0]); // the tx does not retransmit a 2xx
    tx.respond(ok); // the TU does (RFC 6026 §8.5)
    expect(h.transport.responses(200).map((s) => s.at)).toEqual([0, 500]);
    expect(() => tx.respond(response(req, 500))).toThrow(expect.objectContaining({ code: 'SIP_TRANSACTION_STATE' }));

    const ack = request('ACK', { toTag: 'uas1' }); // an ACK for a 2xx has a branch of its own
    h.receive(ack);
    h.receive(ackFor(req)); // even one reusing the INVITE branch is the TU's while Accepted
    expect(h.user.acks.map((a) => a.message)).toEqual([ack, expect.objectContaining({ method: 'ACK' })]);
    expect(h.user.requests).toHaveLength(1);

    await h.at(31_999);
    expect(tx.state).toBe('accepted');
    await h.at(32_000);
    expect(tx.state).toBe('terminated');
    expect(() => tx.respond(ok)).toThrow(expect.objectContaining({ code: 'SIP_TRANSACTION_STATE' }));
    await h.expectNoLeaks();
  });

  it('keeps Accepted for Timer L (64*T1) on TCP too', async () => {
    const h = createHarness('TCP');
    const { tx, request: req } = invite(h, 'TCP');
    tx.respond(response(req, 200));
    await h.at(31_999);
    expect(tx.state).toBe('accepted');
    await h.at(32_000);
    expect(tx.state).toBe('terminated');
    await h.expectNoLeaks();
  });
});

describe('INVITE server transaction: transport failure (§17.2.4)', () => {
  it('tells the TU and terminates', async () => {
    const h = createHarness('UDP');
    const { tx, request: req } = invite(h);
    const errors: Error[] = [];
    tx.onTransportError((error) => errors.push(error));
    h.transport.failWhen = () => new Error('EHOSTUNREACH');
    tx.respond(response(req, 180));
    await h.at(0);
    expect(errors.map((e) => e.message)).toEqual(['EHOSTUNREACH']);
    expect(tx.state).toBe('terminated');
    expect(h.errors).toHaveLength(1);
    await h.expectNoLeaks();
  });
});
