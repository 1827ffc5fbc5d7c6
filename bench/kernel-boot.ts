import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kernel } from '../platform/kernel.js';
import { FakeClock } from '../sdk/testing/fake-clock.js';
import type { BenchResult } from './result.js';
import { median, ns, percentile, round } from './stats.js';

const WARMUP = 5;
const RUNS = 20;

/** Creates a kernel with the default built-in plugins (in memory, simulator) and starts them all. */
export async function bootOnce(): Promise<{ kernel: Kernel; createMs: number; startMs: number }> {
  const t0 = process.hrtime.bigint();
  const kernel = await Kernel.create({ clock: new FakeClock(), timeZone: 'UTC' });
  const t1 = process.hrtime.bigint();
  await kernel.start();
  const t2 = process.hrtime.bigint();
  return { kernel, createMs: ns.toMs(t1 - t0), startMs: ns.toMs(t2 - t1) };
}

function checkBooted(kernel: Kernel): string[] {
  const plugins = kernel.host.list();
  const notRunning = plugins.filter((p) => p.state !== 'running');
  if (plugins.length === 0 || notRunning.length > 0 || kernel.loadErrors.length > 0) {
    throw new Error(
      `kernel.boot: not every built-in plugin is running: ${JSON.stringify(plugins.map((p) => [p.name, p.state]))}; load errors: ${kernel.loadErrors.map((e) => e.error.message).join('; ')}`,
    );
  }
  return plugins.map((p) => p.name);
}

export async function benchKernelBoot(): Promise<BenchResult[]> {
  // The very first boot in this process also imports the plugin modules and
  // compiles the schemas; report it, but the budget is on warm boots.
  const cold = await bootOnce();
  const names = checkBooted(cold.kernel);
  await cold.kernel.stop();
  const coldMs = cold.createMs + cold.startMs;

  for (let i = 1; i < WARMUP; i++) {
    const { kernel } = await bootOnce();
    await kernel.stop();
  }
  const totals: number[] = [];
  const creates: number[] = [];
  const starts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { kernel, createMs, startMs } = await bootOnce();
    checkBooted(kernel);
    await kernel.stop();
    totals.push(createMs + startMs);
    creates.push(createMs);
    starts.push(startMs);
  }
  const result: BenchResult[] = [
    {
      metric: 'kernel.boot_ms',
      value: round(median(totals), 3),
      unit: 'ms',
      budget: '<= 150',
      note:
        `median of ${RUNS} fresh kernels after ${WARMUP} warm-ups (Kernel.create + start, in memory, FakeClock, simulator; ` +
        `plugins: ${names.join(', ')}); create ${round(median(creates), 3)} ms + start ${round(median(starts), 3)} ms; ` +
        `p90 ${round(percentile(totals, 90), 3)} ms; first boot in the process (module import, schema compile) ${round(coldMs, 1)} ms`,
    },
  ];
  result.push(...measureFreshProcess());
  return result;
}

interface RssReport {
  bareMb: number;
  importedMb: number;
  createdMb: number;
  startedMb: number;
  heapUsedMb: number;
  externalMb: number;
  importMs: number;
  createMs: number;
  startMs: number;
  plugins: string[];
}

const CHILDREN = 3;

function bootChild(): RssReport {
  const script = fileURLToPath(new URL('./boot-rss.js', import.meta.url));
  const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
  if (child.status !== 0) throw new Error(`boot-rss.js failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as RssReport;
}

/**
 * Boots one kernel in each of a few fresh `node` processes, so that what this
 * process allocated does not count: resident memory, and the cold start a
 * device sees (module import + create + start).
 */
function measureFreshProcess(): BenchResult[] {
  const reports = Array.from({ length: CHILDREN }, bootChild);
  const m = (pick: (r: RssReport) => number): number => median(reports.map(pick));
  const rss = m((r) => r.startedMb);
  const bare = m((r) => r.bareMb);
  const cold = m((r) => r.importMs + r.createMs + r.startMs);
  return [
    {
      metric: 'kernel.rss_mb',
      value: round(rss, 1),
      unit: 'MB',
      baseline: round(bare, 1),
      ratio: round(rss / bare, 2),
      budget: '<= 80',
      note:
        `process.memoryUsage().rss of a fresh node (dist/bench/boot-rss.js) after one kernel booted on a data folder with the system clock, as portier start does (${reports[0]!.plugins.join(", ")}), median of ${CHILDREN} processes ` +
        `(${reports.map((r) => round(r.startedMb, 1)).join(', ')}); baseline = the same process before importing anything; after imports ${round(m((r) => r.importedMb), 1)} MB, ` +
        `after Kernel.create ${round(m((r) => r.createdMb), 1)} MB, after start ${round(rss, 1)} MB (heapUsed ${round(m((r) => r.heapUsedMb), 1)} MB, external ${round(m((r) => r.externalMb), 1)} MB)`,
    },
    {
      metric: 'kernel.cold_start_ms',
      value: round(cold, 1),
      unit: 'ms',
      note:
        `a fresh node: import the kernel ${round(m((r) => r.importMs), 1)} ms + Kernel.create ${round(m((r) => r.createMs), 1)} ms + start ${round(m((r) => r.startMs), 1)} ms ` +
        `(median of ${CHILDREN} processes, node's own start-up not included); what a device pays once per start, no budget`,
    },
  ];
}
