import { defineFacilityCardFormat } from './facility-card-format.js';

/**
 * HID H10301, the "standard 26-bit format": the open format almost every
 * access controller accepts.
 *
 *   bit (1-based)  1   2 … 9     10 … 25      26
 *                  E   FC (8)    card (16)    O
 *
 *   E: even parity over bits 2–13 (the FC and the card number's top 4 bits)
 *   O: odd parity over bits 14–25 (the card number's low 12 bits)
 *   FC 0–255, card number 0–65,535.
 *
 * Sources: HID Technical Support, "The Standard 26 Bit Format", Tech Tip #5
 * (layout PAAAAAAAABBBBBBBBBBBBBBBBP, mask EXXXXXXXXXXXX / XXXXXXXXXXXXO),
 * http://www.identisource.net/26_bit_format_layout.cfm; the same layout in
 * RF IDeas' "Proximity card formats"
 * (http://www.rfideas.com/support/learning_center/proximity_card_formats.php)
 * and Pack_H10301 in RfidResearchGroup/proxmark3 client/src/wiegand_formats.c.
 */
export const h10301 = defineFacilityCardFormat({
  name: 'h10301',
  label: 'H10301 26-bit',
  bitLength: 26,
  facilityCode: { offset: 1, width: 8 },
  cardNumber: { offset: 9, width: 16 },
  evenParity: { bit: 0, from: 1, count: 12 },
  oddParity: { bit: 25, from: 13, count: 12 },
});
