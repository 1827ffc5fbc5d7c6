/**
 * `npm run bench`: runs every benchmark on the compiled dist, prints a table
 * and writes bench/results.json (see DESIGN.md, "Performance budgets").
 * `node dist/bench/run.js events` runs only the benchmarks whose name contains
 * a given word (for profiling: `node --cpu-prof dist/bench/run.js events`) and
 * leaves results.json alone.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchAccess } from './access.js';
import { benchAppsInstall } from './apps-install.js';
import { benchEventsThroughput } from './events-throughput.js';
import { benchHttpRequests } from './http-requests.js';
import { benchHttpTimeToReady } from './http-time-to-ready.js';
import { benchKernelBoot } from './kernel-boot.js';
import type { BenchResult } from './result.js';
import { withinBudget } from './result.js';
import { benchSipCalls } from './sip-calls.js';
import { benchTriggerToAction } from './trigger-to-action.js';

const all: [string, () => Promise<BenchResult[]>][] = [
  ['kernel boot', benchKernelBoot],
  ['trigger to action', benchTriggerToAction],
  ['events throughput', benchEventsThroughput],
  ['http requests', benchHttpRequests],
  ['http time to ready', benchHttpTimeToReady],
  ['apps install', benchAppsInstall],
  ['access', benchAccess],
  ['sip calls', benchSipCalls],
];
const only = process.argv.slice(2);
const benchmarks = only.length === 0 ? all : all.filter(([name]) => only.some((word) => name.includes(word)));
if (benchmarks.length === 0) throw new Error(`no benchmark matches ${only.join(', ')}; there are: ${all.map(([n]) => n).join(', ')}`);

/** dist/bench/run.js → <repo>/bench/results.json, next to the sources. */
const RESULTS = fileURLToPath(new URL('../../bench/results.json', import.meta.url));

function table(results: BenchResult[]): string {
  const rows = results.map((r) => {
    const ok = withinBudget(r);
    return [
      r.metric,
      `${r.value.toLocaleString('en')} ${r.unit}`,
      r.baseline === undefined ? '' : r.baseline.toLocaleString('en'),
      r.ratio === undefined ? '' : `${r.ratio}×`,
      r.budget ?? '',
      ok === undefined ? '' : ok ? 'ok' : 'MISSED',
    ];
  });
  const head = ['metric', 'value', 'baseline', 'ratio', 'budget', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const results: BenchResult[] = [];
const started = process.hrtime.bigint();
for (const [name, bench] of benchmarks) {
  const t0 = process.hrtime.bigint();
  process.stderr.write(`bench: ${name}… `);
  results.push(...(await bench()));
  process.stderr.write(`${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`);
}
if (benchmarks === all) writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');

console.log(`\nPortier benchmarks — node ${process.version}, ${process.platform}/${process.arch}, ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s\n`);
console.log(table(results));
console.log('');
for (const r of results) if (r.note !== undefined) console.log(`${r.metric}: ${r.note}\n`);
console.log(benchmarks === all ? `written: ${RESULTS}` : 'a partial run: results.json left as it was');
const missed = results.filter((r) => withinBudget(r) === false).map((r) => r.metric);
if (missed.length > 0) console.log(`budgets missed: ${missed.join(', ')}`);
