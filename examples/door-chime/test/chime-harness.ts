import { afterEach } from 'vitest';
import { type Harness, type HarnessOptions, startHarness } from 'portier/sdk/testing';
import { APP_FOLDER } from './built-app.js';

/** The I/O plugin's settings that leave relay 2 free for the chime (the Door stays on relay 1). */
export const IO_FREES_RELAY_2 = { ports: { 'relay-2': { use: false, name: 'Relay 2' } } };

/** A doorbell push wired to I1: pressing it runs `door-chime/ring-chime` with these parameters. */
export function doorbellRule(params: Record<string, unknown> = {}): unknown {
  return {
    name: 'Doorbell',
    trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
    actions: [{ type: 'door-chime/ring-chime', params }],
  };
}

/** One change of a relay contact, at a time since the recording started. */
export interface ContactChange {
  at: number;
  closed: boolean;
}

export interface ChimeHarness {
  /** Boots the io plugin and this app (loaded from its own folder), relay 2 freed unless `options.settings.io` says otherwise. */
  start(options?: { chime?: unknown; io?: unknown; more?: HarnessOptions }): Promise<Harness>;
}

/** Call once per file: every harness a test starts is stopped after it, even when the test fails halfway. */
export function chimeHarness(): ChimeHarness {
  const running: Harness[] = [];
  afterEach(async () => {
    for (const h of running.splice(0).reverse()) await h.stop();
  });
  return {
    async start(options = {}) {
      const settings: Record<string, unknown> = { io: options.io ?? IO_FREES_RELAY_2 };
      if (options.chime !== undefined) settings['door-chime'] = options.chime;
      const h = await startHarness({ plugins: ['io'], pluginPaths: [APP_FOLDER], settings, ...options.more });
      running.push(h);
      return h;
    },
  };
}

/** Records the contact of one relay as the simulated intercom sees it, with fake-time stamps from now on. */
export function recordContact(h: Harness, port = 'relay-2'): ContactChange[] {
  const t0 = h.now();
  const changes: ContactChange[] = [];
  h.simulator.onChange((change) => {
    if (change.kind === 'relay' && change.port === port) changes.push({ at: h.now() - t0, closed: change.contactClosed });
  });
  return changes;
}

/** Closed/open changes as `[ms, 'closed' | 'open']`, easier to read in a failing test. */
export function timeline(changes: readonly ContactChange[]): [number, 'closed' | 'open'][] {
  return changes.map((c) => [c.at, c.closed ? 'closed' : 'open']);
}

/** Presses the doorbell push on I1 (and lets go), which fires the doorbell rule. */
export function pressDoorbell(h: Harness): void {
  h.setInput('io-1', true);
  h.setInput('io-1', false);
}
