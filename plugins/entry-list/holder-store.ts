import { randomUUID } from 'node:crypto';
import { type Clock, PortierError, type PluginStore } from 'portier/sdk';
import { type Holder, type HolderInput, type HolderUpdate, MAX_HOLDERS, PIN_MASK, holderInputSchema, normaliseCard } from './holder.js';

const PREFIX = 'holder:';

/**
 * The credential holders, in the plugin's store: every change is durable when
 * it returns, and a use taken from a holder valid a number of times is
 * written before access is granted, so a power cut never gives back a use
 * that opened the door.
 */
export class HolderStore {
  constructor(
    private readonly store: PluginStore,
    private readonly clock: Clock,
  ) {}

  list(): Holder[] {
    return this.store
      .list<Holder>(PREFIX)
      .map((entry) => entry.value)
      .sort((a, b) => a.firstName.localeCompare(b.firstName));
  }

  get(id: string): Holder {
    const holder = this.store.get<Holder>(PREFIX + id);
    if (holder === undefined) throw new PortierError('HOLDER_NOT_FOUND', `No credential holder has the id ${id}; GET /api/v1/plugins/entry-list/holders lists them.`);
    return holder;
  }

  add(input: HolderInput): Holder {
    return this.store.transaction(() => {
      const holders = this.list();
      if (holders.length >= MAX_HOLDERS) {
        throw new PortierError('ENTRY_LIST_FULL', `The entry list holds at most ${MAX_HOLDERS} credential holders; remove one first, or connect a door controller for more.`);
      }
      const holder: Holder = { id: randomUUID(), createdAt: this.clock.now(), ...holderInputSchema.parse(input) };
      checkUnique(holder, holders);
      this.store.set(PREFIX + holder.id, holder);
      return holder;
    });
  }

  update(id: string, input: HolderUpdate): Holder {
    return this.store.transaction(() => {
      const current = this.get(id);
      const kept = keepMaskedPin(input, current);
      // A change that leaves the validity out must not widen it to the default, "always".
      const holder: Holder = { id, createdAt: current.createdAt, ...holderInputSchema.parse({ ...kept, validity: kept.validity ?? current.validity }) };
      checkUnique(holder, this.list());
      this.store.set(PREFIX + id, holder);
      return holder;
    });
  }

  remove(id: string): void {
    this.get(id);
    this.store.delete(PREFIX + id);
  }

  /** Replaces the whole list (an import): all of it lands, or none of it. */
  replaceAll(inputs: readonly HolderInput[]): Holder[] {
    if (inputs.length > MAX_HOLDERS) {
      throw new PortierError('ENTRY_LIST_FULL', `The file has ${inputs.length} credential holders; the entry list holds at most ${MAX_HOLDERS}.`);
    }
    return this.store.transaction(() => {
      for (const holder of this.list()) this.store.delete(PREFIX + holder.id);
      const added: Holder[] = [];
      for (const input of inputs) {
        const holder: Holder = { id: randomUUID(), createdAt: this.clock.now(), ...holderInputSchema.parse(input) };
        checkUnique(holder, added);
        this.store.set(PREFIX + holder.id, holder);
        added.push(holder);
      }
      return added;
    });
  }

  /**
   * Takes one use from a holder valid a number of times; durable on return.
   * Returns the uses left, or undefined when the holder had none left (a
   * second swipe racing the first must not open the door twice on one use).
   */
  takeUse(id: string): number | undefined {
    return this.store.transaction(() => {
      const holder = this.get(id);
      if (holder.validity.kind !== 'times') return undefined;
      if (holder.validity.remaining <= 0) return undefined;
      const remaining = holder.validity.remaining - 1;
      this.store.set(PREFIX + id, { ...holder, validity: { kind: 'times', remaining } });
      return remaining;
    });
  }
}

/** The API never reads a PIN back (it shows ****); that mask sent back in a change keeps the stored PIN. */
function keepMaskedPin(input: HolderUpdate, current: Holder): HolderInput {
  if (input.pin !== PIN_MASK) return input as HolderInput;
  if (current.pin === undefined) {
    throw new PortierError('HOLDER_INVALID', `${current.firstName} has no PIN to keep; give a PIN of 4 to 8 digits, or leave the PIN out.`, [{ path: '/body/pin', message: 'no PIN to keep' }]);
  }
  return { ...input, pin: current.pin };
}

/** First names are unique (the manual says so); a card or PIN opens for one holder only. */
function checkUnique(holder: Holder, others: readonly Holder[]): void {
  for (const other of others) {
    if (other.id === holder.id) continue;
    if (other.firstName.toLowerCase() === holder.firstName.toLowerCase()) {
      throw new PortierError('HOLDER_NAME_TAKEN', `A credential holder is already called ${other.firstName}; first names must be unique.`, [{ path: '/body/firstName', message: 'already taken' }]);
    }
    if (holder.card !== undefined && other.card !== undefined && normaliseCard(other.card) === normaliseCard(holder.card)) {
      throw new PortierError('CREDENTIAL_TAKEN', `This card already belongs to ${other.firstName}.`, [{ path: '/body/card', message: 'already taken' }]);
    }
    if (holder.pin !== undefined && other.pin === holder.pin) {
      throw new PortierError('CREDENTIAL_TAKEN', `This PIN already belongs to ${other.firstName}; a PIN opens for one holder only.`, [{ path: '/body/pin', message: 'already taken' }]);
    }
  }
}
