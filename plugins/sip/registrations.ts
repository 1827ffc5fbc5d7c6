import type { Clock, Logger } from 'portier/sdk';
import { accountIdentity, registrarUri } from './sip-identity.js';
import type { AccountSettings } from './sip-settings.js';
import { Registration, type RegistrationStatus } from './stack/ua/registration.js';
import { resolveTarget } from './stack/ua/target-resolver.js';
import type { UserAgentCore } from './stack/ua/user-agent-core.js';

/** Keeps every registered account registered, and says how each one is doing. */
export class Registrations {
  private readonly running = new Map<string, Registration>();

  constructor(
    private readonly ua: UserAgentCore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly changed: (account: string, status: RegistrationStatus) => void,
  ) {}

  start(accounts: readonly AccountSettings[]): void {
    for (const account of accounts) {
      const identity = accountIdentity(account);
      const registration = new Registration(this.ua, this.clock, {
        registrar: registrarUri(account),
        target: () => resolveTarget(identity.registrar!, identity.transport),
        aor: { ...identity.from, params: [] },
        ...(identity.credentials === undefined ? {} : { credentials: identity.credentials }),
        expiresSeconds: account.registrationSeconds,
        retry: { firstDelayMs: 2_000, maxDelayMs: 300_000 },
        onStatus: (status) => {
          if (status.state === 'failed') this.logger.warn('SIP registration failed', { account: account.id, reason: status.reason, status: status.status });
          else this.logger.info(`SIP registration ${status.state}`, { account: account.id });
          this.changed(account.id, status);
        },
      });
      this.running.set(account.id, registration);
      registration.start();
    }
  }

  status(account: string): RegistrationStatus | undefined {
    return this.running.get(account)?.current;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((registration) => registration.stop()));
    this.running.clear();
  }
}
