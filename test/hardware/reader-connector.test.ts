import { beforeEach, describe, expect, it } from 'vitest';
import { AXIS_I8307_VE } from '../../platform/hardware/board.js';
import type { ListenerGuard } from '../../platform/hardware/port-handles.js';
import { PortRegistry } from '../../platform/hardware/port-registry.js';
import { SimulatedIntercom } from '../../platform/hardware/simulated-intercom.js';
import type { ReaderConnectorPort, WiegandPulse } from '../../sdk/ports.js';
import { FakeClock } from '../../sdk/testing/fake-clock.js';

/** H10301 26-bit, facility 1, card 1: even parity, 8 facility bits, 16 card bits, odd parity. */
const H10301_BITS = '10000000100000000000000010';
const train = (bits: string, intervalMicros = 2000, widthMicros = 50): WiegandPulse[] =>
  [...bits].map((bit, i) => ({ line: bit === '1' ? 'D1' : 'D0', atMicros: i * intervalMicros, widthMicros }));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('the reader connector port', () => {
  let clock: FakeClock;
  let sim: SimulatedIntercom;
  let ports: PortRegistry;
  const guard: ListenerGuard = (listener) => listener;
  const claim = (owner = 'reader'): ReaderConnectorPort =>
    ports.claim({ owner, portId: 'reader-connector', kind: 'reader-connector', purpose: 'Door controller', allowedKinds: ['reader-connector'], guard });

  beforeEach(() => {
    clock = new FakeClock();
    sim = new SimulatedIntercom(AXIS_I8307_VE, { clock });
    ports = new PortRegistry(AXIS_I8307_VE, sim);
  });

  it('is off until claimed, starts in Wiegand mode, and a second claim names the holder', () => {
    expect(sim.readerConnector()).toEqual({ mode: 'off', baudRate: 9600 });
    const connector = claim();
    expect({ mode: connector.mode, baudRate: connector.baudRate }).toEqual({ mode: 'wiegand', baudRate: 9600 });
    expect(sim.readerConnector()).toEqual({ mode: 'wiegand', baudRate: 9600 });
    expect(() => claim('osdp-bridge')).toThrow(
      expect.objectContaining({
        code: 'PORT_CLAIMED',
        message:
          'Port reader-connector (Reader connector) is already claimed by plugin "reader" for "Door controller"; "osdp-bridge" cannot claim it for "Door controller". Free it in "reader" first.',
      }),
    );
  });

  it('records each Wiegand train exactly as sent, as its own copy', async () => {
    const connector = claim();
    const sent = train(H10301_BITS);
    const seen: number[] = [];
    sim.onWiegandTrain((t) => seen.push(t.seq));
    connector.sendWiegand(sent);
    await clock.advance(1000);
    connector.sendWiegand(train('0001', 1000, 100));
    sent[0]!.line = 'D0';
    const trains = sim.wiegandTrains();
    expect(trains).toEqual([
      { seq: 1, at: clock.now() - 1000, bits: H10301_BITS, pulses: train(H10301_BITS) },
      {
        seq: 2,
        at: clock.now(),
        bits: '0001',
        pulses: [
          { line: 'D0', atMicros: 0, widthMicros: 100 },
          { line: 'D0', atMicros: 1000, widthMicros: 100 },
          { line: 'D0', atMicros: 2000, widthMicros: 100 },
          { line: 'D1', atMicros: 3000, widthMicros: 100 },
        ],
      },
    ]);
    expect(seen).toEqual([1, 2]);
    expect(sim.wiegandTrains(undefined, 1).map((t) => t.seq)).toEqual([2]);
  });

  it('refuses trains no wire can carry, and sends nothing of them', () => {
    const connector = claim();
    const cases: [unknown, string][] = [
      [[], 'A Wiegand train needs at least one pulse; an empty train sends nothing.'],
      [[{ line: 'D2', atMicros: 0, widthMicros: 50 }], 'A Wiegand train has pulse 1 on line "D2"; the lines are D0 and D1.'],
      [[{ line: 'D0', atMicros: -1, widthMicros: 50 }], 'A Wiegand train has pulse 1 at -1; times are whole microseconds from 0.'],
      [[{ line: 'D0', atMicros: 0.5, widthMicros: 50 }], 'A Wiegand train has pulse 1 at 0.5; times are whole microseconds from 0.'],
      [[{ line: 'D1', atMicros: 0, widthMicros: 0 }], 'A Wiegand train has pulse 1 0 µs wide; a width is whole microseconds above 0.'],
      [
        [
          { line: 'D0', atMicros: 0, widthMicros: 50 },
          { line: 'D1', atMicros: 40, widthMicros: 50 },
        ],
        'A Wiegand train has pulse 2 at 40 µs, before the pulse ahead of it ended (50 µs); pulses go in time order and never overlap.',
      ],
      [
        [
          { line: 'D0', atMicros: 2000, widthMicros: 50 },
          { line: 'D1', atMicros: 0, widthMicros: 50 },
        ],
        'A Wiegand train has pulse 2 at 0 µs, before the pulse ahead of it ended (2050 µs); pulses go in time order and never overlap.',
      ],
      ['1010', 'A Wiegand train is a list of pulses; found "1010".'],
    ];
    for (const [pulses, message] of cases) {
      expect(() => connector.sendWiegand(pulses as never), message).toThrow(expect.objectContaining({ code: 'WIEGAND_TRAIN_INVALID', message }));
    }
    // Back to back is fine: the next pulse may start as the last one ends.
    connector.sendWiegand([
      { line: 'D0', atMicros: 0, widthMicros: 50 },
      { line: 'D1', atMicros: 50, widthMicros: 50 },
    ]);
    expect(sim.wiegandTrains().map((t) => t.bits)).toEqual(['01']);
  });

  it('works in one mode at a time', () => {
    const connector = claim();
    expect(() => connector.write(Uint8Array.of(1))).toThrow(
      expect.objectContaining({
        code: 'READER_CONNECTOR_WRONG_MODE',
        message: "The reader connector reader-connector is in Wiegand mode; configure({ mode: 'rs485' }) before you write bytes.",
      }),
    );
    expect(() => sim.sendToDevice(Uint8Array.of(1))).toThrow(
      expect.objectContaining({
        code: 'READER_CONNECTOR_NOT_RS485',
        message: 'Nothing on the device listens on RS-485: the reader connector reader-connector is in Wiegand mode. The plugin that holds it must set it to RS-485 first.',
      }),
    );
    connector.configure({ mode: 'rs485', baudRate: 115200 });
    expect(sim.readerConnector()).toEqual({ mode: 'rs485', baudRate: 115200 });
    expect(() => connector.sendWiegand(train('1'))).toThrow(
      expect.objectContaining({
        code: 'READER_CONNECTOR_WRONG_MODE',
        message: "The reader connector reader-connector is in RS-485 mode; configure({ mode: 'wiegand' }) before you send a Wiegand train.",
      }),
    );
    expect(() => connector.configure({ mode: 'serial' as never })).toThrow(
      expect.objectContaining({ code: 'READER_CONNECTOR_CONFIG_INVALID', message: 'The reader connector runs in mode "wiegand" or "rs485"; found "serial".' }),
    );
    expect(() => connector.configure({ mode: 'rs485', baudRate: 14400 as never })).toThrow(
      expect.objectContaining({ code: 'READER_CONNECTOR_CONFIG_INVALID', message: 'The RS-485 line runs at 9600, 19200, 38400, 57600, 115200, 230400 baud; found 14400.' }),
    );
    expect(sim.readerConnector()).toEqual({ mode: 'rs485', baudRate: 115200 });
    connector.configure({ mode: 'wiegand' });
    expect({ mode: connector.mode, baudRate: connector.baudRate }).toEqual({ mode: 'wiegand', baudRate: 115200 });
  });

  it('carries RS-485 bytes both ways, as a byte stream', async () => {
    const connector = claim();
    connector.configure({ mode: 'rs485' });
    const received: string[] = [];
    connector.onData((bytes) => received.push(hex(bytes)));
    const fromDevice: string[] = [];
    sim.onDeviceBytes((bytes) => fromDevice.push(hex(bytes)));

    const poll = Uint8Array.of(0x53, 0x00, 0x08, 0x00, 0x04, 0x60);
    sim.sendToDevice(poll.subarray(0, 2));
    sim.sendToDevice(poll.subarray(2));
    poll[0] = 0; // the line has its own copy
    expect(received).toEqual(['5300', '08000460']);

    const reply = Uint8Array.of(0x53, 0x80, 0x08, 0x00);
    connector.write(reply);
    reply[1] = 0;
    await clock.advance(5);
    connector.write(Uint8Array.of(0x40));
    expect(fromDevice).toEqual(['53800800', '40']);
    expect(hex(sim.deviceBytes())).toBe('5380080040');
    const log = sim.rs485Log();
    expect(log.toDevice.map((c) => [c.seq, hex(c.bytes)])).toEqual([
      [1, '5300'],
      [2, '08000460'],
    ]);
    expect(log.fromDevice.map((c) => [c.seq, c.at - log.fromDevice[0]!.at, hex(c.bytes)])).toEqual([
      [3, 0, '53800800'],
      [4, 5, '40'],
    ]);
    expect(sim.rs485Log(undefined, 3).fromDevice.map((c) => c.seq)).toEqual([4]);
    expect(() => connector.write('5380' as never)).toThrow(expect.objectContaining({ code: 'RS485_BYTES_INVALID' }));

    // Back in Wiegand mode nothing listens any more.
    connector.configure({ mode: 'wiegand' });
    expect(() => sim.sendToDevice(Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'READER_CONNECTOR_NOT_RS485' }));
    expect(received).toHaveLength(2);
  });

  it('a released connector stops: it sends nothing, hears nothing, and is off', () => {
    const connector = claim();
    connector.configure({ mode: 'rs485' });
    const received: string[] = [];
    connector.onData((bytes) => received.push(hex(bytes)));
    ports.release('reader', 'reader-connector');
    expect(sim.readerConnector().mode).toBe('off');
    expect(() => connector.write(Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'PORT_RELEASED' }));
    expect(() => connector.sendWiegand(train('1'))).toThrow(expect.objectContaining({ code: 'PORT_RELEASED' }));
    expect(() => connector.configure({ mode: 'wiegand' })).toThrow(expect.objectContaining({ code: 'PORT_RELEASED' }));
    expect(() => sim.sendToDevice(Uint8Array.of(1))).toThrow(expect.objectContaining({ code: 'READER_CONNECTOR_NOT_RS485' }));
    expect(received).toEqual([]);
    expect(sim.deviceBytes()).toHaveLength(0);

    // The next holder starts from Wiegand at 9600, and hears only for itself.
    const next = claim('other');
    expect({ mode: next.mode, baudRate: next.baudRate }).toEqual({ mode: 'wiegand', baudRate: 9600 });
    next.configure({ mode: 'rs485' });
    const nextReceived: string[] = [];
    next.onData((bytes) => nextReceived.push(hex(bytes)));
    sim.sendToDevice(Uint8Array.of(0xaa));
    expect(nextReceived).toEqual(['aa']);
    expect(received).toEqual([]);
  });

  it('keeps the latest trains only', () => {
    const connector = claim();
    for (let i = 0; i < 60; i++) connector.sendWiegand(train('1'));
    const kept = sim.wiegandTrains();
    expect(kept).toHaveLength(50);
    expect(kept[0]?.seq).toBe(11);
    sim.clearReaderConnectorLog();
    expect(sim.wiegandTrains()).toEqual([]);
  });
});
