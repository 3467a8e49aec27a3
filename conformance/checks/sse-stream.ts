// Check `sse-stream` (D8): completion streams read incrementally, with eventsource-parser over
// the runner's bounded streaming body, capped in time, bytes and events. For streamQuery and for
// createQuery with `stream: true`: 200 with `Content-Type: text/event-stream` and `Cache-Control:
// no-cache`; `start` first and once; exactly one terminal event (`done` or `error`), last; every
// event valid against StreamEvent; no `event:` field; usage arithmetic; the deltas of a `done`
// stream non-empty; an `error` event's requestId equal to X-Request-Id; the server closes the
// stream soon after the terminal event. Refusals before streaming (no key, a 422 body) must be
// complete non-stream answers.
// Limits: X-Request-Id and the rate-limit headers of the stream head are judged by their own
// passive checks (request-id, rate-limit-headers; here only when those are not in the run), the
// refusals' envelope by error-envelope and their status by auth-required/negative-input. The
// `error` variant is judged when a target sends one; the contract defines no way to ask for it.
import { createParser } from 'eventsource-parser';
import type { OperationInfo, SpecIndex } from '../spec.ts';
import type { Violation } from '../schema-registry.ts';
import { anyValidBody } from '../request-builder.ts';
import type { Check, CheckContext, Exchange, StreamHandle } from '../types.ts';
import { caseName, inconclusive } from './util.ts';

/** Most events read from one stream before it is cut (a stream that never ends is a finding). */
export const MAX_EVENTS = 5_000;
/** How long the server may keep the stream open after the terminal event. */
export const CLOSE_GRACE_MS = 2_000;
/**
 * Below this, a stream still open after its terminal event was cut by the runner's own time cap
 * before the server had a fair chance to close it: not judged (the cap judges the runner's
 * budget, not the server).
 */
export const MIN_JUDGED_GRACE_MS = 500;
const TERMINAL = new Set(['done', 'error']);

export interface ReadEvent {
  data: string;
  /** The `event:` field, when the server sent one (D8: it must not). */
  event?: string;
}

/** How reading ended: the server closed, a cap, or the server kept it open after the terminal event. */
export type StreamEnd = 'closed' | 'max-ms' | 'max-bytes' | 'max-events' | 'reset' | 'open-after-terminal';

export interface StreamObservation {
  events: ReadEvent[];
  end: StreamEnd;
  parseErrors: string[];
  /** With end `open-after-terminal`: how long the stream stayed open after the terminal event. */
  openAfterTerminalMs?: number;
  /** The X-Request-Id of the stream head. */
  requestId?: string;
  maxMs: number;
}

export interface Problem {
  message: string;
  pointer?: string;
  expected?: string;
  actual?: string;
}

/** Judges a read stream against D8; `[]` when it conforms. Pure, for table tests. */
export function judgeEvents(obs: StreamObservation, validate: (value: unknown) => Violation[]): Problem[] {
  const problems: Problem[] = obs.parseErrors.map((m) => ({ message: `the event stream does not parse: ${m}` }));
  const parsed = obs.events.map((e, i) => parseEvent(e, i, validate, problems));
  const types = parsed.map((p) => p?.type);
  if (!parsed.length) {
    problems.push({ message: `the stream carried no event at all (${endText(obs)})`, expected: 'start, delta*, done|error' });
    return problems;
  }
  if (types[0] !== 'start') problems.push({ message: `the first event is ${JSON.stringify(types[0] ?? obs.events[0].data.slice(0, 60))}, not "start"`, pointer: '/events/0/type', expected: 'start', actual: String(types[0]) });
  const starts = types.filter((t) => t === 'start').length;
  if (starts > 1) problems.push({ message: `"start" was sent ${starts} times; it must come exactly once, first`, expected: '1', actual: String(starts) });
  const terminals = types.flatMap((t, i) => (TERMINAL.has(String(t)) ? [i] : []));
  if (terminals.length === 0) {
    problems.push({ message: `no terminal event ("done" or "error"): ${endText(obs)}`, expected: 'exactly one done|error, last', actual: `${types.length} events, last ${JSON.stringify(types.at(-1))}` });
  } else if (terminals.length > 1) {
    problems.push({ message: `${terminals.length} terminal events; exactly one ("done" or "error") is allowed`, pointer: `/events/${terminals[1]}`, expected: '1', actual: String(terminals.length) });
  }
  const last = terminals[0];
  if (last !== undefined && last !== parsed.length - 1) {
    problems.push({ message: `${parsed.length - 1 - last} event(s) after the terminal "${types[last]}" event; it must be the last`, pointer: `/events/${last + 1}`, actual: String(types[last + 1]) });
  }
  if (last !== undefined && obs.end === 'open-after-terminal') {
    problems.push({ message: `the server kept the stream open ${obs.openAfterTerminalMs ?? CLOSE_GRACE_MS} ms after the terminal event until it was cut; it must close it`, expected: 'end of stream' });
  }
  const terminal = last === undefined ? undefined : parsed[last];
  if (terminal?.type === 'done') problems.push(...judgeDone(terminal, parsed));
  if (terminal?.type === 'error' && obs.requestId !== undefined && terminal.error?.requestId !== obs.requestId) {
    problems.push({ message: 'the "error" event\'s requestId differs from the X-Request-Id header', pointer: `/events/${last}/error/requestId`, expected: obs.requestId, actual: String(terminal.error?.requestId) });
  }
  return problems;
}

function parseEvent(e: ReadEvent, i: number, validate: (v: unknown) => Violation[], problems: Problem[]): any {
  if (e.event !== undefined) problems.push({ message: `event ${i} has an "event: ${e.event}" field; the type belongs inside the JSON (D8)`, pointer: `/events/${i}` });
  let value: any;
  try {
    value = JSON.parse(e.data);
  } catch (err) {
    problems.push({ message: `event ${i} is not JSON: ${(err as Error).message}`, pointer: `/events/${i}`, actual: e.data.slice(0, 200) });
    return undefined;
  }
  const v = validate(value);
  if (v.length) {
    problems.push({
      message: `event ${i} (${JSON.stringify(value?.type)}) does not match StreamEvent: ${v.slice(0, 3).map((x) => x.message).join('; ')}`,
      pointer: `/events/${i}${v[0].pointer}`, actual: e.data.slice(0, 200),
    });
  }
  return value;
}

function judgeDone(done: any, parsed: any[]): Problem[] {
  const out: Problem[] = [];
  const u = done.usage ?? {};
  if (Number.isInteger(u.promptTokens) && Number.isInteger(u.completionTokens) && u.totalTokens !== u.promptTokens + u.completionTokens) {
    out.push({ message: 'usage.totalTokens is not promptTokens + completionTokens', pointer: `/events/${parsed.indexOf(done)}/usage/totalTokens`, expected: String(u.promptTokens + u.completionTokens), actual: String(u.totalTokens) });
  }
  const text = parsed.filter((p) => p?.type === 'delta').map((p) => (typeof p.content === 'string' ? p.content : '')).join('');
  if (!text.length) out.push({ message: 'the stream ended with "done" but its deltas carry no text; concatenated, they are the completion', expected: 'non-empty completion' });
  return out;
}

function endText(obs: StreamObservation): string {
  switch (obs.end) {
    case 'closed': return 'the server closed the stream without one';
    case 'max-ms': return `none arrived within ${obs.maxMs} ms (stream cut)`;
    case 'max-bytes': return 'none arrived before the body size cap (stream cut)';
    case 'max-events': return `none arrived within ${MAX_EVENTS} events (stream cut)`;
    case 'reset': return 'the connection broke before one arrived';
    default: return 'none arrived';
  }
}

/** Reads a stream incrementally until it ends, a cap is hit, or the close grace runs out. */
export async function readStream(handle: StreamHandle, maxMs: number): Promise<StreamObservation> {
  const events: ReadEvent[] = [];
  const parseErrors: string[] = [];
  let terminalAt: number | undefined;
  let oversized = false;
  const parser = createParser({
    onEvent: (e) => {
      events.push({ data: e.data, event: e.event });
      if (terminalAt === undefined && /"type"\s*:\s*"(done|error)"/.test(e.data)) terminalAt = Date.now();
    },
    onError: (err) => {
      parseErrors.push(err.message);
      if (err.type === 'max-buffer-size-exceeded') oversized = true; // the parser is now terminated
    },
    maxBufferSize: 1024 * 1024,
  });
  const decoder = new TextDecoder();
  const it = handle.chunks[Symbol.asyncIterator]();
  let end: StreamEnd = 'closed';
  let lastChar = '';
  const deadline = handle.exchange.sentAt + maxMs - 100;
  try {
    for (;;) {
      // After the terminal event, wait for the end at most the grace, and never past the cap
      // (a cut at the cap cannot be told from a reset by the server).
      const grace = Math.min(CLOSE_GRACE_MS, deadline - Date.now());
      const next = terminalAt === undefined ? await it.next() : grace <= 0 ? 'timeout' : await withTimeout(it.next(), grace);
      if (next === 'timeout') { end = 'open-after-terminal'; break; }
      if (next.done) {
        // A CR last in the stream ends its line (WHATWG SSE: CR alone is a line end), but the
        // parser holds it back waiting for a possible LF: give it one (CRLF is one line end).
        if (lastChar === '\r') parser.feed('\n');
        const r = handle.stopReason();
        end = r === 'max-ms' || r === 'max-bytes' ? r : r === 'closed' || r === 'error' ? 'reset' : 'closed';
        // Cut by a cap after the terminal event: the server did not close it.
        if (terminalAt !== undefined && (end === 'max-ms' || end === 'max-bytes')) end = 'open-after-terminal';
        break;
      }
      const text = decoder.decode(next.value, { stream: true });
      if (text) lastChar = text[text.length - 1];
      parser.feed(text);
      if (oversized) { end = 'max-bytes'; break; } // one event over the parser's buffer: feeding it again throws
      if (events.length > MAX_EVENTS) { end = 'max-events'; break; }
    }
  } finally {
    await handle.close();
  }
  let openAfterTerminalMs = end === 'open-after-terminal' && terminalAt !== undefined ? Date.now() - terminalAt : undefined;
  if (openAfterTerminalMs !== undefined && openAfterTerminalMs < MIN_JUDGED_GRACE_MS) {
    end = 'max-ms';
    openAfterTerminalMs = undefined;
  }
  return { events, end, openAfterTerminalMs, parseErrors: [...new Set(parseErrors)].slice(0, 5), requestId: handle.exchange.response?.headers['x-request-id'], maxMs };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** The stream head's own rules: 200, text/event-stream, Cache-Control no-cache. */
export function judgeHead(ex: Exchange): Problem[] {
  const res = ex.response;
  if (!res) return [{ message: `no stream: ${ex.error?.message ?? 'no response'}` }];
  const out: Problem[] = [];
  const ct = res.headers['content-type'] ?? '';
  if (res.status !== 200) out.push({ message: `a valid streaming request answered ${res.status}, not a 200 stream`, expected: '200', actual: String(res.status) });
  else if (!/^text\/event-stream\b/i.test(ct)) out.push({ message: 'the stream\'s Content-Type is not text/event-stream', pointer: '/headers/content-type', expected: 'text/event-stream', actual: ct || '(none)' });
  const cc = res.headers['cache-control'];
  if (res.status === 200 && !/(^|[\s,])no-cache($|[\s,])/i.test(cc ?? '')) {
    out.push({ message: 'the stream lacks Cache-Control: no-cache (D8)', pointer: '/headers/cache-control', expected: 'no-cache', actual: cc ?? '(none)' });
  }
  return out;
}

/** Whether another check of this run judges a header (then this one leaves it alone). */
function ownerRuns(ctx: CheckContext, id: string): boolean {
  const c = ctx.config;
  return (!c.only.length || c.only.includes(id)) && !c.skip.includes(id) && c.severity[id] !== 'off';
}

/** X-Request-Id and X-RateLimit-* on the stream head, judged here only when their owners do not run. */
export function headFallback(ctx: CheckContext, ex: Exchange): Problem[] {
  const h = ex.response?.headers ?? {};
  const out: Problem[] = [];
  if (!ownerRuns(ctx, 'request-id') && !/^req_[A-Za-z0-9]+$/.test(h['x-request-id'] ?? '')) {
    out.push({ message: 'the stream head lacks a valid X-Request-Id (D8: streams carry it too)', pointer: '/headers/x-request-id', actual: h['x-request-id'] ?? '(none)' });
  }
  if (!ownerRuns(ctx, 'rate-limit-headers')) {
    const missing = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-retryafter'].filter((n) => !/^\d+$/.test(h[n] ?? ''));
    if (missing.length) out.push({ message: `the stream head lacks integral ${missing.join(', ')} (D8: streams carry the rate-limit headers)`, pointer: `/headers/${missing[0]}` });
  }
  return out;
}

async function judgeStreamingOp(ctx: CheckContext, op: OperationInfo, extra: Record<string, unknown>): Promise<void> {
  const body = streamBody(ctx.spec, op, ctx.runId, extra);
  if (!body) return ctx.skip(op.operationId, 'no valid request body could be built from the contract');
  const handle = await ctx.openStream({ method: op.method, path: op.path, json: body, operationId: op.operationId });
  if (inconclusive(ctx, handle.exchange, op.operationId)) return handle.close(); // 429 or no answer (transport's)
  const head = [...judgeHead(handle.exchange), ...(handle.exchange.response?.status === 200 ? headFallback(ctx, handle.exchange) : [])];
  if (head.length && handle.exchange.response?.status !== 200) {
    await handle.close();
    return report(ctx, op.operationId, handle.exchange, head);
  }
  const obs = await readStream(handle, ctx.config.streamMaxMs);
  const schema = ctx.spec.registry.component('StreamEvent'); // once: validators are cached per schema object
  const validate = (v: unknown) => ctx.spec.registry.validate(schema, v);
  report(ctx, op.operationId, handle.exchange, [...head, ...judgeEvents(obs, validate)]);
}

function streamBody(spec: SpecIndex, op: OperationInfo, runId: string, extra: Record<string, unknown>): unknown {
  const base = anyValidBody(spec, op, runId, 'sse');
  if (!base || typeof base !== 'object') return undefined;
  const body = { ...(base as Record<string, unknown>), ...extra };
  return op.requestBody && spec.registry.validate(op.requestBody.schema, body).length === 0 ? body : undefined;
}

function report(ctx: CheckContext, operation: string, exchange: Exchange, problems: Problem[]): void {
  for (const p of problems) ctx.fail({ operationId: operation, exchange, ...p });
  if (!problems.length) ctx.pass(operation);
}

/** A refused request must be a complete answer, not a stream (its envelope is error-envelope's). */
async function judgeRefusal(ctx: CheckContext, op: OperationInfo, label: string, req: { json: unknown; auth?: 'none' }): Promise<void> {
  const ex = await ctx.send({ method: op.method, path: op.path, json: req.json, auth: req.auth, operationId: op.operationId });
  const res = ex.response;
  const name = caseName(op, label);
  if (!res) return ctx.skip(name, `no complete answer to judge (${ex.error?.message}); the transport check reports it`);
  if (res.status < 400) return ctx.skip(name, `not refused (status ${res.status}); whether it should be is judged by auth-required and negative-input`);
  const ct = res.headers['content-type'] ?? '';
  if (/^text\/event-stream\b/i.test(ct)) {
    return ctx.fail({ operationId: name, exchange: ex, message: `a request refused before streaming (${res.status}) was answered as an event stream; it must be an ordinary JSON error (D8)`, pointer: '/headers/content-type', expected: 'application/json', actual: ct });
  }
  ctx.pass(name);
}

export const sseStream: Check = {
  id: 'sse-stream',
  title: 'Server-Sent Events streams',
  description:
    'Streams of streamQuery and createQuery (stream: true), read incrementally with eventsource-parser and bounded in time, bytes and events (D8): 200 text/event-stream with Cache-Control no-cache; "start" first and once; exactly one terminal "done" or "error", last, after which the server closes the stream; every event valid against StreamEvent, without an event: field; totalTokens = promptTokens + completionTokens; the deltas of a "done" stream non-empty. Refusals before streaming (no key, a 422 body) are complete answers, not streams.',
  needs: ['full'],
  async run(ctx) {
    const ops = ctx.operations();
    const stream = ops.find((o) => o.operationId === 'streamQuery');
    const query = ops.find((o) => o.operationId === 'createQuery');
    if (!stream && !query) return;
    if (stream) await judgeStreamingOp(ctx, stream, {});
    if (query) {
      const hasFlag = Boolean(ctx.spec.deref(query.requestBody?.schema ?? {})?.properties?.stream);
      if (hasFlag) await judgeStreamingOp(ctx, query, { stream: true });
      else ctx.skip(query.operationId, 'its request body has no `stream` property');
    }
    const target = stream ?? query!;
    const body = streamBody(ctx.spec, target, ctx.runId, target === query ? { stream: true } : {});
    if (!body) return;
    await judgeRefusal(ctx, target, 'no key', { json: body, auth: 'none' });
    await judgeRefusal(ctx, target, 'invalid body', { json: { ...(body as object), conformanceUnknownProperty: true } });
  },
};
