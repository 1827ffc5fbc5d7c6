import type { Clock, ControllerDecision, CredentialsService, Logger, PresentedCredential, SchedulesApi, StatelessEvent } from 'portier/sdk';
import { type DenialReason, decide } from './access-decision.js';
import type { AccessDenied, AccessGranted } from './access-events.js';
import type { EntryListSettings } from './entry-list-settings.js';
import type { HolderStore } from './holder-store.js';

const DENIAL_WORDS: Record<DenialReason, string> = {
  unknown: 'the credential is not in the entry list',
  'not-yet-valid': 'the holder is not valid yet',
  expired: 'the holder is no longer valid',
  'uses-exhausted': 'the holder has no uses left',
  'outside-schedule': "the holder's schedule is not active now",
};

/**
 * What happens when a credential is presented: the entry list decides; an
 * unknown credential goes to the connected door controller when the settings
 * say so; a grant of a holder valid a number of times takes its use durably
 * before the grant is announced; the reader shows the answer.
 */
export class AccessGate {
  constructor(
    private readonly holders: HolderStore,
    private readonly credentials: CredentialsService,
    private readonly schedules: SchedulesApi,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: () => EntryListSettings,
    private readonly granted: StatelessEvent<AccessGranted>,
    private readonly denied: StatelessEvent<AccessDenied>,
  ) {}

  async onPresented(credential: PresentedCredential): Promise<void> {
    const settings = this.settings();
    if (!settings.enabled) return;
    const decision = decide(this.holders.list(), credential, { now: this.clock.now(), scheduleActive: (id) => this.schedules.isActive(id) });
    if (decision.granted) {
      let usesLeft: number | undefined;
      if (decision.holder.validity.kind === 'times') {
        usesLeft = this.holders.takeUse(decision.holder.id);
        // Another presentation took the last use between the decision and now.
        if (usesLeft === undefined) return this.deny(credential, 'uses-exhausted', DENIAL_WORDS['uses-exhausted'], decision.holder.firstName);
      }
      this.credentials.signal('granted');
      this.granted.emit({
        holder: decision.holder.firstName,
        ...(decision.holder.lastName === undefined ? {} : { lastName: decision.holder.lastName }),
        credential: credential.kind,
        ...(usesLeft === undefined ? {} : { usesLeft }),
        decidedBy: 'entry-list',
      });
      return;
    }
    const controller = decision.reason === 'unknown' && settings.useConnectedDoorController ? this.credentials.controller() : undefined;
    if (controller === undefined) return this.deny(credential, decision.reason, DENIAL_WORDS[decision.reason], decision.holder?.firstName);

    let answer: ControllerDecision;
    try {
      answer = await controller.decide(credential);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.logger.warn('the door controller could not decide', { error: why });
      return this.deny(credential, 'door-controller-unavailable', `the door controller could not decide: ${why}`);
    }
    if (!answer.granted) return this.deny(credential, 'door-controller-denied', `the door controller denied: ${answer.reason}`);
    // The answer can take seconds; an integrator who turned the entry list or forwarding off meanwhile wants no more grants from it.
    const now = this.settings();
    if (!now.enabled || !now.useConnectedDoorController) {
      return this.deny(credential, 'door-controller-unavailable', 'the door controller granted, but forwarding to it was turned off while it decided');
    }
    this.credentials.signal('granted');
    this.granted.emit({ holder: 'door controller', credential: credential.kind, decidedBy: 'door-controller' });
  }

  private deny(credential: PresentedCredential, reason: AccessDenied['reason'], detail: string, holder?: string): void {
    this.credentials.signal('denied');
    this.denied.emit({ reason, detail, credential: credential.kind, ...(holder === undefined ? {} : { holder }) });
  }
}
