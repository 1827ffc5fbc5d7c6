import { z } from 'portier/sdk';
import { DENIAL_REASONS } from './access-decision.js';

export const accessGrantedPayload = z.object({
  holder: z.string().describe('First name of the credential holder, or "door controller" when the connected controller granted'),
  lastName: z.string().optional(),
  credential: z.enum(['card', 'pin']),
  usesLeft: z.number().int().optional().describe('For a holder valid a number of times: the uses left after this one'),
  decidedBy: z.enum(['entry-list', 'door-controller']),
});

export const accessDeniedPayload = z.object({
  reason: z.enum([...DENIAL_REASONS, 'door-controller-denied', 'door-controller-unavailable']),
  detail: z.string().describe('The reason in words, as the integrator sees it'),
  holder: z.string().optional().describe('First name, when the credential belongs to a holder'),
  credential: z.enum(['card', 'pin']),
});

export type AccessGranted = z.output<typeof accessGrantedPayload>;
export type AccessDenied = z.output<typeof accessDeniedPayload>;
