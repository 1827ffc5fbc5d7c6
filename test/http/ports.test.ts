import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, portierPerTest } from '../support/test-portier.js';

const VIEWER = { username: 'vera', password: 'viewer password' };
const OPERATOR = { username: 'otto', password: 'operator password' };

const portier = portierPerTest();
const start = (): Promise<TestPortier> => portier.start();

type Port = { id: string; [key: string]: unknown };
const portsOf = async (p: TestPortier): Promise<Map<string, Port>> =>
  new Map(((await p.request<Port[]>('GET', '/api/v1/ports', { user: ADMIN })).body).map((port) => [port.id, port]));

describe('GET /api/v1/ports', () => {
  it('shows every port of the board with kind, direction, live state, normal state, owner and purpose', async () => {
    const p = await start();
    await p.http.users.create(VIEWER.username, 'viewer', VIEWER.password);
    const reply = await p.request<Port[]>('GET', '/api/v1/ports', { user: VIEWER });
    expect(reply.status).toBe(200);
    expect(reply.body.map((port) => port.id)).toEqual(p.kernel.board.ports.map((port) => port.id));

    const ports = new Map(reply.body.map((port) => [port.id, port]));
    expect(ports.get('relay-1')).toEqual({
      id: 'relay-1',
      kind: 'relay',
      label: 'Relay 1',
      description: expect.stringContaining('Solid-state relay'),
      direction: 'output',
      state: { active: false, contact: 'open' },
      normalState: 'fail-secure',
      owner: 'io',
      purpose: 'Door',
    });
    expect(ports.get('io-1')).toMatchObject({
      kind: 'io',
      direction: 'input',
      state: { active: false, level: 'open' },
      normalState: 'open',
      owner: 'io',
      purpose: 'I1',
    });
    expect(ports.get('call-button')).toMatchObject({ kind: 'call-button', direction: 'input', state: { pressed: false } });
    expect(ports.get('call-button')!.owner).toBeUndefined();
    expect(ports.get('light-sensor')).toMatchObject({ state: { lux: 200 } });
    expect(ports.get('status-led')).toMatchObject({ direction: 'output', state: { color: 'off', flashing: false } });
    expect(ports.get('speaker')).toMatchObject({ kind: 'speaker', direction: 'output', state: {} });
  });

  it("shows the card reader's LED and last beep and the reader connector's mode, as their holder left them", async () => {
    const cardEcho = fileURLToPath(new URL('../sdk/fixtures/card-echo/', import.meta.url));
    const p = await portier.start({ plugins: ['io', 'card-echo'], kernel: { pluginPaths: [cardEcho] } });
    await p.request('POST', '/api/v1/simulator/cards', { user: ADMIN, body: { chipType: 'hid-prox', uid: '0A0B0C0D0E' } });
    const ports = await portsOf(p);
    expect(ports.get('rfid')).toMatchObject({ kind: 'rfid-reader', owner: 'card-echo', state: { color: 'red', lastBeep: 'error' } });
    expect(ports.get('reader-connector')).toMatchObject({ kind: 'reader-connector', owner: 'card-echo', state: { mode: 'wiegand' } });
  });

  it('follows the hardware: an input closed in the simulator reads active and grounded', async () => {
    const p = await start();
    p.kernel.simulator!.setInput('io-3', true);
    expect((await portsOf(p)).get('io-3')).toMatchObject({ state: { active: true, level: 'grounded' } });
  });
});

describe('PUT /api/v1/ports/{id}/state', () => {
  it('sets a relay through the I/O plugin (operator), which announces io/output', async () => {
    const p = await start();
    await p.http.users.create(OPERATOR.username, 'operator', OPERATOR.password);
    const on = await p.request('PUT', '/api/v1/ports/relay-1/state', { user: OPERATOR, body: { active: true } });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ id: 'relay-1', state: { active: true, contact: 'closed' } });
    expect(p.kernel.simulator!.relayContactClosed('relay-1')).toBe(true);

    const events = await p.request('GET', '/api/v1/events?type=io/output&order=desc&limit=1', { user: ADMIN });
    expect(events.body[0]).toMatchObject({ type: 'io/output', payload: { port: 'relay-1', name: 'Door', active: true } });

    const off = await p.request('PUT', '/api/v1/ports/relay-1/state', { user: OPERATOR, body: { active: false } });
    expect(off.body.state).toEqual({ active: false, contact: 'open' });
  });

  it('sets an I/O configured as an output', async () => {
    const p = await start();
    const settings = (await p.request('GET', '/api/v1/plugins/io/settings', { user: ADMIN })).body.values;
    settings.ports['io-4'].direction = 'output';
    await p.request('PUT', '/api/v1/plugins/io/settings', { user: ADMIN, body: settings });
    const reply = await p.request('PUT', '/api/v1/ports/io-4/state', { user: ADMIN, body: { active: true } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ direction: 'output', state: { active: true, level: 'grounded' } });
  });

  it('refuses inputs, ports that cannot be set, ports the I/O plugin does not hold, and unknown ports', async () => {
    const p = await start();
    const input = await p.request('PUT', '/api/v1/ports/io-1/state', { user: ADMIN, body: { active: true } });
    expect(input.status).toBe(409);
    expect(input.body).toMatchObject({
      code: 'PORT_NOT_OUTPUT',
      message: 'Port "I1" (io-1) is an input; configure it as an output in the I/O plugin\'s settings to set it.',
    });

    const speaker = await p.request('PUT', '/api/v1/ports/speaker/state', { user: ADMIN, body: { active: true } });
    expect(speaker.status).toBe(409);
    expect(speaker.body.code).toBe('PORT_NOT_OUTPUT');

    const unknown = await p.request('PUT', '/api/v1/ports/relay-9/state', { user: ADMIN, body: { active: true } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('PORT_NOT_FOUND');

    const badBody = await p.request('PUT', '/api/v1/ports/relay-1/state', { user: ADMIN, body: { active: 'yes' } });
    expect(badBody.status).toBe(400);
    expect(badBody.body.details).toEqual([{ path: '/body/active', message: expect.any(String) }]);

    const settings = (await p.request('GET', '/api/v1/plugins/io/settings', { user: ADMIN })).body.values;
    settings.ports['relay-2'].use = false;
    await p.request('PUT', '/api/v1/plugins/io/settings', { user: ADMIN, body: settings });
    const unused = await p.request('PUT', '/api/v1/ports/relay-2/state', { user: ADMIN, body: { active: true } });
    expect(unused.status).toBe(409);
    expect(unused.body.code).toBe('PORT_NOT_IN_USE');

    await p.request('POST', '/api/v1/plugins/io/disable', { user: ADMIN });
    const stopped = await p.request('PUT', '/api/v1/ports/relay-1/state', { user: ADMIN, body: { active: true } });
    expect(stopped.status).toBe(409);
    expect(stopped.body).toMatchObject({ code: 'IO_NOT_RUNNING', message: expect.stringContaining('is disabled') });
    expect(p.kernel.simulator!.relayContactClosed('relay-1')).toBe(false);
  });

  it('is for operators and above', async () => {
    const p = await start();
    await p.http.users.create(VIEWER.username, 'viewer', VIEWER.password);
    const reply = await p.request('PUT', '/api/v1/ports/relay-1/state', { user: VIEWER, body: { active: true } });
    expect(reply.status).toBe(403);
    expect(p.kernel.simulator!.relayContactClosed('relay-1')).toBe(false);
  });
});
