import { z } from 'portier/sdk';
import { describe, expect, it } from 'vitest';
import { sipSettingsSchema } from './sip-settings.js';

const issues = (value: unknown) => {
  const result = sipSettingsSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

const contact = (id: string, extra: Record<string, unknown> = {}) => ({ id, firstName: id, sipAddress: `sip:${id}@pbx.example.com`, ...extra });

describe('SIP settings', () => {
  it('default to the manual\'s: off, no incoming calls, ports 5060, 5061 and RTP from 4000', () => {
    const settings = sipSettingsSchema.parse({});
    expect(settings).toMatchObject({ enabled: false, allowIncomingCalls: false, ports: { sip: 5060, tls: 5061, rtpStart: 4000 }, accounts: [], contacts: [] });
    expect(sipSettingsSchema.parse({}).nat).toEqual({ stun: { enabled: false }, turn: { enabled: false, username: '', password: '' }, ice: { enabled: false } });
  });

  it('refuses an RTP start port outside 1024-65535 and a TLS port equal to the SIP port', () => {
    expect(issues({ ports: { rtpStart: 80 } })[0]!.path).toBe('ports.rtpStart');
    expect(issues({ ports: { sip: 6000, tls: 6000 } })).toEqual([{ path: 'ports.tls', message: 'the TLS port must differ from the SIP port' }]);
  });

  it('accepts sip: and sips: addresses and refuses others, and CR/LF that would inject a header', () => {
    expect(issues({ contacts: [contact('a', { sipAddress: 'sips:192.168.1.100' })] })).toEqual([]);
    expect(issues({ contacts: [contact('a', { sipAddress: 'tel:+4612345' })] })[0]!.path).toBe('contacts.0.sipAddress');
    expect(issues({ contacts: [contact('a', { sipAddress: 'sip:a@b\r\nVia: x' })] })[0]!.path).toBe('contacts.0.sipAddress');
  });

  it('refuses references to accounts, contacts and sequences that do not exist', () => {
    expect(issues({ contacts: [contact('a', { account: 'pbx' })] })).toEqual([{ path: 'contacts.0.account', message: 'there is no account "pbx" (accounts: p2p)' }]);
    expect(issues({ contacts: [contact('a', { fallback: 'b' })] })).toEqual([{ path: 'contacts.0.fallback', message: 'there is no contact "b" to fall back to' }]);
    expect(issues({ callButton: { contact: 'nobody' } })).toEqual([{ path: 'callButton.contact', message: 'there is no contact "nobody"' }]);
    expect(issues({ dtmf: { sequences: [{ id: 'map', sequence: '9', description: 'Show map', account: 'pbx' }] } })[0]!.path).toBe('dtmf.sequences.0.account');
  });

  it('allows fallback chains and refuses loops, naming the loop', () => {
    expect(issues({ contacts: [contact('a', { fallback: 'b' }), contact('b', { fallback: 'c' }), contact('c')] })).toEqual([]);
    const loop = issues({ contacts: [contact('a', { fallback: 'b' }), contact('b', { fallback: 'a' })] });
    expect(loop).toContainEqual({ path: 'contacts.0.fallback', message: 'the fallbacks go round in a loop: a → b → a' });
    expect(issues({ contacts: [contact('a', { fallback: 'a' })] })).toEqual([{ path: 'contacts.0.fallback', message: 'the fallbacks go round in a loop: a → a' }]);
  });

  it('refuses ids used twice', () => {
    expect(issues({ contacts: [contact('a'), contact('a')] })).toEqual([{ path: 'contacts.1.id', message: 'the contact id "a" is taken' }]);
    expect(issues({ accounts: [{ id: 'p2p', name: 'x', userId: 'u', domain: 'd.example' }] })).toEqual([{ path: 'accounts.0.id', message: 'the account id "p2p" is taken' }]);
  });

  it('marks passwords write-only, so the API masks them and a site export leaves them out', () => {
    const schema = z.toJSONSchema(sipSettingsSchema, { io: 'input' }) as any;
    expect(schema.properties.accounts.items.properties.password.writeOnly).toBe(true);
    expect(schema.properties.nat.properties.turn.properties.password.writeOnly).toBe(true);
    expect(schema.properties.accounts.items.properties.userId.writeOnly).toBeUndefined();
  });
});
