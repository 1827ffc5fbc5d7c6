import { CHIP_TYPES, CHIP_TYPE_NAMES, LED_COLORS, READER_BEEPS, RS485_BAUD_RATES, z } from 'portier/sdk';
import { CARD_FORMAT_NAMES, KEYPRESS_FORMAT_NAMES, PULSE_TIMING_LIMITS } from './wiegand/index.js';

/**
 * The reader's settings, as the manual's "Reader" pages have them: chip types
 * on or off, data sets for protected card data, the connection to a door
 * controller, and the LED/beeper answers to an access decision. Secrets (a
 * data set's key, the OSDP base key, the controller's password) are marked
 * writeOnly: the API shows them masked and exports them as placeholders.
 */

const hex = (what: string) => z.string().regex(/^(?:[0-9a-fA-F]{2})+$/, `${what} must be hex in whole bytes (two digits 0-9/A-F each)`);
const secret = <T extends z.ZodType>(schema: T): T => schema.meta({ writeOnly: true }) as T;

/** The I/O ports a Wiegand door controller's LED and beeper lines can be wired to. */
export const IO_INPUTS = ['io-1', 'io-2', 'io-3', 'io-4'] as const;
export type IoInput = (typeof IO_INPUTS)[number];

/** Every chip type on by default: the manual recommends narrowing the list, but starts from all. */
const chipTypesSchema = z
  .object(Object.fromEntries(CHIP_TYPE_NAMES.map((name) => [name, z.boolean().default(true).describe(CHIP_TYPES[name].label)])) as Record<
    (typeof CHIP_TYPE_NAMES)[number],
    z.ZodDefault<z.ZodBoolean>
  >)
  .strict()
  .prefault({});

const dataSetSchema = z
  .object({
    chipType: z.enum(CHIP_TYPE_NAMES),
    location: z.string().trim().min(1, 'where the data is on the card, e.g. sector:4/block:1').max(200),
    key: secret(hex('The key').max(8192).describe('The key that reads the protected data (hex); never shown again')),
    useAsUid: z.boolean().default(false).describe('Send the protected data instead of the card UID/CSN'),
    required: z.boolean().default(false).describe('Cards without readable data here are silently ignored'),
  })
  .strict();

const ledColor = z.enum(LED_COLORS);

const wiegandSchema = z
  .object({
    cardFormat: z.enum(CARD_FORMAT_NAMES).default('h10301'),
    keypressFormat: z.enum(KEYPRESS_FORMAT_NAMES).default('fourbit'),
    pulseWidthMicros: z
      .number()
      .int()
      .min(PULSE_TIMING_LIMITS.pulseWidthMicros.min)
      .max(PULSE_TIMING_LIMITS.pulseWidthMicros.max)
      .default(50),
    pulseIntervalMicros: z
      .number()
      .int()
      .min(PULSE_TIMING_LIMITS.pulseIntervalMicros.min)
      .max(PULSE_TIMING_LIMITS.pulseIntervalMicros.max)
      .default(2000),
    beeper: z
      .object({
        enabled: z.boolean().default(false).describe('The door controller drives the reader beeper through an input'),
        input: z.enum(IO_INPUTS).default('io-3'),
      })
      .strict()
      .prefault({}),
    led: z
      .object({
        inputs: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0).describe('How many inputs the door controller uses for the LED'),
        led1Input: z.enum(IO_INPUTS).default('io-1'),
        led2Input: z.enum(IO_INPUTS).default('io-2'),
        colors: z
          .object({
            idle: ledColor.default('red').describe('No LED input active'),
            led1: ledColor.default('green').describe('LED1 input active'),
            led2: ledColor.default('amber').describe('LED2 input active'),
            both: ledColor.default('amber').describe('Both inputs active'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

const osdpSchema = z
  .object({
    address: z.number().int().min(0).max(126).default(0),
    baudRate: z
      .union(RS485_BAUD_RATES.map((rate) => z.literal(rate)) as unknown as [z.ZodLiteral<9600>, ...z.ZodLiteral<(typeof RS485_BAUD_RATES)[number]>[]])
      .default(9600),
    scbk: secret(
      z
        .union([z.literal(''), hex('The secure channel base key').length(32, 'the secure channel base key is 16 bytes (32 hex digits)')])
        .default('')
        .describe('Secure channel base key (16 bytes hex); empty until the controller sets one'),
    ),
    installMode: z.boolean().default(true).describe('Accept a secure channel on the default key (SCBK-D) until the controller sets one'),
    requireSecureChannel: z.boolean().default(false),
  })
  .strict()
  .prefault({});

const networkSchema = z
  .object({
    // HTTPS only: the controller is sent credentials and a password.
    controllerUrl: z.union([z.literal(''), z.url({ protocol: /^https$/, error: 'expected the https:// address of the door controller' })]).default(''),
    verifyCertificate: z.boolean().default(true),
    ca: z.string().max(20_000).default('').describe("PEM of the CA (or the self-signed certificate) that vouches for the controller; empty: the system's CAs"),
    readerId: z.string().trim().min(1).max(100).default('entrance').describe("Which reader of the controller's door this intercom is"),
    username: z.string().max(200).default(''),
    password: secret(z.string().max(200).default('')),
    timeoutMs: z.number().int().min(500).max(60_000).default(5000),
  })
  .strict()
  .prefault({});

const feedbackSchema = z
  .object({ led: ledColor, beep: z.enum([...READER_BEEPS, 'none']) })
  .strict();

export const readerSettingsSchema = z
  .object({
    chipTypes: chipTypesSchema,
    dataSets: z.array(dataSetSchema).max(32).default([]),
    connection: z
      .object({
        type: z.enum(['none', 'wiegand', 'osdp', 'network']).default('none').describe('One at a time: standalone, Wiegand, OSDP or a network door controller'),
        wiegand: wiegandSchema,
        osdp: osdpSchema,
        network: networkSchema,
      })
      .strict()
      .prefault({}),
    feedback: z
      .object({
        idle: ledColor.default('off'),
        granted: feedbackSchema.default({ led: 'green', beep: 'short' }),
        denied: feedbackSchema.default({ led: 'red', beep: 'error' }),
        /** How long the decision's colour stays before the LED goes back to idle. */
        holdMs: z.number().int().min(100).max(60_000).default(3000),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((settings, ctx) => {
    settings.dataSets.forEach((set, i) => {
      if (!CHIP_TYPES[set.chipType].protectedData) {
        ctx.addIssue({
          code: 'custom',
          path: ['dataSets', i, 'chipType'],
          message: `${CHIP_TYPES[set.chipType].label} cards hold only their number, no protected data`,
        });
      }
      // Two data sets for one chip type would make "which data is the credential" ambiguous.
      if (settings.dataSets.findIndex((other) => other.chipType === set.chipType) !== i) {
        ctx.addIssue({ code: 'custom', path: ['dataSets', i, 'chipType'], message: `${set.chipType} already has a data set` });
      }
    });
    const { wiegand, network } = settings.connection;
    if (wiegand.pulseWidthMicros >= wiegand.pulseIntervalMicros) {
      ctx.addIssue({
        code: 'custom',
        path: ['connection', 'wiegand', 'pulseWidthMicros'],
        message: `the pulse width must be shorter than the pulse interval (${wiegand.pulseIntervalMicros} µs)`,
      });
    }
    // The manual warns that a reused I/O silently breaks its events; one line, one purpose.
    const used = new Map<string, string>();
    const use = (port: string, what: string, path: (string | number)[]): void => {
      const other = used.get(port);
      if (other !== undefined) ctx.addIssue({ code: 'custom', path, message: `${port} is already the ${other}` });
      else used.set(port, what);
    };
    if (wiegand.beeper.enabled) use(wiegand.beeper.input, 'beeper input', ['connection', 'wiegand', 'beeper', 'input']);
    if (wiegand.led.inputs >= 1) use(wiegand.led.led1Input, 'LED1 input', ['connection', 'wiegand', 'led', 'led1Input']);
    if (wiegand.led.inputs >= 2) use(wiegand.led.led2Input, 'LED2 input', ['connection', 'wiegand', 'led', 'led2Input']);
    // The address is not a secret (settings and GET /status show it); a password inside it would be shown with it.
    if (network.controllerUrl !== '' && URL.canParse(network.controllerUrl)) {
      const url = new URL(network.controllerUrl);
      if (url.username !== '' || url.password !== '') {
        ctx.addIssue({
          code: 'custom',
          path: ['connection', 'network', 'controllerUrl'],
          message: 'give the username and password in their own fields, not in the address (the address is shown, the password is not)',
        });
      }
    }
    if (settings.connection.type === 'network' && network.controllerUrl === '') {
      ctx.addIssue({ code: 'custom', path: ['connection', 'network', 'controllerUrl'], message: 'a network door controller needs its URL' });
    }
  });

export type ReaderSettings = z.output<typeof readerSettingsSchema>;
export type DataSet = ReaderSettings['dataSets'][number];
export type WiegandSettings = ReaderSettings['connection']['wiegand'];
export type OsdpSettings = ReaderSettings['connection']['osdp'];
export type NetworkSettings = ReaderSettings['connection']['network'];
export type FeedbackSettings = ReaderSettings['feedback'];
