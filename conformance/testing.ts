// Test helpers (used by *.test.ts only): a tiny inline contract in the shape of the real one,
// hand-made exchanges, and a resolved config. Kept small on purpose: tests are tables of small
// cases over tiny specs, not the whole world.
// Limits: not part of the runner; nothing here talks to the network.
import { resolveConfig, type ResolvedConfig } from './config.ts';
import { SpecIndex } from './spec.ts';
import type { Exchange, ExchangeResponse, InspectContext } from './types.ts';

const errorResponse = (code: string) => ({
  description: code,
  'x-error-code': code,
  headers: { 'X-Request-Id': { required: true, schema: { type: 'string', pattern: '^req_[A-Za-z0-9]+$' } } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
});

export const tinyDoc = {
  openapi: '3.1.0',
  info: { title: 'Tiny', version: '1.0.0' },
  security: [{ bearerAuth: [] }],
  paths: {
    '/health': { get: { operationId: 'getHealth', security: [], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    '/things': {
      post: {
        operationId: 'createThing', tags: ['things'],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingCreate' }, examples: { one: { value: { name: 'one', size: 3 } } } } } },
        responses: {
          201: { description: 'created', headers: { 'X-Trace': { required: true, schema: { type: 'integer' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          400: errorResponse('INVALID_REQUEST'), 422: errorResponse('VALIDATION_ERROR'),
        },
      },
    },
    '/things/stats': { get: { operationId: 'thingStats', tags: ['things'], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    '/things/{id}': {
      get: {
        operationId: 'getThing', tags: ['things'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^thing_[a-z0-9]+$' }, example: 'thing_abc' }],
        responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } }, 404: errorResponse('NOT_FOUND') },
      },
      delete: { operationId: 'deleteThing', tags: ['things'], responses: { 204: { description: 'gone' } } },
    },
  },
  components: {
    schemas: {
      Thing: { type: 'object', required: ['id', 'name'], additionalProperties: false, properties: { id: { type: 'string', pattern: '^thing_' }, name: { type: 'string' }, size: { type: 'integer' } } },
      ThingCreate: {
        type: 'object', required: ['name'], additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 10, 'x-unique': true },
          size: { type: 'integer', minimum: 1, maximum: 5 },
          color: { type: 'string', enum: ['red', 'blue'] },
          when: { type: 'string', format: 'date-time' },
          tags: { type: 'array', maxItems: 2, items: { type: 'string' } },
        },
      },
      ErrorCode: { type: 'string', enum: ['INVALID_REQUEST', 'NOT_FOUND', 'VALIDATION_ERROR'], 'x-status-codes': { INVALID_REQUEST: 400, NOT_FOUND: 404, VALIDATION_ERROR: 422 } },
      ErrorResponse: {
        type: 'object', required: ['error'], additionalProperties: false,
        properties: { error: { type: 'object', required: ['code', 'message', 'requestId'], properties: { code: { $ref: '#/components/schemas/ErrorCode' }, message: { type: 'string' }, requestId: { type: 'string' }, details: { type: 'object' } } } },
      },
    },
  },
};

export function tinySpec(): SpecIndex {
  return new SpecIndex(structuredClone(tinyDoc));
}

export function testConfig(overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return { ...resolveConfig({ baseUrl: 'http://127.0.0.1:1/v1', spec: 'tiny.json', keys: { full: 'cc_test_fullkey123456' } }), ...overrides };
}

export function inspectContext(spec = tinySpec()): InspectContext {
  return { spec, config: testConfig() };
}

let seq = 0;
let reqIds = 0;

/** An exchange as the sender would record it; `response.json` is parsed from `body`. */
export function exchange(opts: {
  method?: string; path?: string; operationId?: string; status?: number; headers?: Record<string, string>;
  body?: unknown; rawBody?: string; auth?: Exchange['request']['auth']; error?: Exchange['error'];
}): Exchange {
  const bodyText = opts.rawBody ?? (opts.body === undefined ? '' : JSON.stringify(opts.body));
  let json: unknown;
  try { json = bodyText ? JSON.parse(bodyText) : undefined; } catch { json = undefined; }
  const headers: Record<string, string> = { 'x-request-id': `req_t${++reqIds}`, ...(bodyText ? { 'content-type': 'application/json' } : {}) };
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (v === '') delete headers[k.toLowerCase()];
    else headers[k.toLowerCase()] = v;
  }
  const response: ExchangeResponse | undefined = opts.error ? undefined : {
    status: opts.status ?? 200, headers, bodyText, bodyBytes: bodyText.length, json, headersMs: 1, totalMs: 1,
    jsonError: bodyText && json === undefined ? 'not JSON' : undefined,
  };
  const method = opts.method ?? 'GET';
  const path = opts.path ?? '/things/thing_abc';
  return {
    seq: ++seq, origin: 'test', operationId: opts.operationId, operationLabel: `${method} ${path}`,
    request: { method, url: `http://127.0.0.1:1/v1${path}`, path, headers: { authorization: 'Bearer cc_test_fullkey123456' }, auth: opts.auth ?? 'full' },
    response, error: opts.error, sentAt: Date.now(),
  };
}

/** The rate-limit headers of an authenticated response (D7). */
export function limits(remaining = 10, retryAfter = 0, reset = Math.floor(Date.now() / 1000) + 30): Record<string, string> {
  return {
    'x-ratelimit-limit': '60', 'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(reset), 'x-ratelimit-retryafter': String(retryAfter),
  };
}
