/*
 * portier — the platform, for embedding and tools. Plugin authors import
 * `portier/sdk` instead.
 */
export { Kernel, BUILTIN_PLUGINS_DIR, type KernelOptions } from './kernel.js';
export { PLATFORM_API_VERSION } from './version.js';
export { AXIS_I8307_VE, type BoardDefinition } from './hardware/board.js';
export type { HardwareDriver } from './hardware/driver.js';
export { SimulatedIntercom, type SimulatorChange } from './hardware/simulated-intercom.js';
export { SystemClock } from './clock/system-clock.js';
export type { PluginSummary, PluginState, PluginFailure } from './plugins/plugin-record.js';
export type { Rule, RuleDefinition, RuleDefinitionInput, RuleStatus } from './rules/rule-schema.js';
export { ruleDefinitionSchema } from './rules/rule-schema.js';
