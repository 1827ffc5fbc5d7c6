/**
 * The reader over the HTTPS API, as the web interface uses it: "Get latest"
 * after a swipe, the status, settings with the data set key masked (and kept
 * when the mask is sent back), and a refused change answered with the field.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, type TestPortier, startTestPortier } from '../../test/support/test-portier.js';

const KEY = '00112233445566778899AABBCCDDEEFF';

describe('reader over the API', () => {
  let p: TestPortier | undefined;
  afterEach(async () => {
    await p?.stop();
    p = undefined;
  });

  it('Get latest, status, masked key, refused settings with the field', async () => {
    p = await startTestPortier({ plugins: ['io', 'reader'] });
    await p.setUp();

    const none = await p.request('GET', '/api/v1/plugins/reader/latest', { user: ADMIN });
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ code: 'READER_NO_CARD' });

    expect((await p.request('POST', '/api/v1/simulator/cards', { user: ADMIN, body: { chipType: 'mifare-classic', uid: '04A2B3C4' } })).status).toBeLessThan(300);
    const latest = await p.request('GET', '/api/v1/plugins/reader/latest', { user: ADMIN });
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ kind: 'card', value: '04A2B3C4', chipType: 'mifare-classic' });

    const status = await p.request('GET', '/api/v1/plugins/reader/status', { user: ADMIN });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ connection: { type: 'none' }, dataSets: 0, led: 'off' });
    expect(status.body.chipTypesOn).toHaveLength(10);

    const dataSets = [{ chipType: 'mifare-classic', location: 'sector:4/block:1', key: KEY, useAsUid: true, required: true }];
    const put = await p.request('PUT', '/api/v1/plugins/reader/settings', { user: ADMIN, body: { dataSets } });
    expect(put.status).toBe(200);
    const read = await p.request('GET', '/api/v1/plugins/reader/settings', { user: ADMIN });
    expect(JSON.stringify(read.body)).not.toContain(KEY);
    expect(read.body.values.dataSets[0].key).toBe('********');

    // The form sent back as read: the mask means "keep the key".
    expect((await p.request('PUT', '/api/v1/plugins/reader/settings', { user: ADMIN, body: read.body.values })).status).toBe(200);
    await p.request('POST', '/api/v1/simulator/cards', {
      user: ADMIN,
      body: { chipType: 'mifare-classic', uid: '0A0B0C0D', protectedData: [{ location: 'sector:4/block:1', key: KEY, data: 'C0FFEE' }] },
    });
    expect((await p.request('GET', '/api/v1/plugins/reader/latest', { user: ADMIN })).body).toMatchObject({ value: 'C0FFEE' });

    const bad = await p.request('PUT', '/api/v1/plugins/reader/settings', { user: ADMIN, body: { connection: { type: 'osdp', osdp: { address: 200 } } } });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'SETTINGS_INVALID' });
    expect(bad.body.details).toEqual([{ path: '/body/connection/osdp/address', message: 'Too big: expected number to be <=126' }]);
  });
});
