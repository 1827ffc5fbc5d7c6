import { ADMIN } from '../support/test-portier.js';
import type { SipPortier } from './sip-test-portier.js';

/** Asks `read` again until `done` holds for what it returns; fails after `timeoutMs` with the last value. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface SpeakerView {
  framesPlayed: number;
  levelDbfs: number | null;
}

/** What the simulated speaker has played, as GET /api/v1/simulator/audio shows it. */
export async function speaker(portier: SipPortier): Promise<SpeakerView> {
  return (await portier.request('GET', '/api/v1/simulator/audio', { user: ADMIN })).body.speakers[0];
}

export interface LoggedEvent {
  type: string;
  payload: Record<string, any>;
}

/** The event log of one event type, oldest first. */
export async function events(portier: SipPortier, type: string): Promise<LoggedEvent[]> {
  const reply = await portier.request('GET', `/api/v1/events?type=${encodeURIComponent(type)}`, { user: ADMIN });
  if (reply.status !== 200) throw new Error(`GET /events?type=${type}: ${reply.status} ${reply.text}`);
  return reply.body;
}

/** The states a call went through, from the sip/call events. */
export async function callStates(portier: SipPortier, call: string): Promise<string[]> {
  return (await events(portier, 'sip/call')).filter((e) => e.payload.call === call).map((e) => e.payload.state);
}
