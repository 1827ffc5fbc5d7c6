import { describe, expect, it } from 'vitest';
import type { HardwareDriver } from '../../platform/hardware/driver.js';
import { AXIS_I8307_VE } from '../../platform/hardware/board.js';
import { SimulatedIntercom } from '../../platform/hardware/simulated-intercom.js';
import type { PortKind, PresentedCard } from '../../sdk/ports.js';
import { ADMIN, type TestPortier, portierPerTest } from '../support/test-portier.js';

const portier = portierPerTest();
const start = (): Promise<TestPortier> => portier.start();

describe('GET /api/v1/simulator', () => {
  it('shows relay contacts, I/O lines, buttons, the LED and the sensors', async () => {
    const p = await start();
    const reply = await p.request('GET', '/api/v1/simulator', { user: ADMIN });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      relays: [
        { port: 'relay-1', contactClosed: false },
        { port: 'relay-2', contactClosed: false },
      ],
      io: ['io-1', 'io-2', 'io-3', 'io-4'].map((port) => ({ port, direction: 'input', grounded: false })),
      buttons: [
        { port: 'control-button', kind: 'control-button', pressed: false },
        { port: 'call-button', kind: 'call-button', pressed: false },
      ],
      statusLeds: [{ port: 'status-led', color: 'off', flashing: false }],
      pir: [{ port: 'pir', motion: false }],
      lightSensors: [{ port: 'light-sensor', lux: 200 }],
    });
  });
});

describe('driving the simulator', () => {
  it('closes and opens the contact on an input; the I/O plugin sees io/input', async () => {
    const p = await start();
    const closed = await p.request('PUT', '/api/v1/simulator/inputs/io-2', { user: ADMIN, body: { closed: true } });
    expect(closed.status).toBe(200);
    expect(closed.body.io[1]).toEqual({ port: 'io-2', direction: 'input', grounded: true });
    const events = (await p.request('GET', '/api/v1/events?type=io/input', { user: ADMIN })).body;
    expect(events.at(-1)).toMatchObject({ payload: { port: 'io-2', name: 'I2', active: true } });

    const opened = await p.request('PUT', '/api/v1/simulator/inputs/io-2', { user: ADMIN, body: { closed: false } });
    expect(opened.body.io[1].grounded).toBe(false);
  });

  it('presses a button, moves in front of the PIR and changes the light', async () => {
    const p = await start();
    const presses: boolean[] = [];
    p.kernel.simulator!.onChange((change) => {
      if (change.kind === 'button' && change.port === 'call-button') presses.push(change.pressed);
    });
    const press = await p.request('POST', '/api/v1/simulator/buttons/call-button/press', { user: ADMIN });
    expect(press.status).toBe(200);
    expect(presses).toEqual([true, false]);

    const pir = await p.request('PUT', '/api/v1/simulator/pir', { user: ADMIN, body: { motion: true } });
    expect(pir.body.pir).toEqual([{ port: 'pir', motion: true }]);
    const light = await p.request('PUT', '/api/v1/simulator/light', { user: ADMIN, body: { lux: 3.5 } });
    expect(light.body.lightSensors).toEqual([{ port: 'light-sensor', lux: 3.5 }]);
  });

  it('answers clearly for unknown ports, outputs and bad bodies', async () => {
    const p = await start();
    const unknown = await p.request('PUT', '/api/v1/simulator/inputs/io-9', { user: ADMIN, body: { closed: true } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'PORT_NOT_FOUND', message: 'This board has no I/O port "io-9" (I/O ports: io-1, io-2, io-3, io-4).' });
    const relay = await p.request('PUT', '/api/v1/simulator/inputs/relay-1', { user: ADMIN, body: { closed: true } });
    expect(relay.status).toBe(404);
    const notAButton = await p.request('POST', '/api/v1/simulator/buttons/pir/press', { user: ADMIN });
    expect(notAButton.status).toBe(404);

    const settings = (await p.request('GET', '/api/v1/plugins/io/settings', { user: ADMIN })).body.values;
    settings.ports['io-4'].direction = 'output';
    await p.request('PUT', '/api/v1/plugins/io/settings', { user: ADMIN, body: settings });
    const output = await p.request('PUT', '/api/v1/simulator/inputs/io-4', { user: ADMIN, body: { closed: true } });
    expect(output.status).toBe(409);
    expect(output.body.code).toBe('PORT_NOT_INPUT');

    const badLux = await p.request('PUT', '/api/v1/simulator/light', { user: ADMIN, body: { lux: -1 } });
    expect(badLux.status).toBe(400);
    expect(badLux.body.details[0].path).toBe('/body/lux');
    const missing = await p.request('PUT', '/api/v1/simulator/inputs/io-1', { user: ADMIN, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0].path).toBe('/body/closed');
  });

  it('is for operators and above', async () => {
    const p = await start();
    await p.http.users.create('vera', 'viewer', 'viewer password');
    const reply = await p.request('GET', '/api/v1/simulator', { user: { username: 'vera', password: 'viewer password' } });
    expect(reply.status).toBe(403);
  });

  it('answers 409 when a real driver runs the board', async () => {
    const sim = new SimulatedIntercom(AXIS_I8307_VE);
    // Behaves like hardware, but is not the simulator: nothing may be driven from outside.
    const hardware: HardwareDriver = {
      name: 'gpio',
      setRelayContact: (...a) => sim.setRelayContact(...a),
      configureIo: (...a) => sim.configureIo(...a),
      setIoOutput: (...a) => sim.setIoOutput(...a),
      readIoInput: (...a) => sim.readIoInput(...a),
      onIoInput: (...a) => sim.onIoInput(...a),
      readButton: (...a) => sim.readButton(...a),
      onButton: (...a) => sim.onButton(...a),
      setStatusLed: (...a) => sim.setStatusLed(...a),
      readPir: (...a) => sim.readPir(...a),
      onPir: (...a) => sim.onPir(...a),
      readLight: (...a) => sim.readLight(...a),
      onLight: (...a) => sim.onLight(...a),
      onCardPresented: (...a) => sim.onCardPresented(...a),
      onCardRemoved: (...a) => sim.onCardRemoved(...a),
      onPin: (...a) => sim.onPin(...a),
      setReaderLed: (...a) => sim.setReaderLed(...a),
      beepReader: (...a) => sim.beepReader(...a),
      configureReaderConnector: (...a) => sim.configureReaderConnector(...a),
      sendWiegand: (...a) => sim.sendWiegand(...a),
      writeRs485: (...a) => sim.writeRs485(...a),
      onRs485Data: (...a) => sim.onRs485Data(...a),
      onMicrophoneFrame: (...a) => sim.onMicrophoneFrame(...a),
      playSpeaker: (...a) => sim.playSpeaker(...a),
      close: () => sim.close(),
    };
    const p = await portier.start({ kernel: { driver: hardware } });
    for (const [method, path, body] of [
      ['GET', '/api/v1/simulator', undefined],
      ['PUT', '/api/v1/simulator/inputs/io-1', { closed: true }],
      ['POST', '/api/v1/simulator/buttons/call-button/press', undefined],
      ['PUT', '/api/v1/simulator/pir', { motion: true }],
      ['PUT', '/api/v1/simulator/light', { lux: 10 }],
      ['GET', '/api/v1/simulator/reader', undefined],
      ['POST', '/api/v1/simulator/cards', { chipType: 'mifare-classic', uid: '04A2B3C4' }],
      ['DELETE', '/api/v1/simulator/cards', undefined],
      ['POST', '/api/v1/simulator/pin', { digits: '1234' }],
      ['GET', '/api/v1/simulator/rs485', undefined],
      ['POST', '/api/v1/simulator/rs485', { hex: '53' }],
    ] as const) {
      const reply = await p.request(method, path, { user: ADMIN, ...(body === undefined ? {} : { body }) });
      expect(reply.status, path).toBe(409);
      expect(reply.body).toMatchObject({ code: 'SIMULATOR_NOT_ACTIVE', message: 'The board is driven by "gpio", not the simulator; there is nothing to simulate.' });
    }
    expect(sim.ioLine('io-1').grounded).toBe(false);
    expect(sim.cardInField()).toBeUndefined();
    const system = (await p.request('GET', '/api/v1/system', { user: ADMIN })).body;
    expect(system.board.driver).toBe('gpio');
  });
});

describe('the card reader and the reader connector over the API', () => {
  /** Claims the reader ports as a reader plugin would, through the kernel's registry. */
  const claimReader = (p: TestPortier) => {
    const request = { owner: 'test-reader', purpose: 'Card reader', allowedKinds: ['rfid-reader', 'reader-connector'] as PortKind[], guard: <A extends unknown[]>(l: (...a: A) => void) => l };
    return {
      reader: p.kernel.ports.claim({ ...request, portId: 'rfid', kind: 'rfid-reader' }),
      connector: p.kernel.ports.claim({ ...request, portId: 'reader-connector', kind: 'reader-connector', purpose: 'Door controller' }),
    };
  };
  const DESFIRE = {
    chipType: 'mifare-desfire-ev2',
    uid: '04a1b2c3d4e5f6',
    protectedData: [{ location: 'app:F51CD8/file:1', key: '00112233445566778899AABBCCDDEEFF', data: 'deadbeef' }],
  };

  it('shows the reader at rest', async () => {
    const p = await start();
    const reply = await p.request('GET', '/api/v1/simulator/reader', { user: ADMIN });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      reader: { port: 'rfid', card: null, led: 'off', lastBeep: 'none', beeps: [] },
      connector: { port: 'reader-connector', mode: 'off', baudRate: 9600, wiegand: [] },
    });
  });

  it('presents a card to the holder, who reads its protected data with the right key until the card is taken away', async () => {
    const p = await start();
    const { reader } = claimReader(p);
    const cards: PresentedCard[] = [];
    reader.onCard((card) => cards.push(card));

    const presented = await p.request('POST', '/api/v1/simulator/cards', { user: ADMIN, body: { ...DESFIRE, holdMs: 600_000 } });
    expect(presented.status).toBe(200);
    expect(presented.body.reader).toEqual({
      port: 'rfid',
      owner: 'test-reader',
      card: { chipType: 'mifare-desfire-ev2', uid: '04A1B2C3D4E5F6', at: cards[0]!.at },
      led: 'off',
      lastBeep: 'none',
      beeps: [],
    });
    const card = cards[0]!;
    expect(await card.readProtected('app:F51CD8/file:1', '00112233445566778899aabbccddeeff')).toBe('DEADBEEF');
    expect(await card.readProtected('app:F51CD8/file:1', 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF')).toBeUndefined();

    const removed = await p.request('DELETE', '/api/v1/simulator/cards', { user: ADMIN });
    expect(removed.status).toBe(200);
    expect(removed.body.reader.card).toBeNull();
    await expect(card.readProtected('app:F51CD8/file:1', '00112233445566778899AABBCCDDEEFF')).rejects.toMatchObject({ code: 'CARD_GONE' });
    expect((await p.request('DELETE', '/api/v1/simulator/cards', { user: ADMIN })).status).toBe(200);
  });

  it('a card presented without holdMs is a swipe: it leaves after 500 ms', async () => {
    const p = await start();
    const { reader } = claimReader(p);
    const left: string[] = [];
    reader.onCardRemoved((card) => left.push(card.uid));
    const reply = await p.request('POST', '/api/v1/simulator/cards', { user: ADMIN, body: { chipType: 'em4102', uid: '0F00A1B2C3' } });
    expect(reply.body.reader.card).toMatchObject({ chipType: 'em4102', uid: '0F00A1B2C3' });
    const presentedAt = Date.now();
    while (left.length === 0 && Date.now() - presentedAt < 5000) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(left).toEqual(['0F00A1B2C3']);
    expect(Date.now() - presentedAt).toBeGreaterThanOrEqual(400);
    expect((await p.request('GET', '/api/v1/simulator/reader', { user: ADMIN })).body.reader.card).toBeNull();
  });

  it('types a PIN, and shows the feedback and the Wiegand trains the holder sent', async () => {
    const p = await start();
    const { reader, connector } = claimReader(p);
    const pins: string[] = [];
    reader.onPin((pin) => pins.push(pin.digits));
    const typed = await p.request('POST', '/api/v1/simulator/pin', { user: ADMIN, body: { digits: '1234#' } });
    expect(typed.status).toBe(200);
    expect(pins).toEqual(['1234#']);

    reader.feedback({ led: 'green', beep: 'long' });
    connector.sendWiegand([
      { line: 'D1', atMicros: 0, widthMicros: 50 },
      { line: 'D0', atMicros: 2000, widthMicros: 50 },
    ]);
    const view = (await p.request('GET', '/api/v1/simulator/reader', { user: ADMIN })).body;
    expect(view.reader).toMatchObject({ owner: 'test-reader', led: 'green', lastBeep: 'long', beeps: [{ beep: 'long', at: expect.any(Number) }] });
    expect(view.connector).toEqual({
      port: 'reader-connector',
      owner: 'test-reader',
      mode: 'wiegand',
      baudRate: 9600,
      wiegand: [
        {
          seq: 1,
          at: expect.any(Number),
          bits: '10',
          pulses: [
            { line: 'D1', atMicros: 0, widthMicros: 50 },
            { line: 'D0', atMicros: 2000, widthMicros: 50 },
          ],
        },
      ],
    });
  });

  it('talks RS-485 with the holder both ways; 409 while the connector is not in RS-485 mode', async () => {
    const p = await start();
    const { connector } = claimReader(p);
    const notYet = await p.request('POST', '/api/v1/simulator/rs485', { user: ADMIN, body: { hex: '53' } });
    expect(notYet.status).toBe(409);
    expect(notYet.body).toMatchObject({ code: 'READER_CONNECTOR_NOT_RS485' });

    connector.configure({ mode: 'rs485', baudRate: 38400 });
    connector.onData((bytes) => connector.write(Uint8Array.from(bytes).reverse()));
    const sent = await p.request('POST', '/api/v1/simulator/rs485', { user: ADMIN, body: { hex: '53 00 08 00 04 60' } });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({
      port: 'reader-connector',
      owner: 'test-reader',
      mode: 'rs485',
      baudRate: 38400,
      toDevice: [{ seq: 1, at: expect.any(Number), hex: '530008000460' }],
      fromDevice: [{ seq: 2, at: expect.any(Number), hex: '600400080053' }],
    });
    await p.request('POST', '/api/v1/simulator/rs485', { user: ADMIN, body: { hex: 'ff' } });
    const later = await p.request('GET', '/api/v1/simulator/rs485?afterSeq=2', { user: ADMIN });
    expect(later.body.toDevice.map((c: { hex: string }) => c.hex)).toEqual(['FF']);
    expect(later.body.fromDevice.map((c: { seq: number; hex: string }) => [c.seq, c.hex])).toEqual([[4, 'FF']]);
  });

  it('refuses bad bodies, naming the field', async () => {
    const p = await start();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/simulator/cards', { chipType: 'mifare-ultralight', uid: '04A2' }, '/body/chipType'],
      ['POST', '/api/v1/simulator/cards', { chipType: 'ntag', uid: 'XYZ1' }, '/body/uid'],
      ['POST', '/api/v1/simulator/cards', { chipType: 'ntag', uid: '04A' }, '/body/uid'],
      ['POST', '/api/v1/simulator/cards', { chipType: 'ntag' }, '/body/uid'],
      ['POST', '/api/v1/simulator/cards', { chipType: 'ntag', uid: '04A2', holdMs: -1 }, '/body/holdMs'],
      ['POST', '/api/v1/simulator/cards', { ...DESFIRE, protectedData: [{ location: 'a', key: 'zz', data: '00' }] }, '/body/protectedData/0/key'],
      ['POST', '/api/v1/simulator/cards', { ...DESFIRE, protectedData: [...DESFIRE.protectedData, ...DESFIRE.protectedData] }, '/body/protectedData/1/location'],
      ['POST', '/api/v1/simulator/cards', { chipType: 'hid-prox', uid: '02000A1B2C', protectedData: DESFIRE.protectedData }, '/body/protectedData'],
      ['POST', '/api/v1/simulator/pin', { digits: '' }, '/body/digits'],
      ['POST', '/api/v1/simulator/pin', { digits: '12a4' }, '/body/digits'],
      ['POST', '/api/v1/simulator/pin', {}, '/body/digits'],
      ['POST', '/api/v1/simulator/rs485', { hex: '5' }, '/body/hex'],
      ['POST', '/api/v1/simulator/rs485', { hex: 'zz' }, '/body/hex'],
      ['GET', '/api/v1/simulator/rs485?afterSeq=-1', undefined, '/querystring/afterSeq'],
    ];
    for (const [method, path, body, field] of cases) {
      const reply = await p.request(method, path, { user: ADMIN, ...(body === undefined ? {} : { body }) });
      const label = `${method} ${path} ${JSON.stringify(body)}`;
      expect(reply.status, label).toBe(400);
      expect(reply.body.code, label).toBe('REQUEST_INVALID');
      expect(reply.body.details.map((d: { path: string }) => d.path), label).toContain(field);
    }
    expect(p.kernel.simulator!.cardInField()).toBeUndefined();
  });
});
