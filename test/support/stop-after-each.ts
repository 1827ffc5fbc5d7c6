import { afterEach } from 'vitest';

type Stoppable = { stop(): Promise<unknown> } | { close(): Promise<unknown> };

/**
 * What a test starts (a Portier, a sipp, a kamailio, an RTP tap) is stopped
 * after it, last started first, even when the test failed half-way:
 * `const started = stopAfterEach(); const sipp = started(await startSipp(…));`
 */
export function stopAfterEach(): <T extends Stoppable>(thing: T) => T {
  const running: Stoppable[] = [];
  afterEach(async () => {
    for (const thing of running.splice(0).reverse()) await ('stop' in thing ? thing.stop() : thing.close());
  });
  return (thing) => {
    running.push(thing);
    return thing;
  };
}
