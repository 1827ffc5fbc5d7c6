import { Kernel } from '../kernel.js';
import { createSilentLogger } from '../logging/logger.js';

/**
 * A second, throw-away platform beside the running one: the same plugins
 * (from the same folders), an in-memory store, its own simulated intercom,
 * nothing persisted and nothing reaching the real ports. Site import checks a
 * document on it with the document's settings and schedules in place, so a
 * rule naming a port the same document renames is checked against the new
 * name, by the plugins' own validation, before the real intercom changes.
 */
export async function withDryRunKernel<T>(
  live: Kernel,
  prepare: (dryRun: Kernel) => void,
  work: (dryRun: Kernel) => T | Promise<T>,
): Promise<T> {
  const pluginPaths: string[] = [];
  for (const { name } of live.host.list()) {
    const record = live.host.record(name);
    if (record !== undefined) pluginPaths.push(record.directory);
  }
  const dryRun = await Kernel.create({
    board: live.board,
    clock: live.clock,
    timeZone: live.timeZone,
    logger: createSilentLogger(),
    pluginDirs: [],
    pluginPaths,
    startTimeoutMs: live.options.startTimeoutMs ?? 10_000,
    stopTimeoutMs: live.options.stopTimeoutMs ?? 5_000,
    // A plugin that fails here fails once: no retry timers outlive the check.
    retry: { firstDelayMs: 60_000, maxDelayMs: 60_000, maxAttempts: 0 },
    eventLogCapacity: 100,
  });
  try {
    prepare(dryRun);
    await dryRun.start();
    return await work(dryRun);
  } finally {
    await dryRun.stop();
  }
}
