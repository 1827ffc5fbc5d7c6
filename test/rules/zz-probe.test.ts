import { it } from 'vitest';
import { startHarness } from '../../sdk/testing/index.js';
it('probe', async () => {
  const h = await startHarness({ plugins: ['io'] });
  for (const params of [{ port: 'Door', duration: '7 seconds' }, { port: 'Door', duration: -1 }, { port: 'Door' }, { port: 'Door', duration: 7, colour: 1 }, { port: 'Gate', duration: 7 }, {port:'Door', duration: 7, state: 'on'}]) {
    try { h.createRule({ name: 'x', trigger: { event: 'io/input' }, actions: [{ type: 'io/toggle-once', params }] }); } catch (e) { console.log(JSON.stringify((e as any).details)); }
  }
  try { h.createRule({ name: 'x', trigger: { event: 'io/input' , filter: {port: null}}, actions: [{ type: 'io/toggle-once' }], extra: 1 }); } catch (e) { console.log((e as any).message); }
  await h.stop();
});
