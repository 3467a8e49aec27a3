// The runner's HTTP client (undici 7 `request`): every call is bounded — a timeout to the
// headers and between body chunks, an overall deadline, a body size cap (bigger bodies are
// cut and the connection aborted) and the run's AbortSignal — and never throws: transport
// failures come back as a classified `TransportError`. A semaphore bounds requests in flight.
// Limits: no redirects are followed; bodies are decoded as UTF-8 (no content-encoding support,
// the runner does not ask for compression).
import { Agent, request } from 'undici';
import type { ExchangeResponse, TransportError, TransportErrorKind } from './types.ts';

export interface HttpOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  concurrency: number;
  /** Overall deadline of a fully read exchange (ms). */
  deadlineMs: number;
  signal: AbortSignal;
}

export interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResult {
  response?: ExchangeResponse;
  error?: TransportError;
}

export interface RawStream {
  head?: ExchangeResponse;
  error?: TransportError;
  body?: AsyncIterable<Buffer> & { destroy(err?: Error): void; on(event: 'error', fn: () => void): unknown };
}

/** An opened stream: the caller reads `body`, calls `touch()` on every chunk (restarting the
 * idle timer), reads `reason()` when reading fails, and must call `release()`. */
export interface OpenedStream extends RawStream {
  release(): void;
  /** A chunk arrived: restart the idle timer (the stream is cut only when it stalls). */
  touch(): void;
  /** Which bound cut the stream, if one did (`deadline`, `body-timeout`, `aborted`). */
  reason(): TransportErrorKind | undefined;
}

/**
 * Bounds requests in flight, serving waiting callers round-robin by lane (the check that sends),
 * so a check stepping through a scenario one request at a time is not stuck behind another
 * check's hundreds of queued requests.
 */
class FairSemaphore {
  private active = 0;
  private readonly lanes = new Map<string, (() => void)[]>();
  constructor(private readonly max: number) {}

  async acquire(lane: string): Promise<() => void> {
    if (this.active >= this.max) {
      await new Promise<void>((resolve) => {
        const q = this.lanes.get(lane);
        if (q) q.push(resolve);
        else this.lanes.set(lane, [resolve]);
      });
    }
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.next();
    };
  }

  private next(): void {
    // Map order is insertion order: take the first lane, then move it to the back.
    for (const [lane, q] of this.lanes) {
      const wake = q.shift();
      this.lanes.delete(lane);
      if (q.length) this.lanes.set(lane, q);
      if (wake) return wake();
    }
  }
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly sem: FairSemaphore;

  constructor(private readonly opts: HttpOptions) {
    this.agent = new Agent({ connections: opts.concurrency + 2, keepAliveTimeout: 4_000, connect: { timeout: opts.timeoutMs } });
    this.sem = new FairSemaphore(opts.concurrency);
  }

  /** Send and read the whole body (bounded). */
  async send(req: RawRequest, deadlineMs = this.opts.deadlineMs, lane = 'default'): Promise<RawResult> {
    const release = await this.sem.acquire(lane);
    const b = new Bounds(this.opts.signal, deadlineMs, this.opts.timeoutMs);
    const started = Date.now();
    const fail = (err: unknown, where: string) => ({ error: classify(err, b, { ...this.opts, deadlineMs }, where) });
    try {
      const res = await this.dispatch(req, b.signal);
      b.headersArrived();
      return await this.readAll(res, b, fail, started);
    } catch (err) {
      return fail(err, 'request');
    } finally {
      b.done();
      release();
    }
  }

  /** Send and return the head at once; the caller reads (and must close) the body. */
  async open(req: RawRequest, maxMs: number, lane = 'default'): Promise<OpenedStream> {
    const release = await this.sem.acquire(lane);
    const b = new Bounds(this.opts.signal, maxMs, this.opts.timeoutMs);
    const started = Date.now();
    try {
      const res = await this.dispatch(req, b.signal);
      b.headersArrived();
      if (res.statusCode >= 400) {
        // A refusal is an ordinary answer (D8): read it whole, so its envelope can be judged.
        const fail = (err: unknown, where: string) => ({ error: classify(err, b, { ...this.opts, deadlineMs: maxMs }, where) });
        const done = await this.readAll(res, b, fail, started);
        b.done();
        release();
        return { head: done.response, error: done.error, release: () => {}, touch: () => {}, reason: () => b.reason };
      }
      const head: ExchangeResponse = {
        status: res.statusCode, headers: flattenHeaders(res.headers), bodyText: '', bodyBytes: 0,
        headersMs: Date.now() - started, totalMs: Date.now() - started, streamHead: true,
      };
      return { head, body: res.body as any, release: () => { b.done(); release(); }, touch: () => b.chunk(), reason: () => b.reason };
    } catch (err) {
      b.done();
      release();
      return { error: classify(err, b, { ...this.opts, deadlineMs: maxMs }, 'request'), release: () => {}, touch: () => {}, reason: () => b.reason };
    }
  }

  /** Read a whole body within the bounds and the size cap. */
  private async readAll(res: Dispatched, b: Bounds, fail: (err: unknown, where: string) => RawResult, started: number): Promise<RawResult> {
    const head = { status: res.statusCode, headers: flattenHeaders(res.headers), headersMs: Date.now() - started };
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        b.chunk();
        size += chunk.length;
        if (size > this.opts.maxBodyBytes) {
          res.body.destroy();
          return { error: { kind: 'too-large', message: `response ${head.status}: body larger than ${this.opts.maxBodyBytes} bytes; connection aborted` } };
        }
        chunks.push(chunk);
      }
    } catch (err) {
      return fail(err, `response ${head.status}: body`);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    return { response: { ...head, ...parseBody(text, head.headers), bodyBytes: size, totalMs: Date.now() - started } };
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => {});
  }

  private dispatch(req: RawRequest, signal: AbortSignal) {
    return request(req.url, {
      method: req.method as 'GET',
      headers: req.headers,
      body: req.body,
      dispatcher: this.agent,
      headersTimeout: this.opts.timeoutMs,
      bodyTimeout: this.opts.timeoutMs,
      signal,
    });
  }
}

type Dispatched = Awaited<ReturnType<typeof request>>;

/**
 * Precise bounds of one exchange (undici's own timers tick at ~0.5-1 s): a timer to the
 * headers, an idle timer between body chunks, an overall deadline and the run's signal, all
 * folded into one AbortSignal; `reason` says which one fired.
 */
class Bounds {
  private readonly ctl = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private idle?: NodeJS.Timeout;
  reason?: TransportErrorKind;
  readonly signal = this.ctl.signal;

  constructor(private readonly run: AbortSignal, deadlineMs: number, private readonly timeoutMs: number) {
    this.timers.push(setTimeout(() => this.abort('deadline'), deadlineMs), setTimeout(() => this.abort('headers-timeout'), timeoutMs));
    if (run.aborted) this.abort('aborted');
    else run.addEventListener('abort', this.onRunAbort, { once: true });
  }

  private readonly onRunAbort = () => this.abort('aborted');

  private abort(kind: TransportErrorKind): void {
    if (this.ctl.signal.aborted) return;
    this.reason = kind;
    this.ctl.abort(new Error(kind));
  }

  headersArrived(): void {
    clearTimeout(this.timers[1]);
    this.chunk();
  }

  chunk(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.abort('body-timeout'), this.timeoutMs);
  }

  done(): void {
    for (const t of this.timers) clearTimeout(t);
    clearTimeout(this.idle);
    this.run.removeEventListener('abort', this.onRunAbort);
  }
}

export function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function parseBody(text: string, headers: Record<string, string>): Pick<ExchangeResponse, 'bodyText' | 'json' | 'jsonError'> {
  if (!text.length) return { bodyText: text };
  // The runner sends Accept-Encoding: identity; a compressed body would otherwise read as garbage.
  const coding = headers['content-encoding'];
  if (coding && !/^\s*identity\s*$/i.test(coding)) {
    return { bodyText: text, jsonError: `the body is encoded with Content-Encoding "${coding}", though the request asked for identity` };
  }
  const ct = headers['content-type'] ?? '';
  const looksJson = /json/i.test(ct) || /^\s*[[{]/.test(text);
  if (!looksJson) return { bodyText: text, jsonError: 'not JSON' };
  try {
    return { bodyText: text, json: JSON.parse(text) };
  } catch (err) {
    return { bodyText: text, jsonError: (err as Error).message };
  }
}

export function classify(err: unknown, bounds: { reason?: TransportErrorKind }, opts: { timeoutMs: number; deadlineMs?: number }, where: string): TransportError {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  const messages: Partial<Record<TransportErrorKind, string>> = {
    'refused': 'connection refused',
    'headers-timeout': `no response headers within ${opts.timeoutMs} ms`,
    'body-timeout': `the body stalled for more than ${opts.timeoutMs} ms`,
    'deadline': `the exchange did not finish within ${opts.deadlineMs ?? '?'} ms`,
    'aborted': 'the run was aborted',
  };
  let kind: TransportErrorKind = bounds.reason ?? 'other';
  if (!bounds.reason) {
    if (code === 'ECONNREFUSED') kind = 'refused';
    else if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') kind = 'headers-timeout';
    else if (code === 'UND_ERR_BODY_TIMEOUT') kind = 'body-timeout';
    else if (['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'].includes(code) || /other side closed|terminated/i.test(e?.message ?? '')) kind = 'reset';
  }
  const message = kind === 'reset'
    ? `the connection closed before the response was complete (${code || e?.message})`
    : messages[kind] ?? e?.message ?? String(err);
  return { kind, message: `${where}: ${message}` };
}
