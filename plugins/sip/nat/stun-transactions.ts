/**
 * Client transactions over UDP (RFC 5389 §7.2.1): a request goes out at 0,
 * RTO, 3·RTO, 7·RTO… (the interval doubles) for Rc transmissions in all; after
 * the last one the client waits Rm·RTO more, then gives up. With the defaults
 * (RTO 500 ms, Rc 7, Rm 16) that is 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s and a
 * timeout at 39.5 s. All timers run on the injected clock.
 */
import { randomBytes } from 'node:crypto';

import { type Clock, PortierError, type TimerHandle } from 'portier/sdk';

import { TRANSACTION_ID_LENGTH } from './stun-codes.js';
import { type DecodedStunMessage, transactionKey } from './stun-message.js';

export interface RetransmissionOptions {
  /** Initial retransmission timeout in ms (default 500). */
  rto?: number;
  /** Transmissions in all (default 7). */
  rc?: number;
  /** Multiple of RTO to wait after the last transmission (default 16). */
  rm?: number;
}

interface Pending {
  resolve(message: DecodedStunMessage): void;
  reject(error: Error): void;
  timer: TimerHandle;
}

export function newTransactionId(): Uint8Array {
  return randomBytes(TRANSACTION_ID_LENGTH);
}

export class StunTransactions {
  private readonly pending = new Map<string, Pending>();
  private readonly rto: number;
  private readonly rc: number;
  private readonly rm: number;

  constructor(
    private readonly clock: Clock,
    /** Sends one datagram to the server. */
    private readonly transmit: (bytes: Uint8Array) => void,
    /** For error messages, e.g. "the TURN server 192.0.2.1:3478". */
    private readonly serverName: string,
    options: RetransmissionOptions = {},
  ) {
    this.rto = options.rto ?? 500;
    this.rc = options.rc ?? 7;
    this.rm = options.rm ?? 16;
  }

  /** Sends `bytes` (a request with this transaction id) until a response with the same id arrives. */
  request(transactionId: Uint8Array, bytes: Uint8Array): Promise<DecodedStunMessage> {
    const key = transactionKey(transactionId);
    return new Promise((resolve, reject) => {
      let sent = 0;
      let interval = this.rto;
      const attempt = (): void => {
        this.transmit(bytes);
        sent++;
        const wait = sent < this.rc ? interval : this.rm * this.rto;
        interval *= 2;
        entry.timer = this.clock.setTimeout(() => {
          if (sent < this.rc) return attempt();
          this.pending.delete(key);
          const waited = (this.rto * (2 ** (this.rc - 1) - 1) + this.rm * this.rto) / 1000;
          reject(new PortierError('STUN_TIMEOUT', `No answer from ${this.serverName} after ${this.rc} tries over ${waited} s; check its address and that UDP to it is not blocked.`));
        }, wait);
      };
      const entry: Pending = { resolve, reject, timer: undefined as unknown as TimerHandle };
      this.pending.set(key, entry);
      attempt();
    });
  }

  /** Completes the transaction a response belongs to; false when it belongs to none (late, or not ours). */
  handleResponse(message: DecodedStunMessage): boolean {
    const key = transactionKey(message.transactionId);
    const entry = this.pending.get(key);
    if (!entry) return false;
    this.pending.delete(key);
    this.clock.clearTimeout(entry.timer);
    entry.resolve(message);
    return true;
  }

  /** Ends every open transaction with STUN_CLOSED. */
  close(): void {
    for (const entry of this.pending.values()) {
      this.clock.clearTimeout(entry.timer);
      entry.reject(new PortierError('STUN_CLOSED', `The request to ${this.serverName} was abandoned because the client was closed.`));
    }
    this.pending.clear();
  }
}
