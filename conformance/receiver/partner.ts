// Partner mode (`chaozcode-conformance receiver --url ... --secret ...`): sends every event type of
// the spec's `webhooks` section to a partner's receiver, correctly signed (each must get a 2xx)
// and tampered (each must get a 4xx; see partner-cases.ts), and returns one outcome per request.
// Requests go one at a time, each bounded by `timeoutMs`; a receiver that refuses the very first
// connection, or leaves three requests in a row unanswered, is a fatal error (exit 2); other
// transport errors are failed cases.
// Limits: the receiver's answer body is read (up to 64 KiB) and ignored; redirects are not followed.
import { request } from 'undici';
import type { SpecIndex } from '../spec.ts';
import { buildEvent, webhookEventSpecs } from './webhook-spec.ts';
import { PARTNER_CASES, type PartnerCase } from './partner-cases.ts';

export interface PartnerOptions {
  url: string;
  secret: string;
  spec: SpecIndex;
  /** Per-request bound in ms (default 10 000, the delivery deadline of D9). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Injected clock (epoch ms). */
  now?: () => number;
  /** Called after each request. */
  onOutcome?: (o: PartnerOutcome) => void;
}

export interface PartnerOutcome {
  caseId: string;
  eventType: string;
  eventId: string;
  expect: '2xx' | '4xx';
  status?: number;
  /** Transport error, when no answer came. */
  error?: string;
  passed: boolean;
  durationMs: number;
  /** The request, for the finding's curl line (body and headers as sent). */
  sent: { body: string; headers: Record<string, string> };
}

export interface PartnerRun {
  outcomes: PartnerOutcome[];
  cases: PartnerCase[];
  eventTypes: string[];
  /** Set when the receiver could not be judged at all. */
  fatal?: string;
  startedAt: number;
  durationMs: number;
}

export async function runPartner(opts: PartnerOptions): Promise<PartnerRun> {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const t0 = performance.now();
  const types = webhookEventSpecs(opts.spec);
  const run: PartnerRun = { outcomes: [], cases: PARTNER_CASES, eventTypes: types.map((t) => t.type), startedAt, durationMs: 0 };
  const finish = (fatal?: string): PartnerRun => ({ ...run, fatal, durationMs: Math.round(performance.now() - t0) });
  if (types.length === 0) return finish('the OpenAPI document has no `webhooks` section to build events from');
  let answered = false;
  let silent = 0;
  for (const c of PARTNER_CASES) {
    for (const t of types) {
      if (opts.signal?.aborted) return finish('interrupted');
      let event;
      try {
        event = buildEvent(opts.spec, t, now());
      } catch (err) {
        return finish((err as Error).message);
      }
      const sent = c.build(event, opts.secret, now());
      const outcome = await deliver(opts, c, t.type, event.id, sent);
      if (!answered && outcome.error && UNREACHABLE.test(outcome.error)) {
        return finish(`the receiver at ${opts.url} could not be reached: ${outcome.error}`);
      }
      answered = true;
      run.outcomes.push(outcome);
      opts.onOutcome?.(outcome);
      silent = outcome.status === undefined ? silent + 1 : 0;
      if (silent >= MAX_SILENT) return finish(`the receiver at ${opts.url} did not answer ${MAX_SILENT} requests in a row (last: ${outcome.error}); stopped`);
    }
  }
  return finish();
}

/** Transport failures in a row after which the run stops (a receiver that hangs). */
const MAX_SILENT = 3;

/** Connection-level failures: the receiver is not there at all. */
const UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)\b/;

async function deliver(
  opts: PartnerOptions, c: PartnerCase, eventType: string, eventId: string, sent: { body: string; headers: Record<string, string> },
): Promise<PartnerOutcome> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const t0 = performance.now();
  const base = { caseId: c.id, eventType, eventId: String(sent.headers['x-chaozcode-delivery'] ?? eventId), expect: c.expect, sent };
  const signals = [AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])];
  try {
    const res = await request(opts.url, {
      method: 'POST',
      headers: sent.headers,
      body: sent.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.any(signals),
    });
    await drain(res.body, 64 * 1024);
    const status = res.statusCode;
    const passed = c.expect === '2xx' ? status >= 200 && status < 300 : status >= 400 && status < 500;
    return { ...base, status, passed, durationMs: Math.round(performance.now() - t0) };
  } catch (err) {
    return { ...base, error: describe(err, timeoutMs), passed: false, durationMs: Math.round(performance.now() - t0) };
  }
}

async function drain(body: AsyncIterable<Buffer> & { destroy(): unknown }, max: number): Promise<void> {
  let n = 0;
  for await (const chunk of body) {
    n += chunk.length;
    if (n > max) {
      body.destroy();
      return;
    }
  }
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = e.code ?? e.cause?.code;
  const msg = e.cause?.message ?? e.message ?? String(err);
  return code ? `${code}: ${msg}` : msg;
}
