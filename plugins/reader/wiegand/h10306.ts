import { defineFacilityCardFormat, type FacilityCard } from './facility-card-format.js';
import { requireIntegerInRange } from './wiegand-error.js';

/**
 * The 34-bit format, HID H10306: 16-bit facility code and 16-bit card number
 * between a leading even and a trailing odd parity bit, each covering one half.
 *
 *   bit (1-based)  1   2 … 17     18 … 33      34
 *                  E   FC (16)    card (16)    O
 *
 *   E: even parity over bits 2–17, O: odd parity over bits 18–33.
 *
 * Which 34-bit variant: this one. The other common reading — "a 32-bit card
 * number with two parity bits", as generic readers send a 4-byte UID or a
 * decimal card number — puts the same bits on the wire: the 32-bit number is
 * FC × 65,536 + card, and the parity bits cover its upper and lower 16 bits.
 * So both variants are this one frame; `facilityCardFromNumber32` and
 * `number32FromFacilityCard` convert between the two views.
 *
 * Sources: Pack_H10306 / Pack_N10002 in RfidResearchGroup/proxmark3
 * client/src/wiegand_formats.c; "Wiegand interface (34-bit format)"
 * P SSSSSSSSSSSSSSSS CCCCCCCCCCCCCCCC P in the Promag WEC200 manual, appendix B
 * (https://manualshive.com/ru/manual/promag/wec200/1615817?page=17); the
 * 32-bit-number reading with the example 1234567890 in Hikvision's Wiegand
 * camera manual (https://manualshive.com/en/manual/hikvision/ds-2cd7a26g0-p-izhswg/2133492?page=11)
 * and 0x89D41B81 in the Civintec CN56 manual, 6.4.5
 * (https://manualshive.com/ru/manual/civintec/cn56-series/2611587?page=25).
 */
export const h10306 = defineFacilityCardFormat({
  name: '34-bit',
  label: '34-bit (H10306)',
  bitLength: 34,
  facilityCode: { offset: 1, width: 16 },
  cardNumber: { offset: 17, width: 16 },
  evenParity: { bit: 0, from: 1, count: 16 },
  oddParity: { bit: 33, from: 17, count: 16 },
});

/** The 34-bit frame's credential for a 32-bit card number (0 – 4,294,967,295). */
export function facilityCardFromNumber32(number32: number): FacilityCard {
  const value = requireIntegerInRange('34-bit', 'number32', number32, 0, 0xffff_ffff);
  return { facilityCode: Math.floor(value / 0x1_0000), cardNumber: value % 0x1_0000 };
}

/** The 32-bit card number a 34-bit frame carries. */
export function number32FromFacilityCard(card: FacilityCard): number {
  return card.facilityCode * 0x1_0000 + card.cardNumber;
}
