// k6 side of the operation table: sends one operation (auth header, JSON body, tags `area`, `op`
// and `name` = the path template, so /memory/{id} is one series) and checks its answer: status,
// content type, X-Request-Id, the rate-limit headers on authenticated responses, the D5 envelope
// on errors, and the operation's light shape check. A well-formed 429 counts as expected (the
// `rate_limited` counter), not as a failure, when the caller allows it.
// Limits: k6 buffers bodies (streams are judged whole, see stream-checks.ts); failure logs are
// capped per VU so that a broken target cannot flood the console.
import http from 'k6/http';
import type { RefinedResponse } from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
import type { LoadConfig } from './config.ts';
import { buildRequest } from './operations.ts';
import type { OpContext, OperationSpec } from './operations.ts';
import { header, rateHeaderChecks, rateLimitedChecks } from './rate-rules.ts';
import { SHAPES, envelopeProblem, parseObject, redact } from './shapes.ts';
import type { NamedCheck } from './sse.ts';

export type Res = RefinedResponse<'text'>;

/** 429 answers seen, tagged by `op`; expected under load, never counted in http_req_failed. */
export const rateLimited = new Counter('rate_limited');

/** Responses in 200..399 and 429 are "expected": a 429 is the server working as designed (D7). */
export function treat429AsExpected(): void {
  http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429));
}

let loggedFailures = 0;
const MAX_LOGGED = 20;

/** Records named checks with k6 `check` (one entry per name) and logs the first failures. */
export function record(list: NamedCheck[], tags: Record<string, string>, context: string): boolean {
  const sets: Record<string, () => boolean> = {};
  for (const c of list) sets[c.name] = () => c.ok;
  const ok = check(null, sets, tags);
  if (!ok && loggedFailures < MAX_LOGGED) {
    for (const c of list.filter((x) => !x.ok)) {
      if (loggedFailures++ >= MAX_LOGGED) break;
      console.warn(redact(`check failed: ${c.name} (${context}): ${c.detail}`));
    }
  }
  return ok;
}

export interface SendOptions {
  /** Another key (readonly probe); null sends no Authorization header. */
  key?: string | null;
  /** Statuses this call expects instead of the operation's success status (negative probes). */
  expect?: number[];
  extraTags?: Record<string, string>;
  /** Replace the built body (a raw string, for negative probes). */
  rawBody?: string;
  timeout?: string;
  /** The answer is a stream although the operation's default is JSON (`POST /query` with stream:true). */
  asStream?: boolean;
}

export interface Sent {
  res: Res;
  spec: OperationSpec;
  tags: Record<string, string>;
}

/** Streams get their own `area` tag: their duration is the completion's length, not a latency. */
export function tagsFor(spec: OperationSpec, extra?: Record<string, string>): Record<string, string> {
  return { area: spec.kind === 'sse' ? 'stream' : spec.area, op: spec.id, name: `${spec.method} ${spec.path}`, ...(extra ?? {}) };
}

export function send(cfg: LoadConfig, opId: string, ctx: OpContext, opts: SendOptions = {}): Sent {
  const built = buildRequest(opId, ctx);
  const spec: OperationSpec = opts.asStream ? { ...built.spec, kind: 'sse' } : built.spec;
  const key = opts.key === undefined ? cfg.key : opts.key;
  const headers: Record<string, string> = { Accept: spec.kind === 'sse' ? 'text/event-stream' : 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  const body = opts.rawBody !== undefined ? opts.rawBody : built.body;
  if (body !== null) headers['Content-Type'] = 'application/json';
  const tags = tagsFor(spec, opts.extraTags);
  const params = {
    headers,
    tags,
    timeout: opts.timeout ?? '60s',
    responseType: 'text' as const,
    ...(opts.expect ? { responseCallback: http.expectedStatuses(...opts.expect) } : {}),
  };
  const res = http.request(built.method, `${cfg.baseUrl}${built.path}`, body, params);
  return { res, spec, tags };
}

function contentType(res: Res): string {
  return (header(res.headers, 'Content-Type') ?? '').toLowerCase();
}

/** Checks common to every answer: the request id, and the rate-limit headers when authenticated. */
function commonChecks(res: Res, authenticated: boolean): NamedCheck[] {
  const rid = header(res.headers, 'X-Request-Id') ?? '';
  const out: NamedCheck[] = [{ name: 'X-Request-Id is req_…', ok: /^req_[A-Za-z0-9]+$/.test(rid), detail: `X-Request-Id "${rid}"` }];
  if (authenticated && res.status !== 401) out.push(...rateHeaderChecks(res.headers, Math.floor(Date.now() / 1000)));
  return out;
}

/** An error answer (D5): JSON content type and the envelope, optionally with a given code. */
export function errorChecks(res: Res, label: string, wantCode?: string): NamedCheck[] {
  const problem = envelopeProblem(res.body, header(res.headers, 'X-Request-Id'), wantCode);
  return [
    { name: `${label}: application/json`, ok: contentType(res).startsWith('application/json'), detail: `content-type ${contentType(res)}` },
    { name: `${label}: error envelope`, ok: problem === '', detail: problem },
  ];
}

function successChecks(res: Res, spec: OperationSpec): NamedCheck[] {
  const ct = contentType(res);
  if (spec.kind === 'empty') return [{ name: `${spec.id}: empty body`, ok: (res.body ?? '') === '', detail: `${(res.body ?? '').length} bytes` }];
  if (spec.kind === 'sse') {
    return [{ name: `${spec.id}: text/event-stream`, ok: ct.startsWith('text/event-stream'), detail: `content-type ${ct}` }];
  }
  const body = parseObject(res.body);
  const shape = SHAPES[spec.id];
  return [
    { name: `${spec.id}: application/json`, ok: ct.startsWith('application/json'), detail: `content-type ${ct}` },
    { name: `${spec.id}: body shape`, ok: body !== null && (!shape || shape(body)), detail: (res.body ?? '').slice(0, 200) },
  ];
}

export interface CheckOptions {
  /** The status this call expects (default: the operation's success status). */
  status?: number;
  /** Error code expected with `status` (negative probes). */
  code?: string;
  /** Accept a well-formed 429 (load scripts); smoke does not. */
  allow429?: boolean;
}

/** Checks one answer; true when every check passed. */
export function checkAnswer(sent: Sent, cfg: LoadConfig, opts: CheckOptions = {}): boolean {
  const { res, spec, tags } = sent;
  const want = opts.status ?? spec.status;
  const context = `${spec.id} ${res.status} ${header(res.headers, 'X-Request-Id') ?? 'no request id'}`;
  if (res.status === 429 && opts.allow429) {
    rateLimited.add(1, { op: spec.id });
    return record([...commonChecks(res, spec.auth), ...rateLimitedChecks(res.headers, res.body, cfg.limits)], tags, context);
  }
  const list: NamedCheck[] = [{ name: `${spec.id}: status ${want}`, ok: res.status === want, detail: `status ${res.status}${res.error ? ` (${res.error})` : ''}` }];
  list.push(...commonChecks(res, spec.auth && opts.status !== 401));
  if (res.status === want) list.push(...(want >= 400 ? errorChecks(res, `${spec.id} ${want}`, opts.code) : successChecks(res, spec)));
  else if (res.status >= 400) list.push(...errorChecks(res, `${spec.id} error`));
  return record(list, tags, context);
}

/** The parsed JSON body, or null. */
export function json(res: Res): Record<string, unknown> | null {
  return parseObject(res.body);
}

/** A string field of the JSON body, or ''. */
export function field(res: Res, name: string): string {
  const b = json(res);
  const v = b ? b[name] : undefined;
  return typeof v === 'string' ? v : '';
}
