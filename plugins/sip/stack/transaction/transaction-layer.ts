/**
 * RFC 3261 §17: the transaction layer between the transport and the UA core.
 * It owns every client and server transaction, matches inbound messages to
 * them (§17.1.3, §17.2.3) and hands the rest to the TU. Inbound messages never
 * make it throw: what cannot be matched goes to the TU callbacks or onError.
 */
import type { Clock } from 'portier/sdk';
import { getCSeq, getTopVia, isRfc3261Branch, type SipRequest, type SipResponse, type Via } from '../message/index.js';
import type { InboundMessage, SipAddress, SipTransport } from '../transport/sip-transport.js';
import type { ClientTransactionBase } from './client-transaction-base.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import type { ServerTransactionBase } from './server-transaction-base.js';
import { callSafely, type TransactionContext } from './transaction-context.js';
import { SipTransactionError } from './transaction-error.js';
import { clientKey, serverKey } from './transaction-keys.js';
import { resolveTimers, type TransactionTimers } from './transaction-timers.js';
import type { ClientTransaction, ClientTransactionHandlers, TransactionUser } from './transaction-user.js';

export interface TransactionLayerOptions {
  timers?: Partial<TransactionTimers>;
  /** A message dropped, a TU callback that threw, a send that failed after the TU had its answer. */
  onError?(where: string, error: unknown): void;
}

type AnyClient = ClientTransactionBase<string>;
type AnyServer = ServerTransactionBase<string>;
type BranchedVia = Via & { branch: string };

export class TransactionLayer {
  private readonly clients = new Map<string, AnyClient>();
  private readonly servers = new Map<string, AnyServer>();
  private readonly context: TransactionContext;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    transport: SipTransport,
    clock: Clock,
    private readonly user: TransactionUser,
    options: TransactionLayerOptions = {},
  ) {
    const onError = options.onError;
    this.context = {
      transport,
      clock,
      timers: resolveTimers(options.timers),
      report: (where, error) => {
        try {
          onError?.(where, error);
        } catch {
          // An error reporter that throws has nowhere left to report to.
        }
      },
    };
    this.unsubscribe = transport.onMessage((inbound) => this.receive(inbound));
  }

  get timers(): TransactionTimers {
    return this.context.timers;
  }

  /** Live transactions, to prove nothing leaks. */
  get size(): { client: number; server: number } {
    return { client: this.clients.size, server: this.servers.size };
  }

  /**
   * Starts a client transaction. The request must carry a top Via with an
   * RFC 3261 branch and a CSeq whose method is the request's; ACK has no
   * transaction (use sendStateless).
   */
  sendRequest(request: SipRequest, target: SipAddress, handlers: ClientTransactionHandlers): ClientTransaction {
    if (this.closed) throw new SipTransactionError('SIP_TRANSACTION_CLOSED', `Cannot send ${request.method}: the SIP transaction layer is closed.`);
    if (request.method === 'ACK') {
      throw new SipTransactionError('SIP_TRANSACTION_BAD_REQUEST', 'An ACK has no client transaction: send it with sendStateless.');
    }
    const branch = this.outboundBranch(request);
    const id = clientKey(branch, request.method);
    if (this.clients.has(id)) {
      throw new SipTransactionError('SIP_TRANSACTION_EXISTS', `A ${request.method} client transaction with branch ${branch} is already running: give each request a new branch.`);
    }
    const remove = (transaction: { readonly id: string }): void => {
      if (this.clients.get(transaction.id) === transaction) this.clients.delete(transaction.id);
    };
    const transaction: AnyClient =
      request.method === 'INVITE'
        ? new InviteClientTransaction(id, request, target, this.context, handlers, remove, (cancel, to, cancelHandlers) => this.sendRequest(cancel, to, cancelHandlers))
        : new NonInviteClientTransaction(id, request, target, this.context, handlers, remove, 'trying');
    this.clients.set(id, transaction);
    transaction.start();
    return transaction;
  }

  /** Sends a request that needs no transaction (an ACK for a 2xx) straight through the transport. */
  sendStateless(request: SipRequest, target: SipAddress): Promise<void> {
    if (this.closed) return Promise.reject(new SipTransactionError('SIP_TRANSACTION_CLOSED', `Cannot send ${request.method}: the SIP transaction layer is closed.`));
    return this.context.transport.sendRequest(request, target);
  }

  /** Stops listening, clears every timer and terminates every transaction without calling the TU. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const transaction of [...this.clients.values()]) transaction.terminate();
    for (const transaction of [...this.servers.values()]) transaction.terminate();
    this.clients.clear();
    this.servers.clear();
  }

  private outboundBranch(request: SipRequest): string {
    let via: Via;
    let cseqMethod: string;
    try {
      via = getTopVia(request);
      cseqMethod = getCSeq(request).method;
    } catch (error) {
      throw new SipTransactionError('SIP_TRANSACTION_BAD_REQUEST', `Cannot send ${request.method}: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
    }
    if (!isRfc3261Branch(via.branch) || via.branch === undefined) {
      throw new SipTransactionError('SIP_TRANSACTION_BAD_REQUEST', `Cannot send ${request.method}: its top Via needs a branch starting with z9hG4bK (generateBranch makes one).`);
    }
    if (cseqMethod !== request.method) {
      throw new SipTransactionError('SIP_TRANSACTION_BAD_REQUEST', `Cannot send ${request.method}: its CSeq says ${cseqMethod}, so responses would not match it.`);
    }
    return via.branch;
  }

  private receive(inbound: InboundMessage): void {
    if (this.closed) return;
    try {
      if (inbound.message.kind === 'request') this.receiveRequest(inbound as InboundMessage<SipRequest>);
      else this.receiveResponse(inbound as InboundMessage<SipResponse>);
    } catch (error) {
      this.context.report('inbound message', error);
    }
  }

  /** §17.1.3: top Via branch and CSeq method. Anything else is not ours to judge: the TU sees it as stray. */
  private receiveResponse(inbound: InboundMessage<SipResponse>): void {
    const response = inbound.message;
    const branch = getTopVia(response).branch;
    const transaction = branch === undefined ? undefined : this.clients.get(clientKey(branch, getCSeq(response).method));
    if (transaction === undefined) {
      callSafely(this.context, 'onStrayResponse', () => this.user.onStrayResponse(inbound));
      return;
    }
    transaction.receive(response);
  }

  private receiveRequest(inbound: InboundMessage<SipRequest>): void {
    const request = inbound.message;
    const via = getTopVia(request);
    if (!isRfc3261Branch(via.branch)) {
      // RFC 2543 matching (Request-URI, tags, Call-ID, CSeq, whole top Via) is not implemented.
      this.context.report(
        'inbound request',
        new SipTransactionError('SIP_TRANSACTION_UNMATCHABLE', `Dropped ${request.method} from ${inbound.source.host}: its top Via has no RFC 3261 branch (z9hG4bK…); RFC 2543 peers are not supported.`),
      );
      return;
    }
    const branched = via as BranchedVia;
    if (request.method === 'ACK') {
      this.receiveAck(inbound, branched);
      return;
    }
    const id = serverKey(branched, request.method);
    const existing = this.servers.get(id);
    if (existing !== undefined) {
      existing.receiveRetransmission(inbound);
      return;
    }
    const remove = (transaction: { readonly id: string }): void => {
      if (this.servers.get(transaction.id) === transaction) this.servers.delete(transaction.id);
    };
    const transaction: AnyServer =
      request.method === 'INVITE' ? new InviteServerTransaction(id, inbound, this.context, remove) : new NonInviteServerTransaction(id, inbound, this.context, remove);
    this.servers.set(id, transaction);
    if (request.method === 'CANCEL') {
      const invite = this.servers.get(serverKey(branched, 'INVITE'));
      callSafely(this.context, 'onCancel', () => this.user.onCancel(transaction, invite));
    } else {
      callSafely(this.context, 'onRequest', () => this.user.onRequest(transaction));
    }
  }

  /** §17.2.3: an ACK matches the INVITE transaction; only one that acknowledges our non-2xx is absorbed. */
  private receiveAck(inbound: InboundMessage<SipRequest>, via: BranchedVia): void {
    const invite = this.servers.get(serverKey(via, 'INVITE'));
    if (invite instanceof InviteServerTransaction && invite.receiveAck(inbound)) return;
    callSafely(this.context, 'onAck', () => this.user.onAck(inbound));
  }
}
