// Prefer code/example/dynamic: the answer comes from Prism's negotiation (cached templates for
// code and example, a per-request run for dynamic), fitted to the API: error bodies get this
// request's id, dynamic bodies get recent timestamps and token counts that add up, and headers
// are the mock's real ones (request id, rate limits, WWW-Authenticate, Retry-After). A dynamic
// body is checked against the contract: properties it forbids are dropped, else other seeds are
// tried, else the static answer for the same code is sent.
// Limits: a preference the contract cannot satisfy (unknown code or example) is ignored, and the
// handler answers as if it had not been sent (no Preference-Applied header then).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ValidateFunction } from 'ajv';
import { NegotiationError, type PrismEngine } from '../contract/prism-engine.ts';
import type { OperationInfo } from '../contract/spec.ts';
import type { HandlerResult } from '../handlers/types.ts';
import { WWW_AUTHENTICATE } from './auth.ts';
import { codeForStatus } from './errors.ts';
import { appliedPreferences, type MockPreferences } from './prefer.ts';
import type { RateDecision } from './rate-limit.ts';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Recent timestamps (within the last 30 days) and `totalTokens = prompt + completion`. */
export function sanitizeDynamic(value: unknown, nowMs: number, salt = 0): unknown {
  if (typeof value === 'string' && ISO_DATE_TIME.test(value)) {
    const offset = (Math.abs(Date.parse(value) || 0) + salt) % (30 * 86_400_000);
    return new Date(Math.floor((nowMs - offset) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }
  if (Array.isArray(value)) return value.map((v, i) => sanitizeDynamic(v, nowMs, salt + i));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = sanitizeDynamic(v, nowMs, salt);
  if (typeof out.promptTokens === 'number' && typeof out.completionTokens === 'number' && typeof out.totalTokens === 'number') {
    out.totalTokens = out.promptTokens + out.completionTokens;
  }
  return out;
}

function requestSeed(seed: number, req: IncomingMessage, body: unknown): string {
  return createHash('sha256')
    .update(`${seed}\u0000${req.method}\u0000${req.url}\u0000${JSON.stringify(body ?? null)}`)
    .digest('hex')
    .slice(0, 16);
}

/** Dynamic answers that break the contract are retried with other seeds, then answered statically. */
const DYNAMIC_ATTEMPTS = 8;

/** Dynamic timestamps and token sums made plausible; an error body gets this request's id and the status's code. */
function fitBody(body: unknown, status: number, dynamic: boolean, requestId: string, nowMs: number): unknown {
  const out = dynamic ? sanitizeDynamic(body, nowMs) : body;
  const errorBody = (out as { error?: Record<string, unknown> } | undefined)?.error;
  if (status >= 400 && typeof errorBody === 'object' && errorBody !== null) {
    errorBody.requestId = requestId;
    errorBody.code = codeForStatus(status); // a dynamic body picks any code; the status decides
  }
  return out;
}

/**
 * True when `body` validates, possibly after dropping the properties the schema forbids (Prism's
 * generator ignores `if/then/else`, so an Agent gets both `result` and `error` whatever its status).
 */
function conformsOrRepaired(validate: ValidateFunction | undefined, body: unknown): boolean {
  if (!validate || typeof body !== 'object' || body === null) return true;
  for (let pass = 0; pass < 3; pass++) {
    if (validate(body)) return true;
    const forbidden = (validate.errors ?? []).filter((e) => e.keyword === 'false schema' && e.instancePath !== '');
    if (forbidden.length === 0) return false;
    for (const e of forbidden) removeAt(body, e.instancePath);
  }
  return validate(body);
}

function removeAt(root: unknown, pointer: string): void {
  const parts = pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop()!;
  let node = root as Record<string, unknown> | undefined;
  for (const p of parts) node = node?.[p] as Record<string, unknown> | undefined;
  if (node && typeof node === 'object' && !Array.isArray(node)) delete node[last];
}

export async function negotiateWithPrism(
  engine: PrismEngine,
  op: OperationInfo,
  req: IncomingMessage,
  body: unknown,
  prefs: MockPreferences,
  requestId: string,
  seed: number,
  nowMs: number,
  rate?: RateDecision,
  check?: (status: number) => ValidateFunction | undefined,
): Promise<HandlerResult | undefined> {
  const wanted = { ...prefs.prism! };
  if (wanted.dynamic && wanted.seed === undefined) wanted.seed = requestSeed(seed, req, body);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const apiPath = (q < 0 ? url : url.slice(0, q)).slice(3);
  const headers: Record<string, string> = req.headers.accept ? { accept: String(req.headers.accept) } : {};
  const request = { headers, body };
  let negotiated;
  let out: unknown;
  try {
    for (let attempt = 0; ; attempt++) {
      const seedNow = attempt === 0 ? wanted.seed : `${wanted.seed}-${attempt}`;
      const dynamic = wanted.dynamic && attempt <= DYNAMIC_ATTEMPTS;
      negotiated = await engine.negotiate(op.method, op.path, apiPath, { ...wanted, dynamic, seed: seedNow }, request);
      out = fitBody(negotiated.body, negotiated.status, dynamic ?? false, requestId, nowMs);
      if (!dynamic || conformsOrRepaired(check?.(negotiated.status), out)) break;
    }
  } catch (err) {
    if (err instanceof NegotiationError) return undefined;
    throw err;
  }
  const status = negotiated.status;
  const answer: Record<string, string | number> = {};
  const applied = appliedPreferences(prefs);
  if (applied) answer['Preference-Applied'] = applied;
  if (negotiated.mediaType) answer['Content-Type'] = negotiated.mediaType;
  if (status === 401) answer['WWW-Authenticate'] = WWW_AUTHENTICATE;
  if (status === 429) answer['Retry-After'] = Math.max(1, rate?.retryAfter ?? 1);
  if (negotiated.mediaType === 'text/event-stream') answer['Cache-Control'] = 'no-cache';
  const result: HandlerResult = { status, headers: answer, omitRateHeaders: status === 401 };
  if (typeof out === 'string') return { ...result, json: out };
  return out === undefined ? result : { ...result, body: out };
}
