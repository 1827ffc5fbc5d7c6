/**
 * Run as its own process by kernel-boot.ts: boots one kernel and prints, as
 * one JSON line, its resident memory at each step and how long each step
 * took. Imports are dynamic so the first reading is a bare node.
 */
const mb = (bytes: number): number => bytes / (1024 * 1024);
const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;

const bareMb = mb(process.memoryUsage().rss);
let t = process.hrtime.bigint();
const { Kernel } = await import('../platform/kernel.js');
const importMs = ms(t);
const importedMb = mb(process.memoryUsage().rss);
t = process.hrtime.bigint();
// As on a device: a data folder (file SQLite) and the system clock.
const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const dataDir = mkdtempSync(join(tmpdir(), 'portier-rss-'));
const kernel = await Kernel.create({ dataDir, timeZone: 'UTC' });
const createMs = ms(t);
const createdMb = mb(process.memoryUsage().rss);
t = process.hrtime.bigint();
await kernel.start();
const startMs = ms(t);
const usage = process.memoryUsage();
const plugins = kernel.host.list().map((p) => `${p.name}:${p.state}`);
console.log(
  JSON.stringify({
    bareMb,
    importedMb,
    createdMb,
    startedMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
    externalMb: mb(usage.external),
    importMs,
    createMs,
    startMs,
    plugins,
  }),
);
await kernel.stop();
rmSync(dataDir, { recursive: true, force: true });

export {};
