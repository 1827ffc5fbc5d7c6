/**
 * What INVITE and non-INVITE client transactions share: sending through the
 * transport, telling the TU about a failed send (§17.1.4), and terminating
 * exactly once, which is what removes the transaction from the layer.
 */
import type { SipRequest, SipResponse } from '../message/index.js';
import { isReliable, type SipAddress } from '../transport/sip-transport.js';
import { TimerSet } from './timer-set.js';
import { asError, callSafely, sendSafely, type TransactionContext } from './transaction-context.js';
import type { ClientTransaction, ClientTransactionHandlers, ClientTransactionState } from './transaction-user.js';

export abstract class ClientTransactionBase<Timer extends string> implements ClientTransaction {
  protected current: ClientTransactionState;
  protected readonly timerSet: TimerSet<Timer>;
  protected readonly reliable: boolean;

  constructor(
    readonly id: string,
    readonly request: SipRequest,
    readonly target: SipAddress,
    protected readonly context: TransactionContext,
    protected readonly handlers: ClientTransactionHandlers,
    private readonly onTerminated: (transaction: { readonly id: string }) => void,
    initial: ClientTransactionState,
  ) {
    this.current = initial;
    this.timerSet = new TimerSet(context.clock, (where, error) => context.report(`${id}: ${where}`, error));
    this.reliable = isReliable(target.transport);
  }

  get state(): ClientTransactionState {
    return this.current;
  }

  abstract start(): void;
  abstract receive(response: SipResponse): void;

  cancel(_handlers?: Partial<ClientTransactionHandlers>): ClientTransaction | undefined {
    return undefined;
  }

  /** Stops every timer and leaves the layer; no callback fires afterwards. */
  terminate(): void {
    if (this.current === 'terminated') return;
    this.current = 'terminated';
    this.timerSet.stopAll();
    this.onTerminated(this);
  }

  protected send(message: SipRequest): void {
    sendSafely(() => this.context.transport.sendRequest(message, this.target)).catch((error: unknown) => this.sendFailed(error));
  }

  protected deliver(response: SipResponse): void {
    callSafely(this.context, `${this.id}: onResponse`, () => this.handlers.onResponse(response));
  }

  protected timeout(): void {
    this.terminate();
    callSafely(this.context, `${this.id}: onTimeout`, () => this.handlers.onTimeout());
  }

  /**
   * Before a final response the TU hears of it (as a 503); after one (an ACK
   * or a late retransmission failing) the TU already has its answer, so the
   * failure is only reported.
   */
  private sendFailed(error: unknown): void {
    if (this.current === 'terminated' || this.current === 'completed' || this.current === 'accepted') {
      this.context.report(`${this.id}: send`, error);
      return;
    }
    this.terminate();
    callSafely(this.context, `${this.id}: onTransportError`, () => this.handlers.onTransportError(asError(error)));
  }
}
