import { setImmediate as turn } from 'node:timers/promises';
import { EventEmitter } from 'eventemitter3';
import { AXIS_I8307_VE } from '../platform/hardware/board.js';
import { SimulatedIntercom, type SimulatorChange } from '../platform/hardware/simulated-intercom.js';
import { Kernel } from '../platform/kernel.js';
import { FakeClock } from '../sdk/testing/fake-clock.js';
import type { BenchResult } from './result.js';
import { round, summarize, type Summary } from './stats.js';

const WARMUP = 2_000;
const ITERATIONS = 20_000;
const DOOR_SECONDS = 7;

/** The manual's rule, as test/io/door-rule.test.ts has it. */
export const OPEN_DOOR_RULE = {
  name: 'Open door',
  trigger: { event: 'io/input', filter: { port: 'io-1', active: true } },
  actions: [{ type: 'io/toggle-once', params: { port: 'Door', state: 'active', duration: DOOR_SECONDS } }],
};

/**
 * Times `simulator.setInput(port, true)` until the relay-1 contact closes, as
 * seen by a `simulator.onChange` listener. `reset` runs untimed between runs.
 */
async function timeLoop(
  simulator: SimulatedIntercom,
  reset: () => Promise<void> | void,
  warmup: number,
  iterations: number,
): Promise<Float64Array> {
  let observed = 0n;
  const unsubscribe = simulator.onChange((change: SimulatorChange) => {
    if (observed === 0n && change.kind === 'relay' && change.port === 'relay-1' && change.contactClosed) observed = process.hrtime.bigint();
  });
  const samples = new Float64Array(iterations);
  try {
    for (let i = -warmup; i < iterations; i++) {
      observed = 0n;
      const start = process.hrtime.bigint();
      simulator.setInput('io-1', true);
      if (observed === 0n) throw new Error(`trigger-to-action: the relay did not close (iteration ${i})`);
      if (i >= 0) samples[i] = Number(observed - start) / 1_000;
      await reset();
      if (simulator.relayContactClosed('relay-1')) throw new Error(`trigger-to-action: the relay did not open again (iteration ${i})`);
    }
  } finally {
    unsubscribe();
  }
  return samples;
}

async function measureKernel(): Promise<{ summary: Summary; eventsPerRun: number }> {
  const clock = new FakeClock();
  const kernel = await Kernel.create({ clock, timeZone: 'UTC' });
  try {
    await kernel.start();
    const simulator = kernel.simulator!;
    const rule = kernel.rules.create(OPEN_DOOR_RULE);
    if (!rule.status.bound) throw new Error(`trigger-to-action: the rule is not bound: ${rule.status.reason}`);
    let events = 0;
    const countEvents = (): void => {
      events++;
    };
    // Counted once, during the warm-up only, so the timed runs carry no extra listener.
    const stopCounting = kernel.events.on('*', countEvents);
    let counting = true;
    let resets = 0;
    const samples = await timeLoop(
      simulator,
      async () => {
        simulator.setInput('io-1', false);
        await clock.advance(DOOR_SECONDS * 1000);
        if (counting && ++resets === WARMUP) {
          stopCounting();
          counting = false;
        }
      },
      WARMUP,
      ITERATIONS,
    );
    return { summary: summarize(Array.from(samples)), eventsPerRun: events / WARMUP };
  } finally {
    await kernel.stop();
  }
}

/** emit → listener → setRelayContact, on a simulator of its own, timed the same way. */
async function measureBaseline(): Promise<Summary> {
  const simulator = new SimulatedIntercom(AXIS_I8307_VE);
  const emitter = new EventEmitter();
  simulator.onIoInput('io-1', (grounded) => emitter.emit('io/input', { port: 'io-1', active: grounded }));
  emitter.on('io/input', (event: { port: string; active: boolean }) => {
    if (event.port === 'io-1' && event.active) simulator.setRelayContact('relay-1', true);
  });
  const samples = await timeLoop(
    simulator,
    async () => {
      simulator.setInput('io-1', false);
      simulator.setRelayContact('relay-1', false);
      await turn(); // the kernel loop turns the event loop between runs too
    },
    WARMUP,
    ITERATIONS,
  );
  simulator.close();
  return summarize(Array.from(samples));
}

export async function benchTriggerToAction(): Promise<BenchResult[]> {
  const baseline = await measureBaseline();
  const { summary, eventsPerRun } = await measureKernel();
  const common =
    `${ITERATIONS} runs after ${WARMUP} warm-up, setInput('io-1', true) → relay-1 contact closed (simulator.onChange), ` +
    `rule "io/input io-1 active → io/toggle-once Door ${DOOR_SECONDS} s", FakeClock; reset (input off, advance ${DOOR_SECONDS} s) untimed; ` +
    `baseline: eventemitter3 listener on a bare simulator (onIoInput → emit → listener → setRelayContact)`;
  return [
    {
      metric: 'rules.trigger_to_action_us',
      value: round(summary.p99, 2),
      unit: 'µs (p99)',
      baseline: round(baseline.p99, 2),
      ratio: round(summary.p99 / baseline.p99, 1),
      budget: '<= 200',
      note:
        `${common}. Kernel p50 ${round(summary.p50, 2)} / p90 ${round(summary.p90, 2)} / p99 ${round(summary.p99, 2)} / p99.9 ${round(summary.p999, 2)} / max ${round(summary.max, 1)} µs; ` +
        `baseline p50 ${round(baseline.p50, 2)} / p99 ${round(baseline.p99, 2)} / max ${round(baseline.max, 1)} µs; ` +
        `${round(eventsPerRun, 1)} events per run (io/input, io/output) also go to the event log (in-memory SQLite, flushed outside the timed part)`,
    },
    {
      metric: 'rules.trigger_to_action_p50_us',
      value: round(summary.p50, 2),
      unit: 'µs (p50)',
      baseline: round(baseline.p50, 2),
      ratio: round(summary.p50 / baseline.p50, 1),
      note: 'same runs as rules.trigger_to_action_us',
    },
  ];
}
