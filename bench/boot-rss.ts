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
const { FakeClock } = await import('../sdk/testing/fake-clock.js');
const importMs = ms(t);
const importedMb = mb(process.memoryUsage().rss);
t = process.hrtime.bigint();
const kernel = await Kernel.create({ clock: new FakeClock(), timeZone: 'UTC' });
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

export {};
