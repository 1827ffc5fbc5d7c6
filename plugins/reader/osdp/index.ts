/**
 * OSDP v2.2 peripheral device (SIA OSDP v2.2 / IEC 60839-11-5) for the
 * reader plugin: framing, the PD state machine and the secure channel.
 * Only node builtins are used; nothing here knows the plugin or the platform.
 */
export { connectPeripheral, type ByteStream } from './byte-stream.js';
export { checksum8 } from './checksum.js';
export { BROADCAST_ADDRESS, Command, MAX_PD_ADDRESS, NakReason, Reply, SecurityBlock, SOM } from './codes.js';
export type { BuzzerCommand, ComSetCommand, KeySetCommand, LedCommand, LedPermanentSettings, LedTemporarySettings } from './command-decoding.js';
export { crc16 } from './crc16.js';
export { decodeFrame, encodeFrame, type FrameSpec, type MalformedReason, type OsdpFrame, type SecurityControlBlock } from './frame.js';
export { DEFAULT_MAX_FRAME_LENGTH, FrameReader, type FrameReaderEvent, type FrameReaderOptions } from './frame-reader.js';
export { BAUD_RATES, OsdpPeripheral, type OsdpPeripheralOptions } from './osdp-peripheral.js';
export type { OsdpPeripheralEvents } from './peripheral-events.js';
export { MAX_CARD_BITS, type Capability, type CardFormat, type CardRead, type PdIdentity } from './reply-encoding.js';
export { SCBK_D } from './session-keys.js';
