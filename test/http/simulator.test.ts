import { describe, expect, it } from 'vitest';
import type { HardwareDriver } from '../../platform/hardware/driver.js';
import { AXIS_I8307_VE } from '../../platform/hardware/board.js';
import { SimulatedIntercom } from '../../platform/hardware/simulated-intercom.js';
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
