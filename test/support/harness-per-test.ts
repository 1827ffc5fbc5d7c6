import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type Harness, type HarnessOptions, startHarness } from '../../sdk/testing/index.js';

export interface HarnessPerTest {
  /** Boots a harness that is stopped after the test, even when the test fails halfway. */
  start(options?: HarnessOptions): Promise<Harness>;
  /** Stops the harness this test started last, then boots another: a restart on the same data folder. */
  restart(options: HarnessOptions): Promise<Harness>;
  /** A fresh data folder, removed after the test. */
  dataFolder(): string;
}

/**
 * Call once in a test file or describe block. A harness left running keeps its
 * plugins, timers and SQLite handle alive into the next test, where a failure
 * would point at the wrong test; so every harness and data folder a test makes
 * is stopped and removed by an afterEach registered here.
 */
export function harnessPerTest(folderPrefix = 'portier-test-'): HarnessPerTest {
  const harnesses: Harness[] = [];
  const folders: string[] = [];
  afterEach(async () => {
    // Newest first, as a restart leaves them; stopping a stopped harness is a no-op.
    for (const harness of harnesses.splice(0).reverse()) await harness.stop();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  const start = async (options: HarnessOptions = {}): Promise<Harness> => {
    const harness = await startHarness(options);
    harnesses.push(harness);
    return harness;
  };
  return {
    start,
    async restart(options) {
      await harnesses.at(-1)?.stop();
      return start(options);
    },
    dataFolder() {
      const folder = mkdtempSync(join(tmpdir(), folderPrefix));
      folders.push(folder);
      return folder;
    },
  };
}
