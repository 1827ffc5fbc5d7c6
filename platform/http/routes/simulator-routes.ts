import { z } from 'zod';
import type { PortInfo, PortKind } from '../../../sdk/ports.js';
import type { SimulatedIntercom } from '../../hardware/simulated-intercom.js';
import type { Kernel } from '../../kernel.js';
import type { App, RouteModule } from '../http-server.js';
import { apiError, errorResponses, portParams } from '../schemas/error-responses.js';

const simulatorSchema = z
  .object({
    relays: z.array(z.object({ port: z.string(), contactClosed: z.boolean() })),
    io: z.array(z.object({ port: z.string(), direction: z.enum(['input', 'output']), grounded: z.boolean().describe('The level of the line') })),
    buttons: z.array(z.object({ port: z.string(), kind: z.enum(['call-button', 'control-button']), pressed: z.boolean() })),
    statusLeds: z.array(z.object({ port: z.string(), color: z.enum(['off', 'green', 'red', 'amber']), flashing: z.boolean() })),
    pir: z.array(z.object({ port: z.string(), motion: z.boolean() })),
    lightSensors: z.array(z.object({ port: z.string(), lux: z.number() })),
  })
  .describe('The simulated intercom, in electrical terms');

const inputBody = z
  .object({ closed: z.boolean().describe('The external contact wired to the input: closed grounds the line') })
  .strict();
const pirBody = z.object({ motion: z.boolean() }).strict();
const lightBody = z.object({ lux: z.number().min(0).max(200_000) }).strict();

type SimulatorView = z.output<typeof simulatorSchema>;

function view(kernel: Kernel, sim: SimulatedIntercom): SimulatorView {
  const out: SimulatorView = { relays: [], io: [], buttons: [], statusLeds: [], pir: [], lightSensors: [] };
  for (const port of kernel.board.ports) {
    switch (port.kind) {
      case 'relay':
        out.relays.push({ port: port.id, contactClosed: sim.relayContactClosed(port.id) });
        break;
      case 'io':
        out.io.push({ port: port.id, ...sim.ioLine(port.id) });
        break;
      case 'call-button':
      case 'control-button':
        out.buttons.push({ port: port.id, kind: port.kind, pressed: sim.readButton(port.id) });
        break;
      case 'status-led':
        out.statusLeds.push({ port: port.id, ...sim.statusLed(port.id) });
        break;
      case 'pir':
        out.pir.push({ port: port.id, motion: sim.readPir(port.id) });
        break;
      case 'light-sensor':
        out.lightSensors.push({ port: port.id, lux: sim.readLight(port.id) });
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * Driving the simulated intercom over the API, as a person at the door
 * would: close an input's contact, press a button, walk past the PIR, dim
 * the light. Refused (409) when a real driver runs the board.
 */
export function simulatorRoutes(kernel: Kernel): RouteModule {
  const need = (): SimulatedIntercom => {
    const sim = kernel.simulator;
    if (sim === undefined) {
      throw apiError(409, 'SIMULATOR_NOT_ACTIVE', `The board is driven by "${kernel.driver.name}", not the simulator; there is nothing to simulate.`);
    }
    return sim;
  };
  const port = (id: string, kinds: readonly PortKind[], what: string): PortInfo => {
    const found = kernel.board.ports.find((p) => p.id === id && kinds.includes(p.kind));
    if (found === undefined) {
      const known = kernel.board.ports.filter((p) => kinds.includes(p.kind)).map((p) => p.id);
      throw apiError(404, 'PORT_NOT_FOUND', `This board has no ${what} "${id}" (${what}s: ${known.join(', ') || 'none'}).`);
    }
    return found;
  };
  const only = (kind: PortKind, what: string): PortInfo => {
    const found = kernel.board.ports.find((p) => p.kind === kind);
    if (found === undefined) throw apiError(404, 'PORT_NOT_FOUND', `This board has no ${what}.`);
    return found;
  };
  const response = { 200: simulatorSchema, ...errorResponses(409) };
  const changeResponse = { 200: simulatorSchema, ...errorResponses(404, 409) };

  return (app: App) => {
    app.get(
      '/simulator',
      { config: { access: 'operator' }, schema: { tags: ['simulator'], summary: 'Relay contacts, I/O lines, buttons, LED and sensors of the simulated intercom', response } },
      () => view(kernel, need()),
    );

    app.put(
      '/simulator/inputs/:port',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['simulator'],
          summary: 'Close or open the contact wired to an I/O input',
          params: portParams,
          body: inputBody,
          response: changeResponse,
        },
      },
      (request) => {
        const sim = need();
        const { id } = port(request.params.port, ['io'], 'I/O port');
        if (sim.ioLine(id).direction !== 'input') {
          throw apiError(409, 'PORT_NOT_INPUT', `Port ${id} is configured as an output; only an input can be set from outside.`);
        }
        sim.setInput(id, request.body.closed);
        return view(kernel, sim);
      },
    );

    app.post(
      '/simulator/buttons/:port/press',
      {
        config: { access: 'operator' },
        schema: { tags: ['simulator'], summary: 'Press and release a button (call-button, control-button)', params: portParams, response: changeResponse },
      },
      (request) => {
        const sim = need();
        sim.pressButton(port(request.params.port, ['call-button', 'control-button'], 'button').id);
        return view(kernel, sim);
      },
    );

    app.put(
      '/simulator/pir',
      {
        config: { access: 'operator' },
        schema: { tags: ['simulator'], summary: 'Motion in front of the PIR sensor, or none', body: pirBody, response: changeResponse },
      },
      (request) => {
        const sim = need();
        sim.setMotion(only('pir', 'PIR sensor').id, request.body.motion);
        return view(kernel, sim);
      },
    );

    app.put(
      '/simulator/light',
      {
        config: { access: 'operator' },
        schema: { tags: ['simulator'], summary: 'The ambient light the light sensor reads', body: lightBody, response: changeResponse },
      },
      (request) => {
        const sim = need();
        sim.setLux(only('light-sensor', 'light sensor').id, request.body.lux);
        return view(kernel, sim);
      },
    );
  };
}
