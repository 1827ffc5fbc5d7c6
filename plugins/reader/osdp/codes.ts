/**
 * The numbers OSDP puts on the wire, named once so the rest of the module
 * reads as the specification does.
 *
 * Sources: SIA OSDP v2.2 (IEC 60839-11-5) Annex A (command and reply codes),
 * §7.3 Table 47 (NAK error codes), Annex D (security block types). Cross-checked
 * against libosdp (goToMain/libosdp, src/osdp_common.h, doc/protocol/
 * commands-and-replies.rst), the SIA conformance tool
 * (Security-Industry-Association/libosdp-conformance, include/iec-nak.h) and
 * osdp-rs (docs.rs/osdp, src/reply/nak.rs).
 */

/** Start of message: every frame begins with it (§5, packet format). */
export const SOM = 0x53;

/** The broadcast address: a command to it is answered by whichever PD hears it. */
export const BROADCAST_ADDRESS = 0x7f;

/** Highest address a PD may be given (0x7F is broadcast). */
export const MAX_PD_ADDRESS = 0x7e;

/** Bit 7 of the address byte is set on every reply, so a PD never mistakes another PD's reply for a command. */
export const REPLY_FLAG = 0x80;

/** Commands, ACU → PD (Annex A). Only those this module reads are listed. */
export const Command = {
  POLL: 0x60,
  ID: 0x61,
  CAP: 0x62,
  LSTAT: 0x64,
  ISTAT: 0x65,
  OSTAT: 0x66,
  LED: 0x69,
  BUZ: 0x6a,
  COMSET: 0x6e,
  KEYSET: 0x75,
  CHLNG: 0x76,
  SCRYPT: 0x77,
} as const;

/** Replies, PD → ACU (Annex A). */
export const Reply = {
  ACK: 0x40,
  NAK: 0x41,
  PDID: 0x45,
  PDCAP: 0x46,
  LSTATR: 0x48,
  ISTATR: 0x49,
  OSTATR: 0x4a,
  RAW: 0x50,
  KEYPAD: 0x53,
  COM: 0x54,
  CCRYPT: 0x76,
  RMAC_I: 0x78,
  BUSY: 0x79,
} as const;

/** The reason byte of osdp_NAK (§7.3, Table 47). */
export const NakReason = {
  /** Message check character(s) error: bad checksum or CRC. */
  CHECK_CHARACTER: 0x01,
  /** Command length error (also: longer than the PD's receive buffer). */
  COMMAND_LENGTH: 0x02,
  /** Unknown command code: not implemented by this PD. */
  UNKNOWN_COMMAND: 0x03,
  /** Unexpected sequence number in the header. */
  SEQUENCE: 0x04,
  /** This PD does not support the security block that was received. */
  UNSUPPORTED_SECURITY_BLOCK: 0x05,
  /** Communication security conditions not met: secure channel required, or the session failed. */
  SECURE_CHANNEL_REQUIRED: 0x06,
  /** The command record could not be processed (a value the PD cannot act on). */
  UNABLE_TO_PROCESS: 0x09,
} as const;

/** Security control block types (Annex D): which step of the handshake, or how a session message is protected. */
export const SecurityBlock = {
  /** osdp_CHLNG: ACU's random number RND.A. */
  SCS_11: 0x11,
  /** osdp_CCRYPT: PD's cUID, RND.B and client cryptogram. */
  SCS_12: 0x12,
  /** osdp_SCRYPT: ACU's server cryptogram. */
  SCS_13: 0x13,
  /** osdp_RMAC_I: the initial R-MAC. */
  SCS_14: 0x14,
  /** Command with MAC, data in clear. */
  SCS_15: 0x15,
  /** Reply with MAC, data in clear. */
  SCS_16: 0x16,
  /** Command with MAC, data encrypted. */
  SCS_17: 0x17,
  /** Reply with MAC, data encrypted. */
  SCS_18: 0x18,
} as const;

/** True for the block types that carry a 4-byte MAC before the check characters. */
export function hasMac(securityBlockType: number): boolean {
  return securityBlockType >= SecurityBlock.SCS_15 && securityBlockType <= SecurityBlock.SCS_18;
}
