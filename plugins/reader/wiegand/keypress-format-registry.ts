import { eightBit } from './eight-bit-keypress.js';
import { fourBit } from './four-bit-keypress.js';
import type { AnyKeypressFormat, KeyFormat, PinFormat } from './keypress-format.js';
import { pin26Bit } from './pin-26-bit.js';
import { WiegandError } from './wiegand-error.js';

/**
 * The keypress formats by the name the reader's settings store ("Keypress
 * format" in the manual's Wiegand setup). A tuple, so the settings schema can
 * be `z.enum(KEYPRESS_FORMAT_NAMES)`.
 */
export const KEYPRESS_FORMAT_NAMES = ['fourbit', 'eightbit', '26-bit-pin'] as const;

export type KeypressFormatName = (typeof KEYPRESS_FORMAT_NAMES)[number];

export const keypressFormats: {
  readonly fourbit: KeyFormat;
  readonly eightbit: KeyFormat;
  readonly '26-bit-pin': PinFormat;
} = Object.freeze({ fourbit: fourBit, eightbit: eightBit, '26-bit-pin': pin26Bit });

export function isKeypressFormatName(name: string): name is KeypressFormatName {
  return (KEYPRESS_FORMAT_NAMES as readonly string[]).includes(name);
}

export function getKeypressFormat(name: string): AnyKeypressFormat {
  if (!isKeypressFormatName(name)) {
    throw new WiegandError(
      'WIEGAND_UNKNOWN_FORMAT',
      `keypressFormat must be one of ${KEYPRESS_FORMAT_NAMES.join(', ')}, got ${JSON.stringify(name)}`,
      'keypressFormat',
    );
  }
  return keypressFormats[name];
}
