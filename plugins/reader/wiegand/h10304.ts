import { defineFacilityCardFormat } from './facility-card-format.js';

/**
 * HID H10304, the 37-bit format with facility code.
 *
 *   bit (1-based)  1   2 … 17     18 … 36      37
 *                  E   FC (16)    card (19)    O
 *
 *   E: even parity over bits 2–19 (18 bits: the FC and the card number's top 2 bits)
 *   O: odd parity over bits 19–36 (18 bits: the card number's low 18 bits)
 *   Bit 19 is covered by both, as HID specifies ("bits to sum for even
 *   parity: 19, start 0; odd parity: 19, start 18", counting the parity bit).
 *   FC 0–65,535, card number 0–524,287.
 *
 * Sources: "37 Bit Card Format (with facility code)", layout
 * PFFFFFFFFFFFFFFFFCCCCCCCCCCCCCCCCCCCP, https://www.ooaccess.com/kb/37-bit-fc/;
 * Pack_H10304 in RfidResearchGroup/proxmark3 client/src/wiegand_formats.c
 * (even over get_linear_field(1, 18), odd over get_linear_field(18, 18)).
 */
export const h10304 = defineFacilityCardFormat({
  name: 'h10304',
  label: 'H10304 37-bit',
  bitLength: 37,
  facilityCode: { offset: 1, width: 16 },
  cardNumber: { offset: 17, width: 19 },
  evenParity: { bit: 0, from: 1, count: 18 },
  oddParity: { bit: 36, from: 18, count: 18 },
});
