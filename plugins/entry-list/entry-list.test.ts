/**
 * The entry list on the SDK harness, with the real reader plugin in front of
 * it and the io plugin behind the rule: the manual's example (a card valid 10
 * times opens the Door for 7 s), the denial reasons, the 51st holder, and the
 * routes an integrator uses.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from 'portier/sdk/testing';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const CARD = { chipType: 'mifare-classic' as const, uid: '04A22B91' };

async function start(): Promise<Harness> {
  h = await startHarness({ plugins: ['io', 'reader', 'entry-list'] });
  expect(h.plugin('entry-list').state).toBe('running');
  return h;
}

const decisions = (h: Harness) =>
  h.events('entry-list/*').map((e) => (e.type === 'entry-list/access-granted' ? ['granted', e.payload.holder, e.payload.usesLeft] : ['denied', e.payload.reason]));

describe('entry list', () => {
  it("the manual's example: a card valid 10 times opens the Door for 7 s ten times; the eleventh is denied, uses exhausted", async () => {
    const h = await start();
    // "Swipe the credential holder's card on the device and click Get latest."
    await h.presentCard(CARD);
    const latest = await h.route('entry-list', 'GET', '/latest-card', { role: 'operator' });
    expect(latest.body).toMatchObject({ card: '04A22B91', chipType: 'mifare-classic' });
    const added = await h.route('entry-list', 'POST', '/holders', {
      role: 'admin',
      body: { firstName: 'Anna', lastName: 'Berg', card: (latest.body as { card: string }).card, validity: { kind: 'times', remaining: 10 } },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    h.createRule({
      name: 'Open door',
      trigger: { event: 'entry-list/access-granted' },
      actions: [{ type: 'io/toggle-once', params: { port: 'Door', state: 'active', duration: '00:00:07' } }],
    });

    for (let swipe = 1; swipe <= 10; swipe++) {
      await h.presentCard(CARD);
      expect(h.relay('relay-1').active, `swipe ${swipe} opens`).toBe(true);
      await h.advanceSeconds(6.9);
      expect(h.relay('relay-1').active, `still open before 7 s (swipe ${swipe})`).toBe(true);
      await h.advanceSeconds(0.2);
      expect(h.relay('relay-1').active, `locked again after 7 s (swipe ${swipe})`).toBe(false);
    }
    await h.presentCard(CARD);
    expect(h.relay('relay-1').active).toBe(false);
    // The first swipe, for "Get latest", came before Anna was in the list.
    expect(decisions(h)).toEqual([['denied', 'unknown'], ...Array.from({ length: 10 }, (_, i) => ['granted', 'Anna', 9 - i]), ['denied', 'uses-exhausted']]);
    expect(h.readerFeedback()).toMatchObject({ lastBeep: expect.any(String) });
  });

  it('denies an unknown card and a PIN nobody has, saying so', async () => {
    const h = await start();
    await h.presentCard({ chipType: 'em4102', uid: 'FFFFFFFFFF' });
    await h.typePin('0000');
    expect(decisions(h)).toEqual([
      ['denied', 'unknown'],
      ['denied', 'unknown'],
    ]);
  });

  it('refuses the fifty-first holder, and imports and exports CSV', async () => {
    const h = await start();
    const rows = ['firstName,pin', ...Array.from({ length: 50 }, (_, i) => `Holder ${i},${String(1000 + i)}`)].join('\n');
    const imported = await h.route('entry-list', 'POST', '/import', { role: 'admin', body: rows });
    expect(imported.body).toEqual({ holders: 50 });
    const more = await h.route('entry-list', 'POST', '/holders', { role: 'admin', body: { firstName: 'One too many', pin: '9999' } });
    expect(more.body).toMatchObject({ code: 'ENTRY_LIST_FULL' });
    const exported = await h.route('entry-list', 'GET', '/export', { role: 'admin' });
    expect(exported).toMatchObject({ status: 200, contentType: 'text/csv' });
    expect((exported.body as string).trim().split('\n')).toHaveLength(51);
    await h.typePin('1007');
    // Typed on the display and confirmed with # (the reader passes the keys as typed).
    await h.typePin('1008#');
    expect(decisions(h)).toEqual([
      ['granted', 'Holder 7', undefined],
      ['granted', 'Holder 8', undefined],
    ]);
  });

  it('a holder read, edited and sent back keeps its PIN: the **** the API shows means "keep it"', async () => {
    const h = await start();
    const added = await h.route('entry-list', 'POST', '/holders', { role: 'admin', body: { firstName: 'Anna', pin: '24680', validity: { kind: 'times', remaining: 3 } } });
    const { id, createdAt: _createdAt, ...shown } = added.body as Record<string, unknown>;
    expect(shown.pin).toBe('****');
    const edited = await h.route('entry-list', 'PUT', `/holders/${String(id)}`, { role: 'admin', body: { ...shown, lastName: 'Berg' } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await h.typePin('24680');
    expect(decisions(h)).toEqual([['granted', 'Anna', 2]]);
    // A holder without a PIN has none to keep.
    const bo = await h.route('entry-list', 'POST', '/holders', { role: 'admin', body: { firstName: 'Bo', card: '0A0B0C' } });
    const refused = await h.route('entry-list', 'PUT', `/holders/${String((bo.body as { id: string }).id)}`, { role: 'admin', body: { firstName: 'Bo', card: '0A0B0C', pin: '****' } });
    expect(refused.body).toMatchObject({ details: [expect.objectContaining({ path: '/body/pin' })] });
  });

  it('a change that leaves the validity out keeps it: a holder valid 2 times does not become valid always', async () => {
    const h = await start();
    const added = await h.route('entry-list', 'POST', '/holders', { role: 'admin', body: { firstName: 'Cleo', pin: '13579', validity: { kind: 'times', remaining: 2 } } });
    const edited = await h.route('entry-list', 'PUT', `/holders/${(added.body as { id: string }).id}`, { role: 'admin', body: { firstName: 'Cleo', lastName: 'Dahl', pin: '13579' } });
    expect(edited.body).toMatchObject({ lastName: 'Dahl', validity: { kind: 'times', remaining: 2 } });
    for (let i = 0; i < 3; i++) await h.typePin('13579');
    expect(decisions(h)).toEqual([
      ['granted', 'Cleo', 1],
      ['granted', 'Cleo', 0],
      ['denied', 'uses-exhausted'],
    ]);
  });

  it('a holder valid on a schedule opens while it is active, and is denied outside it or on a schedule that does not exist', async () => {
    const MONDAY_0700 = Date.UTC(2026, 0, 5, 7, 0);
    h = await startHarness({ plugins: ['io', 'reader', 'entry-list'], startTime: MONDAY_0700 });
    const schedule = h.createSchedule({ kind: 'weekly', name: 'Office hours', intervals: [{ days: ['mon'], start: '08:00', end: '17:00' }] });
    for (const [firstName, pin, id] of [['Eva', '11111', schedule.id], ['Finn', '22222', 'no-such-schedule']] as const) {
      const added = await h.route('entry-list', 'POST', '/holders', { role: 'admin', body: { firstName, pin, validity: { kind: 'schedule', schedule: id } } });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
    }
    await h.typePin('11111');
    await h.advance(3_600_000);
    await h.typePin('11111');
    await h.typePin('22222');
    expect(decisions(h)).toEqual([
      ['denied', 'outside-schedule'],
      ['granted', 'Eva', undefined],
      ['denied', 'outside-schedule'],
    ]);
  });

  it('a refused holder points at the field as the request validation does (/body/<field>)', async () => {
    const h = await start();
    await h.route('entry-list', 'POST', '/holders', { role: 'admin', body: { firstName: 'Anna', card: '04A22B91', pin: '1234' } });
    const bad = await h.route('entry-list', 'POST', '/holders', { role: 'admin', body: { firstName: 'Bo', pin: '12' } });
    expect(bad.body).toMatchObject({ details: [{ path: '/body/pin' }] });
    const pin = await h.route('entry-list', 'POST', '/holders', { role: 'admin', body: { firstName: 'Bo', pin: '1234' } });
    expect(pin.body).toMatchObject({ code: 'CREDENTIAL_TAKEN', details: [{ path: '/body/pin', message: 'already taken' }] });
    const card = await h.route('entry-list', 'POST', '/holders', { role: 'admin', body: { firstName: 'Bo', card: '04:a2:2b:91' } });
    expect(card.body).toMatchObject({ code: 'CREDENTIAL_TAKEN', details: [{ path: '/body/card' }] });
    const name = await h.route('entry-list', 'POST', '/holders', { role: 'admin', body: { firstName: 'ANNA', pin: '5555' } });
    expect(name.body).toMatchObject({ code: 'HOLDER_NAME_TAKEN', details: [{ path: '/body/firstName' }] });
  });
});
