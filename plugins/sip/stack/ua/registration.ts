import type { Clock, TimerHandle } from 'portier/sdk';
import { DigestClient } from '../auth/index.js';
import { generateCallId, getContacts, getExpires, paramValue, type NameAddr, type SipRequest, type SipResponse } from '../message/index.js';
import type { SipAddress } from '../transport/sip-transport.js';
import { createOutOfDialogRequest, renewRequest } from './request-factory.js';
import type { UserAgentCore } from './user-agent-core.js';

export type RegistrationState = 'unregistered' | 'registering' | 'registered' | 'failed';

export interface RegistrationStatus {
  state: RegistrationState;
  /** When the binding runs out (registered), or the next attempt is due (failed). */
  until?: number;
  /** Why it failed: the registrar's status and reason, or what went wrong before it answered. */
  reason?: string;
  status?: number;
}

export interface RegistrationOptions {
  /** The registrar's URI (Request-URI), e.g. sip:pbx.example.com. */
  registrar: string;
  target: () => Promise<SipAddress>;
  /** Address of record: sip:user@domain, in From and To. */
  aor: NameAddr;
  credentials?: { username: string; password: string; realm?: string };
  expiresSeconds: number;
  /** After a failure: first retry delay, doubling up to the maximum (RFC 5626 §4.5 flavour). */
  retry: { firstDelayMs: number; maxDelayMs: number };
  onStatus(status: RegistrationStatus): void;
}

/**
 * Keeps one account registered (RFC 3261 §10.2): REGISTER with digest
 * authentication, a refresh before the binding runs out, and after a failure
 * another attempt with back-off, until stopped — which unregisters (Expires 0).
 */
export class Registration {
  private readonly callId: string;
  private seq = 0;
  private timer: TimerHandle | undefined;
  private failures = 0;
  private stopped = false;
  private readonly digest: DigestClient | undefined;
  private status: RegistrationStatus = { state: 'unregistered' };

  constructor(
    private readonly core: UserAgentCore,
    private readonly clock: Clock,
    private readonly options: RegistrationOptions,
  ) {
    this.callId = generateCallId();
    this.digest = options.credentials === undefined ? undefined : new DigestClient(options.credentials);
  }

  get current(): RegistrationStatus {
    return this.status;
  }

  start(): void {
    void this.register(this.options.expiresSeconds);
  }

  /** Stops refreshing and removes the binding; resolves when the registrar answered or gave up. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.status.state === 'registered') await this.register(0).catch(() => undefined);
    this.setStatus({ state: 'unregistered' });
  }

  private async register(expires: number): Promise<void> {
    if (expires > 0) this.setStatus({ state: 'registering' });
    let target: SipAddress;
    try {
      target = await this.options.target();
    } catch (error) {
      return this.failed(undefined, (error as Error).message);
    }
    let request = this.build(target, expires);
    for (let attempt = 0; ; attempt++) {
      const response = await this.core.requestWithResponse(request, target);
      if (response === undefined) return expires === 0 ? undefined : this.failed(408, 'The registrar did not answer');
      if ((response.status === 401 || response.status === 407) && this.digest !== undefined && attempt < 2) {
        try {
          const header = this.digest.authorizeResponse(response, { method: 'REGISTER', uri: request.uri });
          request = renewRequest(request, ++this.seq);
          request.headers.set(header.name, header.value);
          continue;
        } catch (error) {
          return this.failed(response.status, (error as Error).message);
        }
      }
      if (expires === 0) return;
      if (response.status >= 200 && response.status < 300) return this.registered(response, request);
      return this.failed(response.status, response.reason + (response.status === 401 || response.status === 407 ? ': the user ID, authentication ID or password is wrong' : ''));
    }
  }

  private build(target: SipAddress, expires: number): SipRequest {
    const request = createOutOfDialogRequest({
      method: 'REGISTER',
      uri: this.options.registrar,
      from: this.options.aor,
      to: { ...this.options.aor, params: [] },
      local: this.core.localAddress(target.transport),
      callId: this.callId,
      seq: ++this.seq,
      contact: this.core.contactFor(target.transport, this.options.aor.uri.kind === 'sip' ? this.options.aor.uri.user : undefined),
      userAgent: this.core.userAgent,
    });
    request.headers.append('Expires', String(expires));
    return request;
  }

  private registered(response: SipResponse, request: SipRequest): void {
    this.failures = 0;
    const granted = this.grantedExpiry(response, request);
    this.setStatus({ state: 'registered', until: this.clock.now() + granted * 1000 });
    // Refresh well before the binding runs out: halfway for short bindings, a minute before for long ones.
    const refreshIn = Math.max(1, granted > 120 ? granted - 60 : granted / 2) * 1000;
    this.schedule(refreshIn, () => this.register(this.options.expiresSeconds));
  }

  private grantedExpiry(response: SipResponse, request: SipRequest): number {
    const contacts = getContacts(response);
    const ours = request.headers.get('Contact') ?? '';
    if (contacts !== '*') {
      for (const contact of contacts) {
        const expires = paramValue(contact.params, 'expires');
        if (expires !== undefined && ours.includes(contact.uri.kind === 'sip' ? contact.uri.host : '')) return Number(expires) || this.options.expiresSeconds;
      }
    }
    return getExpires(response) ?? this.options.expiresSeconds;
  }

  private failed(status: number | undefined, reason: string): void {
    if (this.stopped) return;
    this.failures++;
    const delay = Math.min(this.options.retry.maxDelayMs, this.options.retry.firstDelayMs * 2 ** (this.failures - 1));
    this.setStatus({ state: 'failed', until: this.clock.now() + delay, reason, ...(status === undefined ? {} : { status }) });
    this.schedule(delay, () => this.register(this.options.expiresSeconds));
  }

  private schedule(ms: number, work: () => Promise<void>): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void work();
    }, ms);
  }

  private setStatus(status: RegistrationStatus): void {
    const same = JSON.stringify(status) === JSON.stringify(this.status);
    this.status = status;
    if (!same) this.options.onStatus(status);
  }
}
