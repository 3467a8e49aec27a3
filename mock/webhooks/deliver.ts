// One delivery attempt: POST the raw body with the D9 headers through undici, bounded by a deadline
// (connect, headers and body all within `timeoutMs`) and an abort signal. Never throws: every
// failure becomes an outcome with `error`. Limits: redirects are not followed (a 3xx is a failure);
// at most 64 kB of the receiver's answer is read, then discarded.
import { performance } from 'node:perf_hooks';
import { request, type Dispatcher } from 'undici';

export const USER_AGENT = 'ChaozCode-Webhooks/2.0';

export interface AttemptInput {
  url: string;
  body: string;
  eventId: string;
  eventType: string;
  signature: string;
  timeoutMs: number;
  dispatcher: Dispatcher;
  /** Aborted by the dispatcher's reset() or close(). */
  cancel: AbortSignal;
}

export interface AttemptResult {
  status: number | null;
  delivered: boolean;
  durationMs: number;
  error?: string;
  /** False when retrying cannot help (the URL itself is unusable, or the attempt was cancelled). */
  retryable: boolean;
}

export async function deliverOnce(input: AttemptInput): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = usableUrl(input.url);
  if (!target) return { status: null, delivered: false, durationMs: 0, error: 'the webhook URL is not an http(s) URL', retryable: false };

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`no answer within ${input.timeoutMs} ms`)), input.timeoutMs);
  timer.unref();
  const signal = AbortSignal.any([deadline.signal, input.cancel]);
  try {
    const res = await request(target, {
      method: 'POST',
      dispatcher: input.dispatcher,
      signal,
      headersTimeout: input.timeoutMs,
      bodyTimeout: input.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'x-chaozcode-signature': input.signature,
        'x-chaozcode-event': input.eventType,
        'x-chaozcode-delivery': input.eventId,
      },
      body: input.body,
    });
    await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    const delivered = res.statusCode >= 200 && res.statusCode < 300;
    return { status: res.statusCode, delivered, durationMs: elapsed(), retryable: true, ...(delivered ? {} : { error: `the receiver answered ${res.statusCode}` }) };
  } catch (err) {
    const cancelled = input.cancel.aborted;
    return { status: null, delivered: false, durationMs: elapsed(), error: describeError(err, deadline.signal, input.timeoutMs), retryable: !cancelled };
  } finally {
    clearTimeout(timer);
  }
}

function usableUrl(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : null;
  } catch {
    return null;
  }
}

function describeError(err: unknown, deadline: AbortSignal, timeoutMs: number): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? '';
  if (deadline.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `no answer within ${timeoutMs} ms`;
  }
  if (code === 'UND_ERR_ABORTED' || (err as Error)?.name === 'AbortError') return 'cancelled';
  const inner = e?.cause?.code ?? code;
  const message = e?.cause?.message ?? e?.message ?? String(err);
  return inner ? `${inner}: ${message}` : message;
}

/** The URL as logged: without user info, which may hold credentials. */
export function loggableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.slice(0, 200);
  }
}
