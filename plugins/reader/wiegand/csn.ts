import { requireFrame, requireRoom } from './bit-frame.js';
import type { CardFormat } from './card-format.js';
import { WiegandError, tryDecodeWith } from './wiegand-error.js';

/**
 * A card's serial number (UID/CSN) as hexadecimal, most significant nibble of
 * the first UID byte first (`"04A1B2C3"`). Case does not matter on input;
 * decoders answer upper case. Hex text rather than bytes because that is how
 * the reader plugin shows, stores and compares UIDs.
 */
export interface CsnCredential {
  uid: string;
}

export interface CsnFormat extends CardFormat<CsnCredential> {
  readonly credentialKind: 'csn';
  readonly uidBytes: number;
}

/**
 * Raw CSN formats: the card's UID bits as they are, no facility code and —
 * the convention chosen here — no parity bits, so csn-32 is exactly 32 bits
 * and csn-56 exactly 56 bits on the wire.
 *
 *   csn-32 (4-byte UID, e.g. MIFARE Classic):   bits 1–32  = UID byte 0 … byte 3
 *   csn-56 (7-byte UID, e.g. DESFire, NTAG):    bits 1–56  = UID byte 0 … byte 6
 *   each byte most significant bit first, bytes in the order the card reports
 *   them in anticollision (UID byte 0 first).
 *
 * Why no parity: the bit count is what tells a controller "CSN" (32 and 56
 * bits are not used by parity formats such as H10301/H10306/H10304), and
 * 32+2 parity bits would be indistinguishable from the 34-bit format. HID's
 * multiCLASS readers document "32-bit or 56-bit CSN" output this way, and the
 * Civintec CN56 manual's "Wiegand32e" is 32 bits without parity
 * (https://manualshive.com/ru/manual/civintec/cn56-series/2611587?page=25;
 * https://arduino.stackexchange.com/questions/19715/hid-multiclass-rfid-reader-all-mifare-to-wiegand-32bit).
 * The cost: a raw CSN frame has no error check beyond its length.
 *
 * Byte order: some readers send the UID reversed (see
 * https://kiwix.lema.org/stackoverflow.com_en_all_2023-11/questions/70022011/wiegand-34-readers-vs-mfrc522-different-card-uid);
 * this codec sends it as the card reports it. A controller that expects the
 * other order needs the plugin to reverse the bytes before encoding.
 *
 * A UID of another length is refused (WIEGAND_VALUE_OUT_OF_RANGE), not
 * truncated or padded: which bytes to keep is a policy for the plugin's
 * settings, not something the codec should guess.
 */
function defineCsnFormat(name: 'csn-32' | 'csn-56', label: string, uidBytes: number): CsnFormat {
  const bitLength = uidBytes * 8;
  const hexDigits = uidBytes * 2;

  const encodeInto = (credential: CsnCredential, out: Uint8Array, offset = 0): number => {
    const uid = credential.uid;
    if (typeof uid !== 'string' || uid.length !== hexDigits) {
      const got = typeof uid === 'string' ? `${uid.length} hex digits` : typeof uid;
      throw new WiegandError(
        'WIEGAND_VALUE_OUT_OF_RANGE',
        `${name}: uid must be ${uidBytes} bytes (${hexDigits} hex digits), got ${got}`,
        'uid',
      );
    }
    requireRoom(name, out, offset, bitLength);
    // Nibble by nibble from the text: no intermediate byte array.
    for (let i = 0; i < hexDigits; i++) {
      const nibble = hexValue(uid.charCodeAt(i));
      if (nibble < 0) {
        throw new WiegandError('WIEGAND_INVALID_VALUE', `${name}: uid must be hexadecimal, got ${JSON.stringify(uid)}`, 'uid');
      }
      const pos = offset + i * 4;
      out[pos] = (nibble >> 3) & 1;
      out[pos + 1] = (nibble >> 2) & 1;
      out[pos + 2] = (nibble >> 1) & 1;
      out[pos + 3] = nibble & 1;
    }
    return offset + bitLength;
  };

  const decode = (frame: ArrayLike<number>): CsnCredential => {
    requireFrame(name, frame, bitLength);
    let uid = '';
    for (let pos = 0; pos < bitLength; pos += 4) {
      const nibble = (frame[pos] as number) * 8 + (frame[pos + 1] as number) * 4 + (frame[pos + 2] as number) * 2 + (frame[pos + 3] as number);
      uid += HEX_DIGITS[nibble];
    }
    return { uid };
  };

  return {
    name,
    label,
    bitLength,
    credentialKind: 'csn',
    uidBytes,
    encode: (credential) => {
      const out = new Uint8Array(bitLength);
      encodeInto(credential, out, 0);
      return out;
    },
    encodeInto,
    decode,
    tryDecode: (frame) => tryDecodeWith(decode, frame),
  };
}

const HEX_DIGITS = '0123456789ABCDEF';

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 65 && code <= 70) return code - 55; // A-F
  if (code >= 97 && code <= 102) return code - 87; // a-f
  return -1;
}

export const csn32 = defineCsnFormat('csn-32', 'Raw CSN 32-bit', 4);
export const csn56 = defineCsnFormat('csn-56', 'Raw CSN 56-bit', 7);
