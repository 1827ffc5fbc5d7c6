import { beforeEach, describe, expect, it } from 'vitest';
import { AXIS_I8307_VE } from '../../platform/hardware/board.js';
import type { ListenerGuard } from '../../platform/hardware/port-handles.js';
import { PortRegistry } from '../../platform/hardware/port-registry.js';
import { SimulatedIntercom, type SimulatorChange } from '../../platform/hardware/simulated-intercom.js';
import { CHIP_TYPES, CHIP_TYPE_NAMES, type PinEntry, type PresentedCard, type PortKind } from '../../sdk/ports.js';
import { FakeClock } from '../../sdk/testing/fake-clock.js';

const MIFARE_KEY = 'A0A1A2A3A4A5';
const CLASSIC = {
  chipType: 'mifare-classic' as const,
  uid: '04a2b3c4',
  protectedData: [{ location: 'sector:4/block:1', key: MIFARE_KEY, data: '000000000000000000000000000BC614' }],
};

describe('the RFID reader port', () => {
  let clock: FakeClock;
  let sim: SimulatedIntercom;
  let ports: PortRegistry;
  /** What the listener guard caught, as the plugin host would mark the plugin failed. */
  let faults: unknown[];
  const guard: ListenerGuard =
    (listener) =>
    (...args) => {
      try {
        listener(...args);
      } catch (error) {
        faults.push(error);
      }
    };
  const claim = (owner = 'reader', allowedKinds: PortKind[] = ['rfid-reader']) =>
    ports.claim({ owner, portId: 'rfid', kind: 'rfid-reader', purpose: 'Card reader', allowedKinds, guard });

  beforeEach(() => {
    clock = new FakeClock();
    sim = new SimulatedIntercom(AXIS_I8307_VE, { clock });
    ports = new PortRegistry(AXIS_I8307_VE, sim);
    faults = [];
  });

  it('knows the chip types and their frequencies', () => {
    expect(CHIP_TYPE_NAMES).toEqual([
      'mifare-classic',
      'mifare-desfire-ev1',
      'mifare-desfire-ev2',
      'mifare-desfire-ev3',
      'mifare-plus',
      'ntag',
      'iclass',
      'seos',
      'hid-prox',
      'em4102',
    ]);
    expect(CHIP_TYPE_NAMES.filter((t) => CHIP_TYPES[t].frequency === '125 kHz')).toEqual(['hid-prox', 'em4102']);
  });

  it('is claimed once: a second claim names the holder; an undeclared kind is refused', () => {
    claim();
    expect(() => claim('intruder')).toThrow(
      expect.objectContaining({
        code: 'PORT_CLAIMED',
        message:
          'Port rfid (RFID reader) is already claimed by plugin "reader" for "Card reader"; "intruder" cannot claim it for "Card reader". Free it in "reader" first.',
      }),
    );
    ports.release('reader', 'rfid');
    expect(() => claim('other', ['relay'])).toThrow(expect.objectContaining({ code: 'PORT_KIND_NOT_DECLARED' }));
    expect(() => ports.claim({ owner: 'x', portId: 'rfid', kind: 'reader-connector', purpose: 'p', allowedKinds: ['reader-connector'], guard })).toThrow(
      expect.objectContaining({ code: 'PORT_KIND_MISMATCH' }),
    );
  });

  it('gives the holder each card presented; its protected data reads only with the right key, and only while it is there', async () => {
    const reader = claim();
    const cards: PresentedCard[] = [];
    const left: PresentedCard[] = [];
    reader.onCard((card) => cards.push(card));
    reader.onCardRemoved((card) => left.push(card));

    sim.presentCard(CLASSIC);
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect({ chipType: card.chipType, uid: card.uid, at: card.at, present: card.present }).toEqual({
      chipType: 'mifare-classic',
      uid: '04A2B3C4',
      at: clock.now(),
      present: true,
    });
    expect(await card.readProtected('sector:4/block:1', MIFARE_KEY.toLowerCase())).toBe('000000000000000000000000000BC614');
    expect(await card.readProtected('sector:4/block:1', 'FFFFFFFFFFFF')).toBeUndefined();
    expect(await card.readProtected('sector:5/block:1', MIFARE_KEY)).toBeUndefined();
    await expect(card.readProtected('sector:4/block:1', 'not hex')).rejects.toMatchObject({ code: 'READER_KEY_INVALID' });
    await expect(card.readProtected('', MIFARE_KEY)).rejects.toMatchObject({ code: 'READER_LOCATION_INVALID' });

    expect(sim.removeCard()).toBeDefined();
    expect(left).toEqual([card]);
    expect(card.present).toBe(false);
    await expect(card.readProtected('sector:4/block:1', MIFARE_KEY)).rejects.toMatchObject({
      code: 'CARD_GONE',
      message: "The MIFARE Classic card 04A2B3C4 has left the reader's field; its protected data can be read only while it is presented.",
    });
    expect(sim.removeCard()).toBeUndefined();
    expect(left).toHaveLength(1);
  });

  it('a card presented again is a new card; a new card takes the place of the one in the field', async () => {
    const reader = claim();
    const seen: string[] = [];
    reader.onCard((card) => seen.push(`+${card.uid}`));
    reader.onCardRemoved((card) => seen.push(`-${card.uid}`));
    const first = sim.presentCard(CLASSIC);
    await clock.advance(100);
    const second = sim.presentCard({ chipType: 'em4102', uid: '0F00A1B2C3' });
    expect(seen).toEqual(['+04A2B3C4', '-04A2B3C4', '+0F00A1B2C3']);
    expect(first.present).toBe(false);
    expect(second.at).toBe(first.at + 100);
    const again = sim.presentCard(CLASSIC);
    expect(again).not.toBe(first);
    expect(await again.readProtected('sector:4/block:1', MIFARE_KEY)).toBe('000000000000000000000000000BC614');
    await expect(first.readProtected('sector:4/block:1', MIFARE_KEY)).rejects.toMatchObject({ code: 'CARD_GONE' });
  });

  it('a held card leaves after its hold time on the clock', async () => {
    const reader = claim();
    const left: string[] = [];
    reader.onCardRemoved((card) => left.push(card.uid));
    const card = sim.presentCard(CLASSIC, { holdMs: 500 });
    await clock.advance(499);
    expect(card.present).toBe(true);
    await clock.advance(1);
    expect(card.present).toBe(false);
    expect(left).toEqual(['04A2B3C4']);
    expect(sim.cardInField()).toBeUndefined();
    // An old hold time does not take a later card away.
    sim.presentCard(CLASSIC, { holdMs: 100 });
    const later = sim.presentCard(CLASSIC);
    await clock.advance(1000);
    expect(later.present).toBe(true);
  });

  it('refuses cards that cannot exist, with a code and a message', () => {
    const cases: [unknown, string, string][] = [
      [{ chipType: 'mifare-ultralight', uid: '04A2' }, 'CARD_CHIP_TYPE_UNKNOWN', `There is no chip type "mifare-ultralight"; chip types: ${CHIP_TYPE_NAMES.join(', ')}.`],
      [{ chipType: 'ntag', uid: 'XYZ1' }, 'CARD_UID_INVALID', 'A card UID must be hex in whole bytes (two digits 0-9/A-F each, 1 to 32 bytes), found "XYZ1".'],
      [{ chipType: 'ntag', uid: '04A' }, 'CARD_UID_INVALID', 'A card UID must be hex in whole bytes (two digits 0-9/A-F each, 1 to 32 bytes), found "04A".'],
      [{ chipType: 'ntag', uid: '' }, 'CARD_UID_INVALID', 'A card UID must be hex in whole bytes (two digits 0-9/A-F each, 1 to 32 bytes), found "".'],
      [
        { chipType: 'hid-prox', uid: '02000A1B2C', protectedData: [{ location: 'x', key: '00', data: '00' }] },
        'CARD_DATA_INVALID',
        'HID Prox cards (125 kHz) hold only their number, no protected data; present it without protectedData.',
      ],
      [
        { chipType: 'ntag', uid: '04A2', protectedData: [{ location: 'page:4', key: '00', data: '00' }, { location: 'page:4', key: '01', data: '01' }] },
        'CARD_DATA_INVALID',
        'protectedData entry 2: the location "page:4" is given twice; a card has one content per location.',
      ],
      [{ chipType: 'ntag', uid: '04A2', protectedData: [{ location: 'page:4', key: 'k', data: '00' }] }, 'CARD_DATA_INVALID', 'The key of protectedData entry 1 must be hex in whole bytes (two digits 0-9/A-F each, 1 to 4096 bytes), found "k".'],
    ];
    for (const [card, code, message] of cases) {
      expect(() => sim.presentCard(card as never), JSON.stringify(card)).toThrow(expect.objectContaining({ code, message }));
    }
    expect(() => sim.presentCard(CLASSIC, { holdMs: -1 })).toThrow(expect.objectContaining({ code: 'CARD_HOLD_INVALID' }));
    expect(sim.cardInField()).toBeUndefined();
  });

  it('delivers PINs typed on the keypad to the reader port, and refuses keys the keypad does not have', () => {
    const reader = claim();
    const pins: PinEntry[] = [];
    reader.onPin((pin) => pins.push(pin));
    sim.typePin('1234');
    sim.typePin('*0#');
    expect(pins).toEqual([
      { digits: '1234', at: clock.now() },
      { digits: '*0#', at: clock.now() },
    ]);
    expect(() => sim.typePin('')).toThrow(expect.objectContaining({ code: 'PIN_INVALID', message: 'A PIN is at least one key (digits, * and #); found "".' }));
    expect(() => sim.typePin('12 4')).toThrow(expect.objectContaining({ code: 'PIN_INVALID', message: 'The keypad has digits, * and #; " " in the PIN is not a key.' }));
    expect(() => sim.typePin('1'.repeat(33))).toThrow(expect.objectContaining({ code: 'PIN_INVALID', message: 'A PIN is at most 32 keys; found 33.' }));
    expect(pins).toHaveLength(2);
  });

  it('records the LED and beeps the holder asks for; a bad colour or beep changes nothing', async () => {
    const reader = claim();
    const changes: SimulatorChange[] = [];
    sim.onChange((change) => changes.push(change));
    reader.feedback({ led: 'green', beep: 'double' });
    await clock.advance(250);
    reader.feedback({ beep: 'short' });
    reader.feedback({ beep: 'none' });
    expect(reader.feedbackState).toEqual({ led: 'green', lastBeep: 'short' });
    expect(sim.readerFeedback()).toEqual({
      led: 'green',
      lastBeep: 'short',
      beeps: [
        { beep: 'double', at: clock.now() - 250 },
        { beep: 'short', at: clock.now() },
      ],
    });
    expect(changes).toEqual([
      { port: 'rfid', kind: 'reader-led', color: 'green' },
      { port: 'rfid', kind: 'reader-beep', beep: 'double' },
      { port: 'rfid', kind: 'reader-beep', beep: 'short' },
    ]);
    expect(() => reader.feedback({ led: 'red', beep: 'siren' as never })).toThrow(
      expect.objectContaining({ code: 'READER_FEEDBACK_INVALID', message: 'The reader beeper plays short, long, double, error, none; found "siren".' }),
    );
    expect(() => reader.feedback({ led: 'blue' as never })).toThrow(expect.objectContaining({ code: 'READER_FEEDBACK_INVALID' }));
    expect(reader.feedbackState.led).toBe('green');
  });

  it('runs listeners inside the holder’s error boundary', () => {
    const reader = claim();
    const cards: string[] = [];
    reader.onCard(() => {
      throw new Error('plugin bug');
    });
    reader.onCard((card) => cards.push(card.uid));
    sim.presentCard(CLASSIC);
    expect(faults).toEqual([new Error('plugin bug')]);
    expect(cards).toEqual(['04A2B3C4']);
  });

  it('after release: nothing is delivered, the LED goes off, the cards it gave out cannot be read, and another plugin may claim it', async () => {
    const reader = claim();
    const seen: string[] = [];
    reader.onCard((card) => seen.push(card.uid));
    reader.onPin((pin) => seen.push(pin.digits));
    reader.feedback({ led: 'amber' });
    sim.presentCard(CLASSIC);
    const card = sim.cardInField()!;
    let held: PresentedCard | undefined;
    reader.onCard((c) => (held = c));
    sim.presentCard(CLASSIC);

    ports.release('reader', 'rfid');
    expect(sim.readerFeedback().led).toBe('off');
    expect(held?.present).toBe(false);
    await expect(held!.readProtected('sector:4/block:1', MIFARE_KEY)).rejects.toMatchObject({ code: 'PORT_RELEASED' });
    sim.presentCard(CLASSIC);
    sim.typePin('1234');
    expect(seen).toEqual(['04A2B3C4', '04A2B3C4']);
    expect(() => reader.feedback({ led: 'red' })).toThrow(expect.objectContaining({ code: 'PORT_RELEASED' }));
    expect(() => reader.onCard(() => undefined)).toThrow(expect.objectContaining({ code: 'PORT_RELEASED' }));
    expect(card.present).toBe(false);

    const next = claim('other', ['rfid-reader']);
    const others: string[] = [];
    next.onPin((pin) => others.push(pin.digits));
    sim.typePin('42');
    expect(others).toEqual(['42']);
    expect(next.feedbackState).toEqual({ led: 'off', lastBeep: 'none' });
  });
});
