import { describe, expect, it } from 'vitest';
import { ADMIN, portierPerTest } from '../support/test-portier.js';

describe('entry list as a CSV file over HTTPS', () => {
  const portier = portierPerTest();

  it('imports a text/csv upload whole, and exports text/csv a spreadsheet opens', async () => {
    const p = await portier.start({ plugins: ['io', 'reader', 'entry-list'] });
    const csv = 'firstName,lastName,card,pin,validity,remaining\nAnna,Berg,04A22B91,,times,10\nBo,,,4711,always,\n';
    const imported = await p.request('POST', '/api/v1/plugins/entry-list/import', { raw: csv, headers: { 'content-type': 'text/csv' }, user: ADMIN });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body).toEqual({ holders: 2 });

    const exported = await p.request('GET', '/api/v1/plugins/entry-list/export', { user: ADMIN });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.text.split('\n').slice(0, 3)).toEqual([
      'firstName,lastName,card,pin,validity,remaining,from,to,schedule',
      'Anna,Berg,04A22B91,,times,10,,,',
      'Bo,,,4711,always,,,,',
    ]);

    // A file with a bad row changes nothing, and says where.
    const bad = await p.request('POST', '/api/v1/plugins/entry-list/import', { raw: 'firstName,pin\nCleo,12\n', headers: { 'content-type': 'text/csv' }, user: ADMIN });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'ENTRY_LIST_CSV_INVALID', details: [{ path: '/2/pin' }] });
    expect(((await p.request('GET', '/api/v1/plugins/entry-list/holders', { user: ADMIN })).body as unknown[]).length).toBe(2);
  });
});
