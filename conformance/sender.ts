// Turns a check's `OutgoingRequest` into an `Exchange`: URL, headers and key by role, the
// bounded HTTP call, one retry after a 429 (waiting Retry-After, bounded) so a busy target
// does not cause false failures, and the passive checks run on every exchange. Also the
// pre-flight probe of `/health` that decides exit code 2 for an unreachable target.
// Limits: the 429 retry waits at most MAX_RETRY_WAIT_MS and retries once.
import type { ResolvedConfig } from './config.ts';
import type { HttpClient, RawRequest } from './http.ts';
import type { Recorder } from './recorder.ts';
import type { SpecIndex } from './spec.ts';
import type { Check, Exchange, ExchangeRequest, OutgoingRequest, SendOptions, StreamHandle, StreamOptions, KeyRole } from './types.ts';

const MAX_RETRY_WAIT_MS = 10_000;
const PROBE_TIMEOUT_MS = 5_000;
const ROLES = ['full', 'readonly', 'restricted', 'exhaust'];
/** Why a stream was cut (`Bounds.reason`) -> `StreamHandle.stopReason()`; a reset by the peer is `closed`. */
const STOP_REASONS: Record<string, string> = { 'deadline': 'max-ms', 'aborted': 'max-ms', 'body-timeout': 'error' };

export interface SenderDeps {
  spec: SpecIndex;
  config: ResolvedConfig;
  http: HttpClient;
  recorder: Recorder;
  passive: Check[];
  signal: AbortSignal;
  /** Called once when the target stopped answering (see GIVE_UP_AFTER); the runner stops the run. */
  giveUp?: (reason: string) => void;
}

/**
 * A target that answers nothing (every request times out or is refused) would otherwise keep
 * the run going for requests x timeout. After this many such failures in a row, with no answer
 * in between, the run is stopped with one clear finding instead.
 */
export const GIVE_UP_AFTER = 12;
const SILENT_KINDS = new Set(['headers-timeout', 'body-timeout', 'deadline', 'refused']);

export class ExchangeSender {
  private seq = 0;
  private silentInARow = 0;

  constructor(private readonly d: SenderDeps) {}

  async send(origin: string, req: OutgoingRequest, opts: SendOptions = {}): Promise<Exchange> {
    const first = await this.once(origin, req);
    const status = first.response?.status;
    if (status !== 429 || opts.retryOn429 === false || this.d.signal.aborted) return first;
    const wait = Math.min(MAX_RETRY_WAIT_MS, retryAfterMs(first.response?.headers['retry-after']));
    await sleep(wait, this.d.signal);
    const second = await this.once(origin, req);
    second.retried = true;
    return second;
  }

  async openStream(origin: string, req: OutgoingRequest, opts: StreamOptions = {}): Promise<StreamHandle> {
    const { raw, request, op } = this.prepare(req);
    const maxMs = opts.maxMs ?? this.d.config.streamMaxMs;
    const maxBytes = opts.maxBytes ?? this.d.config.maxBodyBytes;
    const sentAt = Date.now();
    const opened = await this.d.http.open(raw, maxMs, origin);
    const exchange = this.record(origin, request, op, sentAt, opened.head, opened.error);
    let reason: string | undefined;
    const body = opened.body;
    const started = Date.now();
    async function* chunks(): AsyncGenerator<Buffer> {
      if (!body) return;
      let size = 0;
      try {
        for await (const chunk of body) {
          opened.touch();
          size += chunk.length;
          if (size > maxBytes) { reason = 'max-bytes'; break; }
          yield chunk;
          if (Date.now() - started > maxMs) { reason = 'max-ms'; break; }
        }
      } catch {
        // The bounds abort with their own reason: the deadline is the stream's time cap.
        reason = STOP_REASONS[opened.reason() ?? ''] ?? 'closed';
      } finally {
        discard(body);
        opened.release();
      }
    }
    return {
      exchange,
      chunks: chunks(),
      stopReason: () => reason,
      close: async () => { if (body) discard(body); opened.release(); },
    };
  }

  /** GET /health with a short timeout; a message when the target cannot be judged at all. */
  async probe(): Promise<string | undefined> {
    const ex = await this.send('probe', { method: 'GET', path: '/health', auth: 'none' }, { retryOn429: false });
    const base = this.d.config.baseUrl;
    // The head came but the body did not (a short body, a stall): reachable, yet not judgeable.
    const answered = ex.error?.message.match(/^response (\d+): body: (.*)$/);
    if (answered) return `the target at ${base} answered GET /health (${answered[1]}) but its body never completed (${answered[2]}); check its Content-Length and framing`;
    if (ex.error) return `cannot reach the target at ${base} (GET /health: ${ex.error.message}); is it running, and is --base-url right?`;
    if (ex.response?.status === 404) return `GET ${base}/health answered 404: is --base-url right (it includes the version prefix, e.g. /v2)?`;
    return undefined;
  }

  private async once(origin: string, req: OutgoingRequest): Promise<Exchange> {
    const { raw, request, op } = this.prepare(req);
    const sentAt = Date.now();
    const res = origin === 'probe'
      ? await this.probeSend(raw)
      : await this.d.http.send(raw, undefined, origin);
    this.watchSilence(res.error?.kind);
    return this.record(origin, request, op, sentAt, res.response, res.error);
  }

  private watchSilence(kind: string | undefined): void {
    if (kind === undefined) this.silentInARow = 0;
    else if (SILENT_KINDS.has(kind) && ++this.silentInARow === GIVE_UP_AFTER && !this.d.signal.aborted) {
      this.d.giveUp?.(`the target stopped answering: ${GIVE_UP_AFTER} requests in a row timed out or were refused (timeout ${this.d.config.timeoutMs} ms), so the run was stopped; results are partial`);
    }
  }

  private probeSend(raw: RawRequest) {
    // The probe gets its own short bound so a dead target is detected quickly.
    return this.d.http.send(raw, Math.min(PROBE_TIMEOUT_MS, this.d.config.timeoutMs), 'probe');
  }

  private prepare(req: OutgoingRequest) {
    const auth = req.auth ?? 'full';
    // identity: a server may compress when the request names no coding (RFC 9110 12.5.3); the runner reads bytes as they are.
    const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': 'identity', 'user-agent': 'chaozcode-conformance', ...(req.headers ?? {}) };
    if (ROLES.includes(auth)) {
      const key = this.d.config.keys[auth as KeyRole];
      if (!key) throw new Error(`no ${auth} key was given, so this request cannot be sent`);
      headers.authorization = `Bearer ${key}`;
    } else if (auth !== 'none' && req.key !== undefined) {
      headers.authorization = auth === 'malformed' ? req.key : `Bearer ${req.key}`;
    }
    let body: string | undefined;
    if (req.rawBody !== undefined) body = req.rawBody.toString();
    else if (req.json !== undefined) body = JSON.stringify(req.json);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const url = this.d.config.baseUrl + req.path;
    const op = req.operationId ? this.d.spec.operation(req.operationId) : this.d.spec.matchOperation(req.method, req.path);
    const request: ExchangeRequest = { method: req.method, url, path: req.path, headers, body, json: req.rawBody === undefined ? req.json : undefined, auth };
    return { raw: { method: req.method, url, headers, body } as RawRequest, request, op };
  }

  /** A stable label: the operation, else the path template (undeclared method), else "unknown path". */
  private label(op: ReturnType<SpecIndex['operation']>, request: ExchangeRequest): string {
    if (op) return `${op.method} ${op.path}`;
    const hit = this.d.spec.matchPath(request.path);
    return `${request.method} ${hit ? hit.template : '(unknown path)'}`;
  }

  private record(origin: string, request: ExchangeRequest, op: ReturnType<SpecIndex['operation']>, sentAt: number, response?: Exchange['response'], error?: Exchange['error']): Exchange {
    const ex: Exchange = {
      seq: ++this.seq, origin, operationId: op?.operationId,
      operationLabel: this.label(op, request),
      request, response, error, sentAt,
    };
    this.d.recorder.observe(ex);
    for (const check of this.d.passive) {
      let found;
      try {
        found = check.inspect!({ spec: this.d.spec, config: this.d.config }, ex);
      } catch (err) {
        found = [{ message: `the check stopped on an internal error: ${(err as Error).message}` }];
      }
      const operation = ex.operationId ?? ex.operationLabel;
      // No answer means nothing was judged: only a finding (the transport check's) is recorded,
      // never a pass, so a target that answers nothing cannot collect passes.
      if (!found.length && ex.response && (check.applies?.(ex) ?? true)) this.d.recorder.pass(check.id, operation, true);
      for (const f of found) this.d.recorder.fail(check.id, { ...f, exchange: f.exchange ?? ex, operationId: f.operationId ?? operation }, true);
    }
    return ex;
  }
}

/** Retry-After in ms: delay-seconds or an HTTP date (RFC 9110 10.2.3); at least 1 s. */
function retryAfterMs(value: string | undefined): number {
  const v = value?.trim() ?? '';
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - Date.now();
  return Number.isFinite(ms) ? Math.max(1000, ms) : 1000;
}

/** Drop a body not read to its end: undici then emits 'error' (RequestAbortedError), which with
 * no listener would crash the process (a stream head answered 500, closed unread). */
function discard(body: { destroy(): void; on(event: 'error', fn: () => void): unknown }): void {
  body.on('error', () => {});
  body.destroy();
}

/** Wait `ms`, waking early when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
