import { FakeClock } from 'portier/sdk/testing';
import { describe, expect, it } from 'vitest';

import { StunMethod } from './stun-codes.js';
import { decodeStunMessage, encodeStunMessage } from './stun-message.js';
import { StunTransactions, newTransactionId } from './stun-transactions.js';

describe('STUN client transactions (RFC 5389 §7.2.1)', () => {
  it('retransmits at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s and gives up at 39.5 s', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const sentAt: number[] = [];
    const transactions = new StunTransactions(clock, () => sentAt.push(clock.now() - start), 'the STUN server 192.0.2.1:3478');
    const id = newTransactionId();
    const outcome = transactions.request(id, new Uint8Array(20)).then(
      () => 'answered',
      (error: { code: string; message: string }) => ({ code: error.code, message: error.message, at: clock.now() - start }),
    );
    await clock.advance(60_000);
    expect(sentAt).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(await outcome).toEqual({ code: 'STUN_TIMEOUT', at: 39500, message: expect.stringContaining('No answer from the STUN server 192.0.2.1:3478 after 7 tries over 39.5 s') });
    expect(clock.pending()).toBe(0);
  });

  it('stops retransmitting at the answer, matched by transaction id', async () => {
    const clock = new FakeClock();
    let sent = 0;
    const transactions = new StunTransactions(clock, () => sent++, 'server', { rto: 100 });
    const id = newTransactionId();
    const answer = transactions.request(id, new Uint8Array(20));
    await clock.advance(150);
    const other = decodeStunMessage(encodeStunMessage({ method: StunMethod.Binding, messageClass: 'success', transactionId: newTransactionId(), attributes: [] }));
    const ours = decodeStunMessage(encodeStunMessage({ method: StunMethod.Binding, messageClass: 'success', transactionId: id, attributes: [] }));
    expect(other.ok && transactions.handleResponse(other.message)).toBe(false);
    expect(ours.ok && transactions.handleResponse(ours.message)).toBe(true);
    await expect(answer).resolves.toMatchObject({ messageClass: 'success' });
    await clock.advance(10_000);
    expect(sent).toBe(2);
    expect(clock.pending()).toBe(0);
  });

  it('abandons open requests on close with STUN_CLOSED', async () => {
    const clock = new FakeClock();
    const transactions = new StunTransactions(clock, () => undefined, 'server');
    const answer = transactions.request(newTransactionId(), new Uint8Array(20));
    transactions.close();
    await expect(answer).rejects.toMatchObject({ code: 'STUN_CLOSED' });
    expect(clock.pending()).toBe(0);
  });
});
