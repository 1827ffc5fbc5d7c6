/**
 * A sipp callee registered with a registrar: the callee sipp starts first,
 * then a second, client sipp REGISTERs (digest, MD5) a contact pointing at
 * it. Two processes because a client sipp discards requests of calls it did
 * not start, and a server sipp cannot send the first message.
 */
import type { Kamailio } from './kamailio.js';
import { runSipp, startSipp, type Sipp, type SippOptions } from './sipp.js';
import { registerScenario, uasScenario, type UasScenarioOptions } from './sipp-scenarios.js';

export interface RegisteredSippUasOptions {
  username: string;
  password: string;
  /** The callee's scenario; default `uasScenario(callee)`. */
  scenario?: string;
  callee?: UasScenarioOptions;
  /** More options for the callee sipp (calls, mediaPort, rtpEcho...). */
  sipp?: Omit<SippOptions, 'scenario' | 'target'>;
}

export async function startRegisteredSippUas(sipp: string, registrar: Kamailio, options: RegisteredSippUasOptions): Promise<Sipp> {
  const callee = await startSipp(sipp, {
    name: `registered-${options.username}`,
    ...options.sipp,
    scenario: options.scenario ?? uasScenario(options.callee),
  });
  const registration = await runSipp(sipp, {
    name: `register-${options.username}`,
    target: registrar.address,
    scenario: registerScenario({
      username: options.username,
      password: options.password,
      domain: registrar.realm,
      contact: callee.address,
    }),
    timeoutMs: 5000,
  });
  if (registration.exitCode !== 0) {
    await callee.stop();
    throw new Error(`sipp could not register ${options.username} with kamailio (exit ${String(registration.exitCode)}):\n${registration.messages.slice(-4000)}`);
  }
  return callee;
}
