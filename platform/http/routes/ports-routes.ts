import { z } from 'zod';
import { PORT_KINDS, type PortInfo, type PortKind } from '../../../sdk/ports.js';
import { IO_SERVICE } from '../../../sdk/services/io.js';
import type { Kernel } from '../../kernel.js';
import type { App, RouteModule } from '../http-server.js';
import { apiError, errorResponses } from '../schemas/error-responses.js';

const portStateSchema = z
  .object({
    active: z.boolean().optional().describe('Relays and I/O: the logical state (a door relay active = unlocked); unknown for an I/O nobody configures'),
    contact: z.enum(['open', 'closed']).optional().describe('Relays: the contact, after the normal state is applied'),
    level: z.enum(['open', 'grounded']).optional().describe('I/O: the electrical level of the line'),
    pressed: z.boolean().optional().describe('Buttons'),
    motion: z.boolean().optional().describe('PIR sensor'),
    lux: z.number().optional().describe('Light sensor'),
    color: z.enum(['off', 'green', 'red', 'amber']).optional().describe('Status LED; the card reader\'s LED'),
    flashing: z.boolean().optional().describe('Status LED'),
    lastBeep: z.enum(['none', 'short', 'long', 'double', 'error']).optional().describe('Card reader: the last beep it played'),
    mode: z.enum(['wiegand', 'rs485']).optional().describe('Reader connector: Wiegand (D0/D1) or RS-485 (OSDP), as its holder set it'),
    baudRate: z.number().int().optional().describe('Reader connector in RS-485 mode'),
  })
  .describe('What can be read of the port now; fields that do not apply to its kind are absent');

const portSchema = z
  .object({
    id: z.string(),
    kind: z.enum(PORT_KINDS),
    label: z.string(),
    description: z.string(),
    direction: z.enum(['input', 'output', 'both']).describe('I/O: as configured (an unused I/O is an input)'),
    state: portStateSchema,
    normalState: z
      .string()
      .optional()
      .describe('Relays: fail-secure or fail-safe; I/O: open or grounded (the level at rest). Set by the plugin that holds the port'),
    owner: z.string().optional().describe('The plugin that holds the port'),
    purpose: z.string().optional().describe('What the owner holds it for'),
  })
  .describe('Port');

const portIdParams = z.object({ id: z.string().min(1).max(100) }).strict();
const stateBody = z.object({ active: z.boolean().describe('true: active (a door relay unlocks); false: back to rest') }).strict();

/** Which way signals go on a port of each kind; an I/O says for itself. */
const DIRECTION: Record<PortKind, 'input' | 'output' | 'both'> = {
  relay: 'output',
  io: 'input',
  'reader-connector': 'both',
  'audio-in': 'input',
  'audio-out': 'output',
  speaker: 'output',
  microphone: 'input',
  display: 'output',
  'rfid-reader': 'input',
  pir: 'input',
  'light-sensor': 'input',
  'control-button': 'input',
  'call-button': 'input',
  'status-led': 'output',
};

type PortView = z.output<typeof portSchema>;
type PortState = z.output<typeof portStateSchema>;

/** A driver that cannot read a port leaves its state unknown rather than failing the whole list. */
function read<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    return undefined;
  }
}

function portView(kernel: Kernel, port: PortInfo): PortView {
  const view: PortView = { id: port.id, kind: port.kind, label: port.label, description: port.description, direction: DIRECTION[port.kind], state: {} };
  const claim = kernel.ports.holder(port.id);
  if (claim !== undefined) {
    view.owner = claim.owner;
    view.purpose = claim.purpose;
  }
  const handle = kernel.ports.handle(port.id);
  const { driver, simulator } = kernel;
  const state: PortState = {};
  switch (port.kind) {
    case 'relay': {
      if (handle?.kind === 'relay') {
        state.active = handle.active;
        state.contact = handle.contactClosed ? 'closed' : 'open';
        view.normalState = handle.normalState;
      } else {
        // A released relay rests; only the simulator can say how its contact stands.
        state.active = false;
        const closed = read(() => simulator?.relayContactClosed(port.id));
        if (closed !== undefined) state.contact = closed ? 'closed' : 'open';
      }
      break;
    }
    case 'io': {
      const grounded = read(() => driver.readIoInput(port.id));
      if (grounded !== undefined) state.level = grounded ? 'grounded' : 'open';
      if (handle?.kind === 'io') {
        view.direction = handle.direction;
        view.normalState = handle.normalState;
        state.active = handle.active;
      }
      break;
    }
    case 'call-button':
    case 'control-button': {
      const pressed = read(() => driver.readButton(port.id));
      if (pressed !== undefined) state.pressed = pressed;
      break;
    }
    case 'pir': {
      const motion = read(() => driver.readPir(port.id));
      if (motion !== undefined) state.motion = motion;
      break;
    }
    case 'light-sensor': {
      const lux = read(() => driver.readLight(port.id));
      if (lux !== undefined) state.lux = lux;
      break;
    }
    case 'status-led': {
      const led = handle?.kind === 'status-led' ? { color: handle.color, flashing: handle.flashing } : read(() => simulator?.statusLed(port.id));
      if (led !== undefined) Object.assign(state, led);
      break;
    }
    case 'rfid-reader': {
      if (handle?.kind === 'rfid-reader') {
        state.color = handle.feedbackState.led;
        state.lastBeep = handle.feedbackState.lastBeep;
      }
      break;
    }
    case 'reader-connector': {
      if (handle?.kind === 'reader-connector') {
        state.mode = handle.mode;
        if (handle.mode === 'rs485') state.baudRate = handle.baudRate;
      }
      break;
    }
    default:
      break;
  }
  view.state = state;
  return view;
}

function needPort(kernel: Kernel, id: string): PortInfo {
  const port = kernel.board.ports.find((p) => p.id === id);
  if (port === undefined) {
    throw apiError(404, 'PORT_NOT_FOUND', `This board has no port "${id}" (ports: ${kernel.board.ports.map((p) => p.id).join(', ')}).`);
  }
  return port;
}

/**
 * The board's ports: who holds each, and its live state; and setting a relay
 * or output by hand, through the I/O plugin that holds it, so its names,
 * normal states and `io/output` events apply as for a rule.
 */
export function portsRoutes(kernel: Kernel): RouteModule {
  return (app: App) => {
    app.get(
      '/ports',
      {
        config: { access: 'viewer' },
        schema: { tags: ['ports'], summary: 'Every port of the board with its owner and live state', response: { 200: z.array(portSchema), ...errorResponses() } },
      },
      () => kernel.board.ports.map((port) => portView(kernel, port)),
    );

    app.put(
      '/ports/:id/state',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['ports'],
          summary: 'Set a relay or output port active or back to rest (through the I/O plugin)',
          params: portIdParams,
          body: stateBody,
          response: { 200: portSchema, ...errorResponses(404, 409) },
        },
      },
      (request) => {
        const port = needPort(kernel, request.params.id);
        if (port.kind !== 'relay' && port.kind !== 'io') {
          throw apiError(409, 'PORT_NOT_OUTPUT', `Port ${port.id} is a ${port.kind}; only relays and I/O ports configured as outputs can be set here.`);
        }
        const io = kernel.service(IO_SERVICE);
        if (io === undefined) {
          const why = kernel.host.whyNotRunning('io') ?? 'is not running';
          throw apiError(409, 'IO_NOT_RUNNING', `Relays and outputs are set through the I/O plugin, which ${why}; start it first.`);
        }
        const named = io.find(port.id);
        if (named === undefined) {
          const holder = kernel.ports.holder(port.id);
          if (holder !== undefined) {
            throw apiError(409, 'PORT_CLAIMED', `Port ${port.id} is held by plugin "${holder.owner}" for "${holder.purpose}"; only ports the I/O plugin holds can be set here.`);
          }
          throw apiError(409, 'PORT_NOT_IN_USE', `Port ${port.id} is not in use; turn on "use" for it in the I/O plugin's settings first.`);
        }
        if (named.direction !== 'output') {
          throw apiError(409, 'PORT_NOT_OUTPUT', `Port "${named.name}" (${port.id}) is an input; configure it as an output in the I/O plugin's settings to set it.`);
        }
        io.setOutput(port.id, request.body.active);
        return portView(kernel, port);
      },
    );
  };
}
