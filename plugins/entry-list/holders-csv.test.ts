import { describe, expect, it } from 'vitest';
import { type Holder, holderInputSchema } from './holder.js';
import { holdersFromCsv, holdersToCsv } from './holders-csv.js';

describe('the entry list as CSV', () => {
  it('exports holders with a header and imports them back the same', () => {
    const holders: Holder[] = [
      { firstName: 'Anna', lastName: 'Berg', card: '04A22B91', validity: { kind: 'times', remaining: 10 } },
      { firstName: 'Bo, Jr.', pin: '4711', validity: { kind: 'dates', from: '2026-12-01T00:00:00Z', to: '2027-01-01T00:00:00Z' } },
      { firstName: 'Cleo', card: '12345678', validity: { kind: 'schedule', schedule: 'office-hours' } },
      { firstName: 'Dan', pin: '1234', validity: { kind: 'always' } },
    ].map((h, i) => ({ id: String(i), createdAt: 0, ...holderInputSchema.parse(h) }));
    const csv = holdersToCsv(holders);
    expect(csv.split('\n')[0]).toBe('firstName,lastName,card,pin,validity,remaining,from,to,schedule');
    expect(csv).toContain('"Bo, Jr."');
    expect(holdersFromCsv(csv)).toEqual(holders.map(({ id: _id, createdAt: _c, ...input }) => input));
  });

  it('refuses a file with bad rows whole, pointing at line and column', () => {
    const csv = 'firstName,lastName,card,pin,validity,remaining\nAnna,,04A2,,times,10\nBo,,,12,always,\n,,FF,,times,many\n';
    let thrown: unknown;
    try {
      holdersFromCsv(csv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ENTRY_LIST_CSV_INVALID' });
    expect((thrown as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['/3/pin', '/4/firstName', '/4/remaining']);
  });

  it('refuses a file whose rows share a first name, a card or a PIN, pointing at the later row', () => {
    const csv = 'firstName,card,pin\nAnna,04:A2:2B,1234\nBo,,1234\nanna,,5678\nCleo,04a22b,\n';
    let thrown: unknown;
    try {
      holdersFromCsv(csv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ENTRY_LIST_CSV_INVALID', message: expect.stringContaining('nothing was changed') });
    expect((thrown as { details: { path: string; message: string }[] }).details).toEqual([
      { path: '/3/pin', message: 'the same PIN as line 2 (a PIN opens for one holder only)' },
      { path: '/4/firstName', message: 'the same first name as line 2 (first names are unique)' },
      { path: '/5/card', message: 'the same card as line 2' },
    ]);
  });

  it('checks the header of a file without rows too: a wrong or empty file does not empty the entry list', () => {
    expect(() => holdersFromCsv('name,badge\n')).toThrow(/must name these columns.*unknown: name, badge/);
    expect(() => holdersFromCsv('')).toThrow(expect.objectContaining({ code: 'ENTRY_LIST_CSV_INVALID', message: expect.stringContaining('no header row') }));
    // A header alone is an empty entry list, on purpose.
    expect(holdersFromCsv('firstName,lastName,card,pin\n')).toEqual([]);
  });

  it('refuses a header it does not know, and text that is not CSV', () => {
    expect(() => holdersFromCsv('name,badge\nAnna,1\n')).toThrow(/must name these columns.*unknown: name, badge/);
    expect(() => holdersFromCsv('firstName,pin\n"Anna,1234\n')).toThrow(/not valid CSV/);
  });
});
