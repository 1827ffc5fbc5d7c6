import type { FacilityCard } from './facility-card-format.js';
import { h10301 } from './h10301.js';
import type { DecodedPin, PinFormat, PinFormatOptions } from './keypress-format.js';
import { WiegandError, requireIntegerInRange, tryDecodeWith } from './wiegand-error.js';

const NAME = '26-bit-pin';
const PIN_MAX = 0xffff;

/**
 * 26-bit PIN keypress format: the whole PIN, read as a decimal number, goes
 * out as the 16-bit card number of an H10301 frame (facility code 0 unless
 * set), so a controller treats a PIN like a 26-bit card:
 *
 *   E  FC (8)  PIN (16)  O          "1234", FC 0 → 0 00000000 0000010011010010 0
 *
 * The reader sends it when # is pressed or entry times out; the plugin
 * collects the keys and hands the finished digits here ('#' is not part of
 * the PIN and is refused, like '*', which clears an entry on such keypads).
 * PINs are therefore 0–65,535 — at most 5 digits — and leading zeros are not
 * kept ("0123" and "123" are the same frame), as on the keypads that define
 * the format.
 *
 * Source: Rosslare AY-Q54 manual, "1 to 5 Keys + Facility Code, 26-Bit
 * Wiegand": "the data is sent across the Wiegand Data lines as binary data in
 * the same format as a 26-Bit Card … (EP) FFFF FFFF AAAA AAAA AAAA AAAA (OP)
 * … a PIN code greater than 65,535 … clears the PIN code entry buffer"
 * (https://manualshive.com/en/manual/rosslare/ay-q54/1489310?page=8).
 */
function pinCredential(pin: string, options: PinFormatOptions = {}): FacilityCard {
  const facilityCode = requireIntegerInRange(NAME, 'facilityCode', options.facilityCode ?? 0, 0, h10301.facilityCodeMax);
  if (typeof pin !== 'string' || pin.length === 0) {
    throw new WiegandError('WIEGAND_VALUE_OUT_OF_RANGE', `${NAME}: pin must have 1 to 5 digits (0 to ${PIN_MAX}), got none`, 'pin');
  }
  let value = 0;
  for (let i = 0; i < pin.length; i++) {
    const code = pin.charCodeAt(i);
    if (code < 48 || code > 57) {
      throw new WiegandError(
        'WIEGAND_INVALID_KEY',
        `${NAME}: pin must be digits 0–9 only (# ends the entry and is not sent), got ${JSON.stringify(pin)}`,
        'pin',
      );
    }
    value = value * 10 + (code - 48);
    // Checked per digit so a 400-digit "PIN" cannot turn into Infinity.
    if (value > PIN_MAX) {
      throw new WiegandError(
        'WIEGAND_VALUE_OUT_OF_RANGE',
        `${NAME}: pin must be a number from 0 to ${PIN_MAX} (the 16-bit card number of an H10301 frame), got ${JSON.stringify(pin)}`,
        'pin',
      );
    }
  }
  return { facilityCode, cardNumber: value };
}

function decodePin(frame: ArrayLike<number>): DecodedPin {
  const card = h10301.decode(frame);
  return { pin: String(card.cardNumber), facilityCode: card.facilityCode };
}

export const pin26Bit: PinFormat = {
  name: NAME,
  label: '26-bit PIN',
  sends: 'whole-pin',
  bitLength: h10301.bitLength,
  encodePin: (pin, options) => h10301.encode(pinCredential(pin, options)),
  encodePinInto: (pin, out, offset = 0, options) => h10301.encodeInto(pinCredential(pin, options), out, offset),
  decodePin,
  tryDecodePin: (frame) => tryDecodeWith(decodePin, frame),
  pinCredential,
};
