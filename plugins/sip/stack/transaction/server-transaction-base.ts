/**
 * What INVITE and non-INVITE server transactions share: sending responses
 * back the way the request came, reporting a failed send to the TU and
 * terminating (§17.2.4), and terminating exactly once.
 */
import type { SipRequest, SipResponse } from '../message/index.js';
import { isReliable, type InboundMessage } from '../transport/sip-transport.js';
import { TimerSet } from './timer-set.js';
import { asError, callSafely, sendSafely, type TransactionContext } from './transaction-context.js';
import { SipTransactionError } from './transaction-error.js';
import type { ServerTransaction, ServerTransactionState } from './transaction-user.js';

export abstract class ServerTransactionBase<Timer extends string> implements ServerTransaction {
  protected current: ServerTransactionState;
  protected readonly timerSet: TimerSet<Timer>;
  protected readonly reliable: boolean;
  private readonly transportErrorListeners: ((error: Error) => void)[] = [];

  constructor(
    readonly id: string,
    readonly inbound: InboundMessage<SipRequest>,
    protected readonly context: TransactionContext,
    private readonly onTerminated: (transaction: { readonly id: string }) => void,
    initial: ServerTransactionState,
  ) {
    this.current = initial;
    this.timerSet = new TimerSet(context.clock, (where, error) => context.report(`${id}: ${where}`, error));
    this.reliable = isReliable(inbound.source.transport);
  }

  get state(): ServerTransactionState {
    return this.current;
  }

  abstract respond(response: SipResponse): void;
  /** The same request again (a retransmission): absorbed, perhaps answered with the last response. */
  abstract receiveRetransmission(inbound: InboundMessage<SipRequest>): void;

  onAckTimeout(_listener: () => void): void {}

  onTransportError(listener: (error: Error) => void): void {
    this.transportErrorListeners.push(listener);
  }

  /** Stops every timer and leaves the layer. */
  terminate(): void {
    if (this.current === 'terminated') return;
    this.current = 'terminated';
    this.timerSet.stopAll();
    this.onTerminated(this);
  }

  protected send(response: SipResponse): void {
    sendSafely(() => this.context.transport.sendResponse(response, this.inbound)).catch((error: unknown) => this.sendFailed(error));
  }

  protected finalAlreadySent(status: number): SipTransactionError {
    const why = this.current === 'terminated' ? 'it has terminated' : 'a final response was already sent';
    return new SipTransactionError(
      'SIP_TRANSACTION_STATE',
      `Cannot send ${status} on ${this.inbound.message.method} transaction ${this.id}: ${why}. Answer each request once; retransmit a 2xx only while the INVITE transaction is Accepted.`,
    );
  }

  private sendFailed(error: unknown): void {
    this.context.report(`${this.id}: send`, error);
    if (this.current === 'terminated') return;
    this.terminate();
    for (const listener of this.transportErrorListeners) {
      callSafely(this.context, `${this.id}: onTransportError`, () => listener(asError(error)));
    }
  }
}
