/**
 * A transaction layer on a fake transport and a fake clock, with a TU and
 * client handlers that record what they are told.
 */
import { expect } from 'vitest';
import { FakeClock } from 'portier/sdk/testing';
import type { SipRequest, SipResponse } from '../../message/index.js';
import type { InboundMessage, SipTransportName } from '../../transport/sip-transport.js';
import { TransactionLayer } from '../transaction-layer.js';
import type { TransactionTimers } from '../transaction-timers.js';
import type { ClientTransactionHandlers, ServerTransaction, TransactionUser } from '../transaction-user.js';
import { FakeSipTransport } from './fake-sip-transport.js';
import { LOCAL, peer } from './sip-fixtures.js';

export class RecordingUser implements TransactionUser {
  readonly requests: ServerTransaction[] = [];
  readonly cancels: { cancel: ServerTransaction; invite: ServerTransaction | undefined }[] = [];
  readonly acks: InboundMessage<SipRequest>[] = [];
  readonly strays: InboundMessage<SipResponse>[] = [];

  onRequest(transaction: ServerTransaction): void {
    this.requests.push(transaction);
  }

  onCancel(cancel: ServerTransaction, invite: ServerTransaction | undefined): void {
    this.cancels.push({ cancel, invite });
  }

  onAck(inbound: InboundMessage<SipRequest>): void {
    this.acks.push(inbound);
  }

  onStrayResponse(inbound: InboundMessage<SipResponse>): void {
    this.strays.push(inbound);
  }
}

export interface RecordingHandlers extends ClientTransactionHandlers {
  readonly responses: SipResponse[];
  /** Fake times (ms since start) at which onTimeout fired. */
  readonly timeouts: number[];
  readonly transportErrors: Error[];
}

export function createHarness(transport: SipTransportName = 'UDP', timers?: Partial<TransactionTimers>) {
  const clock = new FakeClock();
  const fake = new FakeSipTransport(clock, LOCAL);
  const user = new RecordingUser();
  const errors: { where: string; error: unknown }[] = [];
  const layer = new TransactionLayer(fake, clock, user, { timers, onError: (where, error) => errors.push({ where, error }) });

  function handlers(): RecordingHandlers {
    const recorded: RecordingHandlers = {
      responses: [],
      timeouts: [],
      transportErrors: [],
      onResponse: (response) => recorded.responses.push(response),
      onTimeout: () => recorded.timeouts.push(fake.elapsed()),
      onTransportError: (error) => recorded.transportErrors.push(error),
    };
    return recorded;
  }

  return {
    clock,
    transport: fake,
    user,
    errors,
    layer,
    target: peer(transport),
    source: peer(transport),
    handlers,
    /** Advances the fake clock to `ms` after the harness was made. */
    at: (ms: number) => clock.advanceTo(clock.now() - fake.elapsed() + ms),
    /** Injects a message from the peer. */
    receive: <M extends SipRequest | SipResponse>(message: M) => fake.inject(message, peer(transport)),
    /** Runs out every timer: nothing may be left, neither transactions nor timers. */
    async expectNoLeaks(): Promise<void> {
      await clock.advance(10 * 60_000);
      expect(layer.size).toEqual({ client: 0, server: 0 });
      expect(clock.pending()).toBe(0);
    },
  };
}

export type Harness = ReturnType<typeof createHarness>;
