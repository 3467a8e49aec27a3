// The pipeline over a tiny inline contract and hand-made handlers, on a real loopback server:
// an unexpected exception (Error or not) becomes a 500 INTERNAL_ERROR envelope and the server keeps
// serving; a stage's refusal keeps its status; unsecured operations skip auth and limits.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestListener } from './app.ts';
import { loadConfig } from './config.ts';
import { createSpecAjv } from './contract/ajv.ts';
import { PrismEngine } from './contract/prism-engine.ts';
import { readOperations, type OpenApiDoc, type OperationInfo } from './contract/spec.ts';
import { Fixtures } from './fixtures/index.ts';
import type { HandlerTable, MockServices } from './handlers/types.ts';
import { ApiError } from './pipeline/errors.ts';
import { RateLimiter } from './pipeline/rate-limit.ts';
import { Router } from './pipeline/router.ts';
import { compileValidators } from './pipeline/validate.ts';
import { AccountRegistry } from './state/accounts.ts';
import { KeyRing } from './state/key-ring.ts';
import { call } from './test-support/client.ts';
import { WebhookDispatcher } from './webhooks/dispatcher.ts';

const ok = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };
const doc: OpenApiDoc = {
  openapi: '3.1.0',
  security: [{ bearerAuth: [] }],
  paths: {
    '/ping': { get: { operationId: 'ping', tags: ['query'], security: [], responses: ok } },
    '/boom': { get: { operationId: 'boom', tags: ['query'], responses: ok } },
    '/thrown-string': { get: { operationId: 'thrownString', tags: ['query'], responses: ok } },
    '/conflict': { post: { operationId: 'conflict', tags: ['query'], responses: ok } },
  },
};

const handlers: HandlerTable = {
  ping: () => ({ status: 200, body: { pong: true } }),
  boom: () => {
    throw new TypeError('cannot read properties of undefined');
  },
  thrownString: () => Promise.reject('a string, not an Error'),
  conflict: () => {
    throw new ApiError('CONFLICT', 'already there');
  },
};

let server: Server;
let base = '';
const logged: string[] = [];

beforeAll(async () => {
  const config = loadConfig();
  const ops = readOperations(doc);
  const ajv = createSpecAjv(doc);
  const now = Date.now;
  const dispatcher = new WebhookDispatcher({ ...config.webhooks, now });
  const services: MockServices = {
    config,
    now,
    seed: 1,
    keys: new KeyRing(config.keys, now, 'x'),
    limiter: new RateLimiter(now),
    accounts: new AccountRegistry(config, now),
    dispatcher,
    fixtures: new Fixtures(1),
    emit: () => undefined,
    schedule: () => undefined,
  };
  server = createServer(
    createRequestListener({
      services,
      router: new Router<OperationInfo>(ops),
      validators: new Map(ops.map((op) => [op.operationId, compileValidators(ajv, ajv, op)])),
      handlers,
      engine: await PrismEngine.load(doc),
      surface: () => undefined,
      log: (line) => logged.push(line),
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/v2`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('pipeline', () => {
  it('an unsecured operation needs no key and carries no rate-limit headers', async () => {
    const r = await call(base, 'GET', '/ping');
    expect(r).toMatchObject({ status: 200, json: { pong: true } });
    expect(r.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it.each(['/boom', '/thrown-string'])('%s: an unexpected exception is a 500 envelope, and the server keeps serving', async (path) => {
    const r = await call(base, 'GET', path, { key: 'cc_test_demo_pro' });
    expect(r.status).toBe(500);
    expect(r.json.error).toMatchObject({ code: 'INTERNAL_ERROR', requestId: r.headers['x-request-id'] });
    expect(r.headers['x-ratelimit-limit']).toBe('60');
    expect(r.text).not.toMatch(/cannot read properties|a string/);
    expect(logged.some((l) => l.includes(String(r.headers['x-request-id'])))).toBe(true);
    expect((await call(base, 'GET', '/ping')).status).toBe(200);
  });

  it("a handler's ApiError keeps its status and code", async () => {
    const r = await call(base, 'POST', '/conflict', { key: 'cc_test_demo_pro' });
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('CONFLICT');
  });
});
