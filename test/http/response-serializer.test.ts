import { isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../platform/http/access-control.js';
import { compileStringify, responseSerializerCompiler } from '../../platform/http/response-serializer.js';
import { createUser } from '../support/auth-helpers.js';
import { type TestPortier, startTestPortier } from '../support/test-portier.js';

const userSchema = z.object({ username: z.string(), role: z.enum(['admin', 'viewer']), lastLogin: z.string().optional() });
const stored = { username: 'vera', role: 'viewer', passwordHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==', lastLogin: undefined };

/** Serializes twice: the first reply (checked by zod) and one after the compiled serializer is ready. */
async function twoReplies(checkResponses: boolean, schema: z.ZodType, data: unknown): Promise<[string, string]> {
  const serialize = responseSerializerCompiler({ checkResponses })({ schema, method: 'GET', url: '/api/v1/users/:username' });
  const first = serialize(data);
  await new Promise((resolve) => setImmediate(resolve));
  return [first, serialize(data)];
}

describe('response serializer', () => {
  for (const checkResponses of [true, false]) {
    it(`never writes a field the schema does not declare (replies ${checkResponses ? 'checked' : 'unchecked'})`, async () => {
      const replies = await twoReplies(checkResponses, userSchema, stored);
      for (const reply of replies) expect(JSON.parse(reply)).toEqual({ username: 'vera', role: 'viewer' });
    });
  }

  it('refuses, when checking, a reply that does not match its schema, naming the route', async () => {
    const serialize = responseSerializerCompiler({ checkResponses: true })({ schema: userSchema, method: 'GET', url: '/api/v1/users/:username' });
    let thrown: unknown;
    try {
      serialize({ username: 'vera', role: 'superuser' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(isResponseSerializationError(thrown as Error)).toBe(true);
    expect(thrown).toMatchObject({ method: 'GET', url: '/api/v1/users/:username' });
  });

  it('writes the same JSON compiled as JSON.stringify does, for unions, records, nullables and arrays', async () => {
    const schema = z.object({
      items: z.array(z.discriminatedUnion('kind', [z.object({ kind: z.literal('a'), n: z.number() }), z.object({ kind: z.literal('b'), s: z.string() })])),
      meta: z.record(z.string(), z.unknown()),
      note: z.string().nullable(),
      text: z.string(),
    });
    const data = { items: [{ kind: 'a', n: 1.5 }, { kind: 'b', s: 'quote " and \\ and \u2028' }], meta: { deep: { x: [1, null] } }, note: null, text: 'ünïcödé ✓' };
    const [, compiled] = await twoReplies(false, schema, data);
    expect(compiled).toBe(JSON.stringify(data));
  });
});

describe('every route of the API', () => {
  let p: TestPortier;
  beforeAll(async () => {
    p = await startTestPortier();
    await p.setUp();
  });
  afterAll(async () => p?.stop());

  it('has response schemas the fast serializer compiles, without falling back', () => {
    const routes = registeredRoutes(p.http.server.app).filter((r) => r.schema?.response !== undefined);
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      for (const [status, schema] of Object.entries(route.schema!.response as Record<string, unknown>)) {
        // A raw reply (the event stream) documents its content type instead; nothing is serialized for it.
        if (!(schema instanceof z.ZodType)) continue;
        expect(() => compileStringify(schema, { fallback: false }), `${route.method} ${route.url} ${status}`).not.toThrow();
      }
    }
  });

  it('answers the same over HTTPS once its serializers are compiled', async () => {
    const viewer = await createUser(p, 'serializer-viewer', 'viewer');
    const first = await p.request('GET', '/api/v1/users', { user: { username: 'admin', password: 'correct horse battery' } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await p.request('GET', '/api/v1/users', { user: { username: 'admin', password: 'correct horse battery' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const listed = (again.body as { username: string }[]).find((u) => u.username === viewer.username);
    expect(listed).toBeDefined();
    expect(JSON.stringify(again.body)).not.toMatch(/scrypt|passwordHash|hash/i);
  });
});
