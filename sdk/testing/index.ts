/*
 * portier/sdk/testing — boot a whole Portier in memory on the simulated
 * intercom, with fake time, and test a plugin without hardware.
 */
export {
  Harness,
  startHarness,
  type CardHold,
  type HarnessOptions,
  type ReaderConnectorReading,
  type RelayReading,
} from './harness.js';
export type { ProtectedDataEntry, SimulatedCardSpec } from '../../platform/hardware/simulated-card.js';
export type { ReaderFeedbackRecord, Rs485Chunk, WiegandTrainRecord } from '../../platform/hardware/simulated-intercom.js';
export { FakeClock } from './fake-clock.js';
