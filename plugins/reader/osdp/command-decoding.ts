/**
 * The data blocks of the commands the PD acts on, from bytes to fields.
 * Layouts: SIA OSDP v2.2 §6 — osdp_LED §6.9 Tables 16–18 (14-byte records),
 * osdp_BUZ (5-byte records), osdp_COMSET (address, baud rate LSB first),
 * osdp_KEYSET (key type, length, key). Cross-checked with libosdp
 * src/osdp_pd.c (pd_decode_command) and doc/osdp-command-structure.md.
 * Each decoder returns null when the length does not fit, so the PD can NAK
 * with "command length error".
 */

/** Times are in units of 100 ms, as on the wire. */
export interface LedTemporarySettings {
  /** 0 no change, 1 cancel temporary state, 2 set temporary state and start the timer. */
  control: number;
  onTime: number;
  offTime: number;
  /** 0 black (off), 1 red, 2 green, 3 amber, 4 blue, 5 magenta, 6 cyan, 7 white (§6.9 Table 18). */
  onColor: number;
  offColor: number;
  /** How long the temporary state lasts, 100 ms units. */
  timer: number;
}

export interface LedPermanentSettings {
  /** 0 no change, 1 set the permanent state. */
  control: number;
  onTime: number;
  offTime: number;
  onColor: number;
  offColor: number;
}

export interface LedCommand {
  reader: number;
  led: number;
  temporary: LedTemporarySettings;
  permanent: LedPermanentSettings;
}

export interface BuzzerCommand {
  reader: number;
  /** 0 no tone (off), 1 off, 2 the default tone. */
  tone: number;
  /** 100 ms units. */
  onTime: number;
  offTime: number;
  /** Number of on/off cycles; 0 = until told otherwise. */
  count: number;
}

export interface ComSetCommand {
  address: number;
  baudRate: number;
}

export interface KeySetCommand {
  /** 0x01 = secure channel base key. */
  keyType: number;
  key: Uint8Array;
}

const LED_RECORD = 14;
const BUZZER_RECORD = 5;

export function decodeLedCommands(data: Uint8Array): LedCommand[] | null {
  if (data.length === 0 || data.length % LED_RECORD !== 0) return null;
  const records: LedCommand[] = [];
  for (let at = 0; at < data.length; at += LED_RECORD) {
    const b = (i: number): number => data[at + i]!;
    records.push({
      reader: b(0),
      led: b(1),
      temporary: { control: b(2), onTime: b(3), offTime: b(4), onColor: b(5), offColor: b(6), timer: b(7) | (b(8) << 8) },
      permanent: { control: b(9), onTime: b(10), offTime: b(11), onColor: b(12), offColor: b(13) },
    });
  }
  return records;
}

export function decodeBuzzerCommands(data: Uint8Array): BuzzerCommand[] | null {
  if (data.length === 0 || data.length % BUZZER_RECORD !== 0) return null;
  const records: BuzzerCommand[] = [];
  for (let at = 0; at < data.length; at += BUZZER_RECORD) {
    records.push({ reader: data[at]!, tone: data[at + 1]!, onTime: data[at + 2]!, offTime: data[at + 3]!, count: data[at + 4]! });
  }
  return records;
}

export function decodeComSet(data: Uint8Array): ComSetCommand | null {
  if (data.length !== 5) return null;
  return { address: data[0]!, baudRate: (data[1]! | (data[2]! << 8) | (data[3]! << 16) | (data[4]! << 24)) >>> 0 };
}

export function decodeKeySet(data: Uint8Array): KeySetCommand | null {
  if (data.length < 2 || data.length !== 2 + data[1]!) return null;
  return { keyType: data[0]!, key: data.slice(2) };
}
