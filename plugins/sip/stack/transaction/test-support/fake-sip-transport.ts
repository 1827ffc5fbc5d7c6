/**
 * An in-memory SipTransport: records every send with the fake time it
 * happened at, fails sends on demand, and lets a test inject inbound messages.
 */
import type { Clock } from 'portier/sdk';
import type { SipMessage, SipRequest, SipResponse } from '../../message/index.js';
import type { InboundMessage, SipAddress, SipTransport, SipTransportName } from '../../transport/sip-transport.js';

export type SentMessage =
  | { at: number; message: SipRequest; target: SipAddress }
  | { at: number; message: SipResponse; inReplyTo: InboundMessage<SipRequest> };

export class FakeSipTransport implements SipTransport {
  readonly sent: SentMessage[] = [];
  /** Return an error to make that send reject with it. */
  failWhen: ((message: SipMessage) => Error | undefined) | undefined;
  private readonly listeners = new Set<(inbound: InboundMessage) => void>();
  private readonly epoch: number;

  constructor(
    private readonly clock: Clock,
    readonly local: SipAddress,
  ) {
    this.epoch = clock.now();
  }

  localAddress(transport: SipTransportName): SipAddress | undefined {
    return { ...this.local, transport };
  }

  sendRequest(request: SipRequest, target: SipAddress): Promise<void> {
    this.sent.push({ at: this.elapsed(), message: request, target });
    return this.outcome(request);
  }

  sendResponse(response: SipResponse, request: InboundMessage<SipRequest>): Promise<void> {
    this.sent.push({ at: this.elapsed(), message: response, inReplyTo: request });
    return this.outcome(response);
  }

  onMessage(listener: (inbound: InboundMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Delivers a message as if it arrived from `source`. */
  inject<M extends SipMessage>(message: M, source: SipAddress): InboundMessage<M> {
    const inbound: InboundMessage<M> = {
      message,
      source,
      local: { ...this.local, transport: source.transport },
      connectionId: source.transport === 'UDP' ? undefined : `conn-${source.host}:${source.port}`,
    };
    for (const listener of [...this.listeners]) listener(inbound);
    return inbound;
  }

  requests(method?: string): { at: number; message: SipRequest; target: SipAddress }[] {
    return this.sent.filter((s): s is { at: number; message: SipRequest; target: SipAddress } => s.message.kind === 'request' && (method === undefined || s.message.method === method));
  }

  responses(status?: number): { at: number; message: SipResponse; inReplyTo: InboundMessage<SipRequest> }[] {
    return this.sent.filter(
      (s): s is { at: number; message: SipResponse; inReplyTo: InboundMessage<SipRequest> } => s.message.kind === 'response' && (status === undefined || s.message.status === status),
    );
  }

  /** Milliseconds since the transport was made. */
  elapsed(): number {
    return this.clock.now() - this.epoch;
  }

  private outcome(message: SipMessage): Promise<void> {
    const error = this.failWhen?.(message);
    return error === undefined ? Promise.resolve() : Promise.reject(error);
  }
}
