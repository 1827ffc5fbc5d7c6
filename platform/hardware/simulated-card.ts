import { PortierError } from '../../sdk/errors.js';
import { CHIP_TYPES, type ChipType, type PresentedCard } from '../../sdk/ports.js';
import { MAX_PROTECTED_BYTES, checkChipType, checkLocation, checkUid, normalizeHex } from './reader-checks.js';

/** Protected data a simulated card holds: at `location`, readable with `key` (hex), the bytes `data` (hex). */
export interface ProtectedDataEntry {
  location: string;
  key: string;
  data: string;
}

/** A card to present to the simulated reader. */
export interface SimulatedCardSpec {
  chipType: ChipType;
  /** Hex, whole bytes, as the chip reports its UID/CSN. */
  uid: string;
  protectedData?: readonly ProtectedDataEntry[];
}

/** Most entries of protected data one simulated card holds. */
export const MAX_PROTECTED_ENTRIES = 64;

/**
 * A card in the simulated reader's field. It answers `readProtected` like a
 * real card: the data for the right key at a location it has, nothing for a
 * wrong key or an empty location, and no answer at all once it has left.
 */
export class SimulatedCard implements PresentedCard {
  private inField = true;

  private constructor(
    readonly chipType: ChipType,
    readonly uid: string,
    readonly at: number,
    private readonly memory: ReadonlyMap<string, { key: string; data: string }>,
  ) {}

  /** Checks a card description (chip type, UID, protected data) and makes the card; throws a PortierError naming what is wrong. */
  static create(spec: SimulatedCardSpec, at: number): SimulatedCard {
    if (typeof spec !== 'object' || spec === null) {
      throw new PortierError('CARD_INVALID', 'A card is { chipType, uid, protectedData? }.');
    }
    const chipType = checkChipType(spec.chipType);
    const uid = checkUid(spec.uid);
    const memory = new Map<string, { key: string; data: string }>();
    const entries = spec.protectedData ?? [];
    if (!Array.isArray(entries)) {
      throw new PortierError('CARD_DATA_INVALID', 'protectedData is a list of { location, key, data }.');
    }
    if (entries.length > 0 && !CHIP_TYPES[chipType].protectedData) {
      throw new PortierError(
        'CARD_DATA_INVALID',
        `${CHIP_TYPES[chipType].label} cards (${CHIP_TYPES[chipType].frequency}) hold only their number, no protected data; present it without protectedData.`,
      );
    }
    if (entries.length > MAX_PROTECTED_ENTRIES) {
      throw new PortierError('CARD_DATA_INVALID', `A card holds at most ${MAX_PROTECTED_ENTRIES} entries of protected data; found ${entries.length}.`);
    }
    entries.forEach((entry: ProtectedDataEntry, i) => {
      const where = `protectedData entry ${i + 1}`;
      if (typeof entry !== 'object' || entry === null) throw new PortierError('CARD_DATA_INVALID', `${where} is not { location, key, data }.`);
      const location = checkLocation(entry.location, 'CARD_DATA_INVALID');
      if (memory.has(location)) {
        throw new PortierError('CARD_DATA_INVALID', `${where}: the location "${location}" is given twice; a card has one content per location.`);
      }
      memory.set(location, {
        key: normalizeHex(entry.key, 'CARD_DATA_INVALID', `The key of ${where}`, MAX_PROTECTED_BYTES),
        data: normalizeHex(entry.data, 'CARD_DATA_INVALID', `The data of ${where}`, MAX_PROTECTED_BYTES),
      });
    });
    return new SimulatedCard(chipType, uid, at, memory);
  }

  get present(): boolean {
    return this.inField;
  }

  /** The card leaves the field: from now on it cannot be read. */
  leave(): void {
    this.inField = false;
  }

  async readProtected(location: string, key: string): Promise<string | undefined> {
    if (!this.inField) {
      throw new PortierError(
        'CARD_GONE',
        `The ${CHIP_TYPES[this.chipType].label} card ${this.uid} has left the reader's field; its protected data can be read only while it is presented.`,
      );
    }
    const where = checkLocation(location, 'READER_LOCATION_INVALID');
    const wanted = normalizeHex(key, 'READER_KEY_INVALID', 'A key', MAX_PROTECTED_BYTES);
    const held = this.memory.get(where);
    // A wrong key fails authentication: the card says no more than for an empty location.
    return held !== undefined && held.key === wanted ? held.data : undefined;
  }
}
