import { z } from 'zod';
import { CHIP_TYPES, CHIP_TYPE_NAMES, LED_COLORS, type PortInfo, type PortKind, READER_BEEPS, RS485_BAUD_RATES } from '../../../sdk/ports.js';
import { isPortierError } from '../../../sdk/errors.js';
import { MAX_LOCATION_LENGTH, MAX_PIN_KEYS, MAX_UID_BYTES } from '../../hardware/reader-checks.js';
import { MAX_PROTECTED_ENTRIES } from '../../hardware/simulated-card.js';
import type { Rs485Chunk, SimulatedIntercom } from '../../hardware/simulated-intercom.js';
import type { Kernel } from '../../kernel.js';
import type { App, RouteModule } from '../http-server.js';
import { apiError, errorResponses, portParams } from '../schemas/error-responses.js';
import { boardPort, simulatorOf } from './simulator-access.js';

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

// ---- the card reader and the reader connector ----------------------------------

const HEX_BYTES = /^(?:[0-9a-fA-F]{2})+$/;
const hex = (what: string, maxBytes: number) =>
  z
    .string()
    .max(maxBytes * 2, `expected at most ${maxBytes} bytes`)
    .regex(HEX_BYTES, `expected ${what} as hex in whole bytes (two digits 0-9/A-F each), such as 04A2B3C4`);

/** Default time a card presented over the API stays in the field: a swipe. */
const DEFAULT_HOLD_MS = 500;

const protectedDataSchema = z
  .array(
    z
      .object({
        location: z.string().min(1).max(MAX_LOCATION_LENGTH).describe('Where on the card, as a data set names it: sector:4/block:1, an application id and file, …'),
        key: hex('a key', 4096).describe('The key that reads it (hex)'),
        data: hex('the data', 4096).describe('What is stored there (hex)'),
      })
      .strict(),
  )
  .max(MAX_PROTECTED_ENTRIES)
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      if (seen.has(entry.location)) ctx.addIssue({ code: 'custom', path: [i, 'location'], message: `the location "${entry.location}" is given twice; a card has one content per location` });
      seen.add(entry.location);
    });
  });

const cardBody = z
  .object({
    chipType: z.enum(CHIP_TYPE_NAMES),
    uid: hex('the UID/CSN', MAX_UID_BYTES).describe('As the chip reports it (hex)'),
    protectedData: protectedDataSchema.optional().describe('Data behind keys on the card; readable by the reader only with the right key'),
    holdMs: z.number().int().min(0).max(600_000).optional().describe(`How long the card stays in the field; default ${DEFAULT_HOLD_MS} ms`),
  })
  .strict()
  .superRefine((card, ctx) => {
    if (card.protectedData !== undefined && card.protectedData.length > 0 && !CHIP_TYPES[card.chipType].protectedData) {
      const { label, frequency } = CHIP_TYPES[card.chipType];
      ctx.addIssue({ code: 'custom', path: ['protectedData'], message: `${label} cards (${frequency}) hold only their number, no protected data` });
    }
  });

const pinBody = z
  .object({
    digits: z
      .string()
      .min(1)
      .max(MAX_PIN_KEYS)
      .regex(/^[0-9*#]+$/, 'expected the keys of the keypad: digits, * and #')
      .describe('The keys typed, e.g. 1234 or 1234#'),
  })
  .strict();

const rs485Body = z
  .object({
    hex: z
      .string()
      .max(16_384)
      .regex(/^\s*(?:[0-9a-fA-F]{2}\s*)+$/, 'expected bytes as hex in whole bytes, spaces allowed between them, such as "53 00 08 00"')
      .describe('The bytes a door controller sends to the device (hex)'),
  })
  .strict();
const rs485Query = z.object({ afterSeq: z.coerce.number().int().nonnegative().optional().describe('Only chunks after this seq') }).strict();

const pulseSchema = z.object({ line: z.enum(['D0', 'D1']), atMicros: z.number(), widthMicros: z.number() });
const connectorBase = {
  port: z.string(),
  owner: z.string().optional().describe('The plugin that holds the reader connector'),
  mode: z.enum(['off', 'wiegand', 'rs485']).describe('off while no plugin holds the connector'),
  baudRate: z.union(RS485_BAUD_RATES.map((rate) => z.literal(rate))).describe('RS-485 speed'),
};

const readerViewSchema = z
  .object({
    reader: z.object({
      port: z.string(),
      owner: z.string().optional().describe('The plugin that holds the RFID reader'),
      card: z.object({ chipType: z.enum(CHIP_TYPE_NAMES), uid: z.string(), at: z.number() }).nullable().describe('The card in the field, if any'),
      led: z.enum(LED_COLORS),
      lastBeep: z.enum([...READER_BEEPS, 'none']),
      beeps: z.array(z.object({ beep: z.enum(READER_BEEPS), at: z.number() })).describe('The latest beeps, oldest first'),
    }),
    connector: z.object({
      ...connectorBase,
      wiegand: z
        .array(z.object({ seq: z.number(), at: z.number(), bits: z.string().describe('D0 → 0, D1 → 1'), pulses: z.array(pulseSchema) }))
        .describe('The latest Wiegand trains sent, oldest first'),
    }),
  })
  .describe('The simulated card reader: the card in the field, LED and beeper, and the Wiegand trains sent');

const chunkSchema = z.object({ seq: z.number(), at: z.number(), hex: z.string() });
const rs485ViewSchema = z
  .object({
    ...connectorBase,
    fromDevice: z.array(chunkSchema).describe('What the device wrote, one write per chunk, oldest first'),
    toDevice: z.array(chunkSchema).describe('What was sent to the device, oldest first'),
  })
  .describe("The reader connector's RS-485 line, both ways");

type ReaderView = z.output<typeof readerViewSchema>;
type Rs485View = z.output<typeof rs485ViewSchema>;

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
const chunkView = (chunk: Rs485Chunk) => ({ seq: chunk.seq, at: chunk.at, hex: toHex(chunk.bytes) });

function withOwner<T extends object>(kernel: Kernel, portId: string, view: T): T & { owner?: string } {
  const owner = kernel.ports.holder(portId)?.owner;
  return owner === undefined ? view : { ...view, owner };
}

function readerView(kernel: Kernel, sim: SimulatedIntercom, readerId: string, connectorId: string): ReaderView {
  const card = sim.cardInField(readerId);
  const feedback = sim.readerFeedback(readerId);
  const setting = sim.readerConnector(connectorId);
  return {
    reader: withOwner(kernel, readerId, {
      port: readerId,
      card: card === undefined ? null : { chipType: card.chipType, uid: card.uid, at: card.at },
      ...feedback,
    }),
    connector: withOwner(kernel, connectorId, {
      port: connectorId,
      ...setting,
      wiegand: sim.wiegandTrains(connectorId).map((train) => ({ seq: train.seq, at: train.at, bits: train.bits, pulses: train.pulses.map((p) => ({ ...p })) })),
    }),
  };
}

function rs485View(kernel: Kernel, sim: SimulatedIntercom, connectorId: string, afterSeq = 0): Rs485View {
  const log = sim.rs485Log(connectorId, afterSeq);
  return withOwner(kernel, connectorId, {
    port: connectorId,
    ...sim.readerConnector(connectorId),
    fromDevice: log.fromDevice.map(chunkView),
    toDevice: log.toDevice.map(chunkView),
  });
}

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
 * the light, present a card, type a PIN; and as a door controller would on
 * the reader connector: read the Wiegand trains, talk RS-485. Refused (409)
 * when a real driver runs the board.
 */
export function simulatorRoutes(kernel: Kernel): RouteModule {
  const need = (): SimulatedIntercom => simulatorOf(kernel);
  const port = (id: string, kinds: readonly PortKind[], what: string): PortInfo => boardPort(kernel, id, kinds, what);
  const only = (kind: PortKind, what: string): PortInfo => {
    const found = kernel.board.ports.find((p) => p.kind === kind);
    if (found === undefined) throw apiError(404, 'PORT_NOT_FOUND', `This board has no ${what}.`);
    return found;
  };
  const response = { 200: simulatorSchema, ...errorResponses(409) };
  const changeResponse = { 200: simulatorSchema, ...errorResponses(404, 409) };
  const readerResponse = { 200: readerViewSchema, ...errorResponses(404, 409) };
  const rs485Response = { 200: rs485ViewSchema, ...errorResponses(404, 409) };
  const readerPorts = (): { reader: string; connector: string } => ({
    reader: only('rfid-reader', 'RFID reader').id,
    connector: only('reader-connector', 'reader connector').id,
  });
  const showReader = (sim: SimulatedIntercom): ReaderView => {
    const { reader, connector } = readerPorts();
    return readerView(kernel, sim, reader, connector);
  };

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

    app.get(
      '/simulator/reader',
      {
        config: { access: 'operator' },
        schema: { tags: ['simulator'], summary: 'The card in the field, the reader LED and beeper, and the Wiegand trains sent', response: readerResponse },
      },
      () => showReader(need()),
    );

    app.post(
      '/simulator/cards',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['simulator'],
          summary: `Present a card to the RFID reader (it leaves after holdMs, default ${DEFAULT_HOLD_MS} ms; a card already there leaves first)`,
          body: cardBody,
          response: readerResponse,
        },
      },
      (request) => {
        const sim = need();
        const { reader } = readerPorts();
        const { holdMs, ...card } = request.body;
        sim.presentCard(card, { holdMs: holdMs ?? DEFAULT_HOLD_MS, port: reader });
        return showReader(sim);
      },
    );

    app.delete(
      '/simulator/cards',
      {
        config: { access: 'operator' },
        schema: { tags: ['simulator'], summary: 'Take the card away from the RFID reader (nothing happens when there is none)', response: readerResponse },
      },
      () => {
        const sim = need();
        sim.removeCard(readerPorts().reader);
        return showReader(sim);
      },
    );

    app.post(
      '/simulator/pin',
      {
        config: { access: 'operator' },
        schema: { tags: ['simulator'], summary: "Type a PIN on the display's keypad (it goes to the RFID reader's holder)", body: pinBody, response: readerResponse },
      },
      (request) => {
        const sim = need();
        sim.typePin(request.body.digits, readerPorts().reader);
        return showReader(sim);
      },
    );

    app.get(
      '/simulator/rs485',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['simulator'],
          summary: "The reader connector's RS-485 line: what the device wrote and what was sent to it",
          querystring: rs485Query,
          response: rs485Response,
        },
      },
      (request) => {
        const sim = need();
        return rs485View(kernel, sim, readerPorts().connector, request.query.afterSeq);
      },
    );

    app.post(
      '/simulator/rs485',
      {
        config: { access: 'operator' },
        schema: {
          tags: ['simulator'],
          summary: 'Send bytes to the device on RS-485, as a door controller would (409 unless the connector is in RS-485 mode)',
          body: rs485Body,
          response: rs485Response,
        },
      },
      (request) => {
        const sim = need();
        const { connector } = readerPorts();
        const bytes = Uint8Array.from(Buffer.from(request.body.hex.replace(/\s+/g, ''), 'hex'));
        try {
          sim.sendToDevice(bytes, connector);
        } catch (error) {
          if (isPortierError(error) && error.code === 'READER_CONNECTOR_NOT_RS485') throw apiError(409, error.code, error.message);
          throw error;
        }
        return rs485View(kernel, sim, connector);
      },
    );
  };
}
