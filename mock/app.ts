// The request pipeline: request id and CORS, the mock's own surface (docs, spec, /__mock), routing,
// auth (401), rate limit (429 + headers), key-type gates (403), body (400/413), validation
// (400/422, 404 for bad path ids), then Prism (Prefer) or the handler. Every error, expected or
// not, leaves as the D5 envelope with the request id; the server keeps serving after a 500.
// Limits: per-request work is map lookups, compiled validators and precomputed templates; Prism
// runs per request only for Prefer code/example/dynamic. A request whose client leaves during its
// `Prefer: delay` is dropped, not carried out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationInfo } from './contract/spec.ts';
import type { PrismEngine } from './contract/prism-engine.ts';
import type { HandlerContext, HandlerResult, HandlerTable, MockServices } from './handlers/types.ts';
import { authenticate, authorize } from './pipeline/auth.ts';
import { readJsonBody } from './pipeline/body.ts';
import { corsHeaders, preflightHeaders } from './pipeline/cors.ts';
import { ApiError, envelope } from './pipeline/errors.ts';
import { negotiateWithPrism } from './pipeline/negotiate.ts';
import { readPreferences, type MockPreferences } from './pipeline/prefer.ts';
import type { RateDecision } from './pipeline/rate-limit.ts';
import { newRequestId } from './pipeline/request-id.ts';
import type { Router } from './pipeline/router.ts';
import { checkBody, checkPathParams, checkQuery, type OperationValidators } from './pipeline/validate.ts';
import type { AccountState } from './state/accounts.ts';
import type { KeyRecord } from './state/key-ring.ts';
import { emitAgentTransitions } from './handlers/agents.ts';
import { isoSeconds, utcDayStart, DAY_MS } from './time.ts';

export interface AppParts {
  services: MockServices;
  router: Router<OperationInfo>;
  validators: Map<string, OperationValidators>;
  handlers: HandlerTable;
  engine: PrismEngine;
  /** The mock's own endpoints outside /v2; returns undefined when the path is not one of them. */
  surface(method: string, path: string, req: IncomingMessage): HandlerResult | Promise<HandlerResult> | undefined;
  log(line: string): void;
}

interface RequestState {
  requestId: string;
  rate?: RateDecision;
}

const CORS = corsHeaders();
const PREFLIGHT = { ...CORS, ...preflightHeaders() };

export function createRequestListener(parts: AppParts): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const requestId = newRequestId();
    const state: RequestState = { requestId, rate: undefined };
    run(parts, req, res, state).catch((err: unknown) => sendError(parts, res, state, err));
  };
}

function bodyLimit(parts: AppParts, apiPath: string): number {
  const limits = parts.services.config.bodyLimits;
  return apiPath.startsWith('/codebase/') ? limits.codebaseBytes : limits.jsonBytes;
}

function splitUrl(url: string): { path: string; search: URLSearchParams | null } {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (!path.startsWith('/')) {
    try {
      path = new URL(url).pathname; // absolute-form request target
    } catch {
      path = '/';
    }
  }
  return { path, search: q < 0 ? null : new URLSearchParams(url.slice(q + 1)) };
}

async function run(parts: AppParts, req: IncomingMessage, res: ServerResponse, state: RequestState): Promise<void> {
  const method = req.method ?? 'GET';
  const { path, search } = splitUrl(req.url ?? '/');
  if (method === 'OPTIONS') {
    res.writeHead(204, { ...PREFLIGHT, 'X-Request-Id': state.requestId });
    res.end();
    return;
  }
  if (!path.startsWith('/v2/')) {
    const own = parts.surface(method, path, req);
    if (!own) throw new ApiError('NOT_FOUND', `No route for ${method} ${path}; the API lives under /v2`);
    send(res, state, await own);
    return;
  }
  const apiPath = path.slice(3);
  const route = parts.router.match(method, apiPath);
  if (route.kind === 'match' && !route.op.secured) {
    await serveOperation(parts, req, res, state, route.op, route.params, search);
    return;
  }
  const { services } = parts;
  const key = authenticate(req.headers.authorization, services.keys);
  const account = services.accounts.get(key.account);
  const plan = services.config.plans[account.config.plan];
  const decision = services.limiter.take(key.key, plan);
  state.rate = decision;
  if (!decision.admitted) throw rateLimited(decision);
  services.keys.touch(key);
  checkThresholds(services, account, key, decision);
  emitAgentTransitions(services, account, account.agents.sweep());
  if (route.kind === 'not-found') throw new ApiError('NOT_FOUND', `No route for ${method} ${apiPath} in API v2`);
  if (route.kind === 'method-not-allowed') {
    throw new ApiError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${apiPath}; allowed: ${route.allow.join(', ')}`, undefined, {
      Allow: route.allow.join(', '),
    });
  }
  const op = route.op;
  account.usage.recordRequest(op);
  authorize(key, method, op.tag);
  await serveOperation(parts, req, res, state, op, route.params, search, { key, account, decision });
}

interface Caller {
  key: KeyRecord;
  account: AccountState;
  decision: RateDecision;
}

async function serveOperation(
  parts: AppParts,
  req: IncomingMessage,
  res: ServerResponse,
  state: RequestState,
  op: OperationInfo,
  params: Record<string, string>,
  search: URLSearchParams | null,
  caller?: Caller,
): Promise<void> {
  const v = parts.validators.get(op.operationId)!;
  let body: Record<string, unknown> | undefined;
  if (op.requestBody) {
    body = await readJsonBody(req, bodyLimit(parts, op.path));
    checkBody(v, body);
  }
  const query = checkQuery(v, search);
  checkPathParams(v, params);
  const prefs = readPreferences(req.headers.prefer as string | undefined, search);
  const delay = prefs?.delayMs ?? parts.services.config.latencyMs;
  if (delay > 0 && !(await waitUnlessGone(res, delay))) return; // the client left: do nothing
  if (prefs?.prism) {
    const { seed, now } = parts.services;
    const negotiated = await negotiateWithPrism(parts.engine, op, req, body, prefs, state.requestId, seed, now(), caller?.decision, v.response);
    if (negotiated) {
      send(res, state, negotiated);
      return;
    }
  }
  const handler = parts.handlers[op.operationId];
  if (!handler) throw new Error(`no handler for ${op.operationId}`);
  const ctx: HandlerContext = {
    req,
    res,
    requestId: state.requestId,
    op,
    params,
    query,
    body,
    key: caller?.key as KeyRecord,
    account: caller?.account as AccountState,
    plan: caller ? parts.services.config.plans[caller.account.config.plan] : parts.services.config.plans.free,
    rate: caller?.decision as RateDecision,
    prefs: prefs as MockPreferences | undefined,
    services: parts.services,
    // Only streaming handlers need the headers gathered so far; build them on demand.
    get responseHeaders() {
      return headersFor(state, true);
    },
  };
  const result = await handler(ctx);
  if ('streamed' in result) return;
  send(res, state, result);
}

/** Waits `ms`, or less when the client goes away first; resolves false in that case. */
function waitUnlessGone(res: ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (stayed: boolean) => {
      clearTimeout(timer);
      res.off('close', gone);
      resolve(stayed);
    };
    const gone = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    res.on('close', gone);
  });
}

function rateLimited(d: RateDecision): ApiError {
  const window = d.window ?? 'burst';
  const when = d.retryAfter === 1 ? '1 second' : `${d.retryAfter} seconds`;
  const what = window === 'day' ? "The key's daily quota is spent" : 'Rate limit exceeded';
  return new ApiError('RATE_LIMITED', `${what}: retry in ${when}`, { window, limit: d.limit, retryAfter: d.retryAfter }, { 'Retry-After': d.retryAfter });
}

/** usage.threshold at 80 % and 100 % of the key's day quota: exactly when the count reaches them. */
function checkThresholds(services: MockServices, account: AccountState, key: KeyRecord, d: RateDecision): void {
  const perDay = services.config.plans[account.config.plan].perDay;
  if (perDay === null) return;
  const at80 = Math.ceil(perDay * 0.8);
  const threshold = d.dayUsed === perDay ? 100 : d.dayUsed === at80 ? 80 : undefined;
  if (threshold === undefined) return;
  services.emit(account, 'usage.threshold', {
    keyId: key.id,
    plan: account.config.plan,
    threshold,
    used: d.dayUsed,
    limit: perDay,
    resetAt: isoSeconds(utcDayStart(services.now()) + DAY_MS),
  });
}

/** The response headers: request id and CORS, then the rate-limit headers, then the answer's own. */
function headersFor(state: RequestState, withRate: boolean, extra?: Record<string, string | number>): Record<string, string | number> {
  const h: Record<string, string | number> = {
    'X-Request-Id': state.requestId,
    'Access-Control-Allow-Origin': CORS['Access-Control-Allow-Origin'],
    'Access-Control-Expose-Headers': CORS['Access-Control-Expose-Headers'],
  };
  const rate = withRate ? state.rate?.headers : undefined;
  if (rate) {
    h['X-RateLimit-Limit'] = rate['X-RateLimit-Limit'];
    h['X-RateLimit-Remaining'] = rate['X-RateLimit-Remaining'];
    h['X-RateLimit-Reset'] = rate['X-RateLimit-Reset'];
    h['X-RateLimit-RetryAfter'] = rate['X-RateLimit-RetryAfter'];
  }
  if (extra) for (const k in extra) h[k] = extra[k];
  return h;
}

function send(res: ServerResponse, state: RequestState, result: HandlerResult): void {
  if ('streamed' in result) return;
  const headers = headersFor(state, !result.omitRateHeaders, result.headers);
  if (result.raw) {
    headers['Content-Length'] = result.raw.length;
    res.writeHead(result.status, headers);
    res.end(result.raw);
    return;
  }
  if (result.status === 204 || (result.body === undefined && result.json === undefined)) {
    res.writeHead(result.status, headers);
    res.end();
    return;
  }
  const json = result.json ?? JSON.stringify(result.body);
  if (!headers['Content-Type']) headers['Content-Type'] = 'application/json';
  headers['Content-Length'] = Buffer.byteLength(json);
  res.writeHead(result.status, headers);
  res.end(json);
}

function sendError(parts: AppParts, res: ServerResponse, state: RequestState, err: unknown): void {
  // Too late to answer, or nobody left to answer: a client that hung up mid-request is no 500.
  if (res.headersSent || res.destroyed) {
    const hungUp = err instanceof ApiError || (err as NodeJS.ErrnoException)?.code === 'ECONNRESET';
    if (!hungUp) parts.log(`500 ${state.requestId} (unanswered): ${(err as Error)?.stack ?? String(err)}`);
    res.destroy();
    return;
  }
  let apiErr: ApiError;
  if (err instanceof ApiError) {
    apiErr = err;
  } else {
    parts.log(`500 ${state.requestId}: ${(err as Error)?.stack ?? String(err)}`);
    apiErr = new ApiError('INTERNAL_ERROR', 'The mock hit an unexpected error; the request can be retried');
  }
  const json = JSON.stringify(envelope(apiErr.code, apiErr.message, state.requestId, apiErr.details));
  const headers = headersFor(state, apiErr.status !== 401, apiErr.headers);
  headers['Content-Type'] = 'application/json';
  headers['Content-Length'] = Buffer.byteLength(json);
  res.writeHead(apiErr.status, headers);
  res.end(json);
}
