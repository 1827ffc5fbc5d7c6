import { csn32, csn56, type CsnFormat } from './csn.js';
import type { FacilityCardFormat } from './facility-card-format.js';
import { h10301 } from './h10301.js';
import { h10304 } from './h10304.js';
import { h10306 } from './h10306.js';
import { WiegandError } from './wiegand-error.js';

/**
 * The card formats by the name the reader's settings store. The names are a
 * tuple so the plugin's settings schema can be `z.enum(CARD_FORMAT_NAMES)`
 * and stay in step with what the codec can do.
 */
export const CARD_FORMAT_NAMES = ['h10301', '34-bit', 'h10304', 'csn-32', 'csn-56'] as const;

export type CardFormatName = (typeof CARD_FORMAT_NAMES)[number];

/** Either kind of card format; `credentialKind` says which credential it takes. */
export type AnyCardFormat = FacilityCardFormat | CsnFormat;

export const cardFormats: {
  readonly h10301: FacilityCardFormat;
  readonly '34-bit': FacilityCardFormat;
  readonly h10304: FacilityCardFormat;
  readonly 'csn-32': CsnFormat;
  readonly 'csn-56': CsnFormat;
} = Object.freeze({
  h10301,
  '34-bit': h10306,
  h10304,
  'csn-32': csn32,
  'csn-56': csn56,
});

export function isCardFormatName(name: string): name is CardFormatName {
  return (CARD_FORMAT_NAMES as readonly string[]).includes(name);
}

/** The format a setting names; an unknown name is WIEGAND_UNKNOWN_FORMAT listing the known ones. */
export function getCardFormat(name: string): AnyCardFormat {
  // An explicit list, not `name in cardFormats`: "toString" is not a format.
  if (!isCardFormatName(name)) {
    throw new WiegandError(
      'WIEGAND_UNKNOWN_FORMAT',
      `cardFormat must be one of ${CARD_FORMAT_NAMES.join(', ')}, got ${JSON.stringify(name)}`,
      'cardFormat',
    );
  }
  return cardFormats[name];
}
