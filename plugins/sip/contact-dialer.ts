import { PortierError, type Logger } from 'portier/sdk';
import type { Call } from './call.js';
import type { ContactSettings } from './sip-settings.js';

export interface DialerDeps {
  contacts: readonly ContactSettings[];
  /** Whether a schedule is active now. */
  available(schedule: string): boolean;
  call(contact: ContactSettings): Promise<Call>;
  logger: Logger;
}

/**
 * Calls a contact as the manual's contact list means it: an unavailable
 * contact (its availability schedule is not active), or one that does not
 * answer, is busy or declines, passes the call to its fallback, down the
 * chain; with no fallback left the call ends, and a call hung up here stops
 * the chain. Resolves with the first call placed, or undefined when no one in
 * the chain is available; the rest of the chain goes on in the background.
 */
export function dialContact(contactId: string, deps: DialerDeps): Promise<Call | undefined> {
  const first = deps.contacts.find((c) => c.id === contactId);
  if (first === undefined) return Promise.reject(new PortierError('SIP_CONTACT_UNKNOWN', `There is no contact "${contactId}" in the contact list.`));
  return new Promise((resolve, reject) => {
    let placed = false;
    const chain = async (): Promise<void> => {
      const tried = new Set<string>();
      for (let next: ContactSettings | undefined = first; next !== undefined && !tried.has(next.id); ) {
        const contact: ContactSettings = next;
        tried.add(contact.id);
        const fallback = contact.fallback === null ? undefined : deps.contacts.find((c) => c.id === contact.fallback);
        if (contact.availability !== null && !deps.available(contact.availability)) {
          deps.logger.info('Contact not available; calling the fallback', { contact: contact.id, schedule: contact.availability, fallback: fallback?.id ?? null });
          next = fallback;
          continue;
        }
        const call = await deps.call(contact);
        if (!placed) {
          placed = true;
          resolve(call);
        }
        if ((await outcome(call)) !== 'failed') return;
        if (fallback !== undefined) deps.logger.info('No answer; calling the fallback', { contact: contact.id, fallback: fallback.id, reason: call.reason });
        next = fallback;
      }
    };
    chain().then(
      () => {
        if (!placed) resolve(undefined);
      },
      (error: unknown) => {
        if (!placed) reject(error);
        else deps.logger.error('Calling a fallback contact failed', { contact: contactId, error: String(error) });
      },
    );
  });
}

/** Whether a call was answered, failed (the fallback's turn), or was stopped here. */
async function outcome(call: Call): Promise<'answered' | 'failed' | 'stopped'> {
  await call.whenSettled();
  if (call.state === 'answered') return 'answered';
  if (call.state === 'failed' && call.reason?.startsWith('hung up here') !== true) return 'failed';
  return 'stopped';
}
