/*
 * portier/sdk/testing — boot a whole Portier in memory on the simulated
 * intercom, with fake time, and test a plugin without hardware.
 */
export { Harness, startHarness, type HarnessOptions, type RelayReading } from './harness.js';
export { FakeClock } from './fake-clock.js';
