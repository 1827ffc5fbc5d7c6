import type { ChipType, Unsubscribe } from '../ports.js';
import { serviceToken } from '../tokens.js';

/**
 * A credential the reader accepted: a card of a chip type that is on (and,
 * where a data set requires it, with readable protected data), or a PIN typed
 * on the display.
 */
export interface PresentedCredential {
  kind: 'card' | 'pin';
  /**
   * Card: what identifies it, as uppercase hex — the UID/CSN, or the secure
   * data when the chip type's data set says "use as UID". PIN: the digits.
   */
  value: string;
  /** Cards only. */
  chipType?: ChipType;
  /** When it was presented, in clock milliseconds. */
  at: number;
}

/** A connected door controller's answer for a credential the entry list does not know. */
export type ControllerDecision = { granted: true } | { granted: false; reason: string };

/** Provided by the built-in `reader` plugin. */
export interface CredentialsService {
  /** Every accepted credential, in the order presented. */
  onPresented(listener: (credential: PresentedCredential) => void): Unsubscribe;
  /** The last card presented ("Get latest" when adding a credential holder), if any since the reader started. */
  latestCard(): PresentedCredential | undefined;
  /** The reader's LED and beeper for an access decision, as its settings say (granted: green and a short beep). */
  signal(decision: 'granted' | 'denied'): void;
  /**
   * Asks the connected network door controller to decide (entry list's "Use
   * connected door controller"). Undefined while the reader is not connected
   * to one. The promise rejects with a PortierError saying why the controller
   * could not answer (unreachable, wrong certificate, timed out).
   */
  controller(): { decide(credential: PresentedCredential): Promise<ControllerDecision> } | undefined;
}

export const CREDENTIALS_SERVICE = serviceToken<CredentialsService>('portier.credentials');
