// The mutations of the mutation proof: each breaks ONE rule of the contract the way a real
// implementation gets it wrong, and names the ONE check meant to catch it. The test runs the full
// default suite through the proxy once per mutation and demands that exactly that check fails.
// A mutation is scoped to the responses where its bug lives (e.g. the auth middleware's 401s),
// so it breaks its rule without breaking another check's (a rule, a check: see types.ts).
// Limits: written for the mock's behaviour and the demo keys; against another target a mutation
// may find nothing to break (then the table shows it as not caught, never as a false pass).
import { createHmac } from 'node:crypto';
import type { Mutation, ProxiedRequest, ProxiedResponse, StreamRewriter } from './mutation.ts';
import { apiPath, bearer, errorEnvelope, jsonOf, withJson } from './edit.ts';

const json = 'application/json';

function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
}

function typeOf(data: string): string | undefined {
  try {
    return JSON.parse(data)?.type;
  } catch {
    return undefined;
  }
}

function editError(res: ProxiedResponse, statuses: number[], edit: (err: Record<string, unknown>) => void): ProxiedResponse | undefined {
  if (!statuses.includes(res.status)) return undefined;
  const body = jsonOf(res) as { error?: Record<string, unknown> } | undefined;
  if (!body?.error) return undefined;
  edit(body.error);
  return withJson(res, body);
}

export const MUTATIONS: Mutation[] = [
  {
    name: 'rate-limit-remaining-missing',
    check: 'rate-limit-headers',
    description: 'X-RateLimit-Remaining is left out of every response',
    response: (res) => (res.headers['x-ratelimit-remaining'] === undefined ? undefined : { ...res, headers: omit(res.headers, 'x-ratelimit-remaining') }),
  },
  {
    name: 'rate-limit-remaining-frozen',
    check: 'rate-limit-headers',
    description: 'X-RateLimit-Remaining never falls: each key keeps the first value it was shown (429s aside)',
    response: (res, req, env) => {
      const v = res.headers['x-ratelimit-remaining'];
      const key = bearer(req);
      if (v === undefined || !key || res.status === 429) return undefined;
      const frozen = (env.state.frozen ??= {}) as Record<string, string>;
      frozen[key] ??= v;
      return { ...res, headers: { ...res.headers, 'x-ratelimit-remaining': frozen[key] } };
    },
  },
  {
    name: 'rate-limit-reset-in-ms',
    check: 'rate-limit-headers',
    description: 'X-RateLimit-Reset is sent in epoch milliseconds instead of seconds',
    response: (res) => {
      const v = res.headers['x-ratelimit-reset'];
      return v === undefined ? undefined : { ...res, headers: { ...res.headers, 'x-ratelimit-reset': String(Number(v) * 1000) } };
    },
  },
  {
    name: 'retry-after-missing-on-429',
    check: 'rate-limit-enforcement',
    description: 'a 429 carries no Retry-After header (X-RateLimit-RetryAfter only)',
    response: (res) => (res.status === 429 ? { ...res, headers: omit(res.headers, 'retry-after') } : undefined),
  },
  {
    name: 'not-found-problem-json',
    check: 'error-envelope',
    description: 'the fallback 404 handler answers application/problem+json (RFC 9457) instead of the error envelope',
    response: (res, req) => {
      if (res.status !== 404) return undefined;
      const problem = { type: 'about:blank', title: 'Not Found', status: 404, detail: `No resource at ${apiPath(req)}`, instance: apiPath(req) };
      return { ...res, headers: { ...res.headers, 'content-type': 'application/problem+json' }, body: Buffer.from(JSON.stringify(problem)) };
    },
  },
  {
    name: 'forbidden-with-unauthorized-code',
    check: 'error-envelope',
    description: 'a 403 carries error.code UNAUTHORIZED (the code of 401)',
    response: (res) => editError(res, [403], (e) => { e.code = 'UNAUTHORIZED'; }),
  },
  {
    name: 'unauthorized-without-request-id',
    check: 'error-envelope',
    description: 'the auth middleware runs before the request-id one: 401 bodies lack error.requestId',
    response: (res) => editError(res, [401], (e) => { delete e.requestId; }),
  },
  {
    name: 'request-id-header-missing',
    check: 'request-id',
    description: 'no response carries the X-Request-Id header',
    response: (res) => (res.headers['x-request-id'] === undefined ? undefined : { ...res, headers: omit(res.headers, 'x-request-id') }),
  },
  {
    name: 'auth-optional',
    check: 'auth-required',
    description: 'a request without Authorization is served as the main account (200 where 401 is due)',
    request: (req, env) => (req.headers.authorization === undefined && apiPath(req) !== '/health'
      ? { ...req, headers: { ...req.headers, authorization: `Bearer ${env.keys.full}` } } : undefined),
  },
  {
    name: 'www-authenticate-missing',
    check: 'auth-required',
    description: '401 responses lack WWW-Authenticate',
    response: (res) => (res.status === 401 ? { ...res, headers: omit(res.headers, 'www-authenticate') } : undefined),
  },
  {
    name: 'readonly-key-writes',
    check: 'key-permissions',
    description: 'a readonly key is allowed to write (its writes are served as a full key of the same account)',
    request: (req, env) => (bearer(req) === env.keys.readonly && !['GET', 'HEAD'].includes(req.method)
      ? { ...req, headers: { ...req.headers, authorization: `Bearer ${env.keys.spare}` } } : undefined),
  },
  {
    name: 'malformed-json-500',
    check: 'negative-input',
    description: 'a body that is not JSON crashes the handler: 500 INTERNAL_ERROR instead of 400',
    response: (res, req) => {
      if (res.status !== 400 || !req.body.length || !/json/.test(req.headers['content-type'] ?? '')) return undefined;
      try {
        JSON.parse(req.body.toString('utf8'));
        return undefined;
      } catch {
        return errorEnvelope(res, 500, 'INTERNAL_ERROR', 'Unexpected token in JSON');
      }
    },
  },
  {
    name: 'model-field-wrong-type',
    check: 'response-schema',
    description: 'listModels sends contextWindow as a string ("128k")',
    response: (res, req) => {
      if (res.status !== 200 || req.method !== 'GET' || apiPath(req) !== '/models') return undefined;
      const body = jsonOf(res) as { models?: { contextWindow?: unknown }[] } | undefined;
      if (!body?.models?.length) return undefined;
      body.models[0].contextWindow = '128k';
      return withJson(res, body);
    },
  },
  {
    name: 'json-sent-as-text-plain',
    check: 'content-type',
    description: 'successful JSON bodies are labelled text/plain',
    response: (res) => (res.status >= 200 && res.status < 300 && (res.headers['content-type'] ?? '').startsWith(json)
      ? { ...res, headers: { ...res.headers, 'content-type': 'text/plain; charset=utf-8' } } : undefined),
  },
  {
    name: 'method-not-allowed-without-allow',
    check: 'method-not-allowed',
    description: '405 responses lack the Allow header',
    response: (res) => (res.status === 405 ? { ...res, headers: omit(res.headers, 'allow') } : undefined),
  },
  {
    name: 'cached-usage-203',
    check: 'status-code-declared',
    description: 'getUsage is served by a cache layer answering 203 Non-Authoritative Information, a status it does not declare',
    response: (res, req) => (res.status === 200 && req.method === 'GET' && apiPath(req) === '/user/usage' ? { ...res, status: 203 } : undefined),
  },
  {
    name: 'lifecycle-memory-missing-after-store',
    check: 'resource-lifecycle',
    description: 'a memory just stored reads as 404 (a lagging read replica); scoped to the lifecycle scenario\'s `-lifecycle-` ids',
    response: (res, req) => (res.status === 200 && req.method === 'GET' && /^\/memory\/[^/]*-lifecycle-/.test(apiPath(req))
      ? errorEnvelope(res, 404, 'NOT_FOUND', 'Memory not found') : undefined),
  },
  {
    name: 'unknown-project-found',
    check: 'not-found',
    description: 'getProject answers 200 with an empty default project for a well-formed id it never issued',
    response: (res, req, env) => {
      const issued = (env.state.projects ??= new Set<string>()) as Set<string>;
      const path = apiPath(req);
      if (req.method === 'POST' && path === '/projects' && res.status === 201) {
        const id = (jsonOf(res) as { id?: unknown } | undefined)?.id;
        if (typeof id === 'string') issued.add(id);
        return undefined;
      }
      const id = /^\/projects\/(proj_[A-Za-z0-9]+)$/.exec(path)?.[1];
      if (req.method !== 'GET' || res.status !== 404 || !id || issued.has(id)) return undefined;
      const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      return { status: 200, headers: { ...res.headers, 'content-type': json }, body: Buffer.from(JSON.stringify({ id, name: 'Untitled', description: '', settings: {}, createdAt: at, updatedAt: at })) };
    },
  },
  {
    name: 'stream-without-done',
    check: 'sse-stream',
    description: 'event streams end without their terminal done event',
    stream: (): StreamRewriter => ({ event: (d) => (typeOf(d) === 'done' ? [] : [d]), end: () => [] }),
  },
  {
    name: 'stream-delta-before-start',
    check: 'sse-stream',
    description: 'the first delta of a stream is sent before its start event',
    stream: (): StreamRewriter => {
      let held: string | undefined;
      let released = false;
      return {
        event: (d) => {
          if (!released && typeOf(d) === 'start') { held = d; return []; }
          if (!released && held !== undefined && typeOf(d) === 'delta') { released = true; return [d, held]; }
          return [d];
        },
        end: () => (!released && held !== undefined ? [held] : []),
      };
    },
  },
  {
    name: 'webhook-signed-with-wrong-secret',
    check: 'webhook-signature',
    description: 'webhook deliveries are signed with another secret than the webhook\'s',
    delivery: (d) => ({ ...d, headers: { ...d.headers, 'x-chaozcode-signature': sign('whsec_notTheWebhookSecret000000000000', d.body) } }),
  },
  {
    name: 'webhook-signature-over-reserialised-json',
    check: 'webhook-signature',
    description: 'the sender signs re-serialised JSON (sorted keys, indented) but sends the original bytes',
    delivery: (d) => {
      if (!d.secret) return undefined;
      const again = JSON.stringify(sortKeys(JSON.parse(d.body.toString('utf8'))), null, 2);
      return { ...d, headers: { ...d.headers, 'x-chaozcode-signature': sign(d.secret, again) } };
    },
  },
];

function omit(h: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _gone, ...rest } = h;
  return rest;
}

export function mutationByName(name: string): Mutation | undefined {
  return MUTATIONS.find((m) => m.name === name);
}

export type { ProxiedRequest };
