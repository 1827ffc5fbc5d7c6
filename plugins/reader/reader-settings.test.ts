/**
 * Settings the reader refuses, each with the field that is wrong (as the API
 * answers SETTINGS_INVALID), and the defaults it starts from.
 */
import { describe, expect, it } from 'vitest';
import { CHIP_TYPE_NAMES } from 'portier/sdk';
import { readerSettingsSchema } from './reader-settings.js';

function issues(value: unknown): { path: string; message: string }[] {
  const result = readerSettingsSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

const KEY = '00112233445566778899AABBCCDDEEFF';

describe('reader settings', () => {
  it('defaults: every chip type on, no data sets, standalone, verify certificate on', () => {
    const settings = readerSettingsSchema.parse({});
    expect(CHIP_TYPE_NAMES.every((name) => settings.chipTypes[name])).toBe(true);
    expect(settings.dataSets).toEqual([]);
    expect(settings.connection.type).toBe('none');
    expect(settings.connection.network.verifyCertificate).toBe(true);
    expect(settings.connection.wiegand).toMatchObject({ cardFormat: 'h10301', keypressFormat: 'fourbit', pulseWidthMicros: 50, pulseIntervalMicros: 2000 });
    expect(settings.connection.osdp).toMatchObject({ address: 0, baudRate: 9600, scbk: '', installMode: true });
  });

  it('refuses an unknown chip type, a key that is not hex and a data set for a card without protected data', () => {
    expect(issues({ chipTypes: { 'mifare-ultralight': true } })).toEqual([expect.objectContaining({ path: 'chipTypes' })]);
    expect(issues({ dataSets: [{ chipType: 'mifare-classic', location: 'sector:4/block:1', key: 'xyz' }] })).toEqual([
      expect.objectContaining({ path: 'dataSets.0.key', message: expect.stringContaining('hex') }),
    ]);
    expect(issues({ dataSets: [{ chipType: 'em4102', location: 'x', key: KEY }] })).toEqual([
      { path: 'dataSets.0.chipType', message: 'EM4102 cards hold only their number, no protected data' },
    ]);
    expect(
      issues({
        dataSets: [
          { chipType: 'seos', location: 'a', key: KEY },
          { chipType: 'seos', location: 'b', key: KEY },
        ],
      }),
    ).toEqual([{ path: 'dataSets.1.chipType', message: 'seos already has a data set' }]);
  });

  it('refuses Wiegand timing out of range or a width not shorter than the interval, and an unknown format', () => {
    expect(issues({ connection: { wiegand: { pulseWidthMicros: 10 } } }).map((i) => i.path)).toEqual(['connection.wiegand.pulseWidthMicros']);
    expect(issues({ connection: { wiegand: { pulseWidthMicros: 200, pulseIntervalMicros: 200 } } })).toEqual([
      { path: 'connection.wiegand.pulseWidthMicros', message: 'the pulse width must be shorter than the pulse interval (200 µs)' },
    ]);
    expect(issues({ connection: { wiegand: { cardFormat: 'h99999' } } }).map((i) => i.path)).toEqual(['connection.wiegand.cardFormat']);
  });

  it('refuses one I/O for two purposes', () => {
    expect(
      issues({ connection: { type: 'wiegand', wiegand: { beeper: { enabled: true, input: 'io-1' }, led: { inputs: 1, led1Input: 'io-1' } } } }),
    ).toEqual([{ path: 'connection.wiegand.led.led1Input', message: 'io-1 is already the beeper input' }]);
  });

  it('refuses an OSDP address, speed or key that cannot be', () => {
    expect(issues({ connection: { osdp: { address: 127 } } }).map((i) => i.path)).toEqual(['connection.osdp.address']);
    expect(issues({ connection: { osdp: { baudRate: 4800 } } }).map((i) => i.path)).toEqual(['connection.osdp.baudRate']);
    expect(issues({ connection: { osdp: { scbk: 'AABB' } } }).map((i) => i.path)).toEqual(['connection.osdp.scbk']);
  });

  it('a network controller needs an https URL; the timeout is bounded', () => {
    expect(issues({ connection: { network: { controllerUrl: 'http://door' } } }).map((i) => i.path)).toEqual(['connection.network.controllerUrl']);
    expect(issues({ connection: { type: 'network' } })).toEqual([
      { path: 'connection.network.controllerUrl', message: 'a network door controller needs its URL' },
    ]);
    expect(issues({ connection: { network: { controllerUrl: 'ftp://door' } } }).map((i) => i.path)).toEqual(['connection.network.controllerUrl']);
    expect(issues({ connection: { network: { timeoutMs: 100 } } }).map((i) => i.path)).toEqual(['connection.network.timeoutMs']);
    expect(issues({ connection: { type: 'network', network: { controllerUrl: 'https://door.example:8443' } } })).toEqual([]);
  });

  it('refuses a controller URL carrying a username or password: the URL is shown (status, settings), only the password field is secret', () => {
    expect(issues({ connection: { network: { controllerUrl: 'https://portier:door%20secret@door.example' } } })).toEqual([
      { path: 'connection.network.controllerUrl', message: 'give the username and password in their own fields, not in the address (the address is shown, the password is not)' },
    ]);
    expect(issues({ connection: { network: { controllerUrl: 'https://portier@door.example' } } }).map((i) => i.path)).toEqual(['connection.network.controllerUrl']);
  });

  it('refuses unknown fields', () => {
    expect(issues({ connection: { wiegand: { beep: true } } }).map((i) => i.path)).toEqual(['connection.wiegand']);
  });
});
