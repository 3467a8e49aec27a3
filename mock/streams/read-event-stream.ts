// Reads a Server-Sent Events response over a real connection, incrementally, with eventsource-parser
// (not a home-made parser), recording when each event arrived. Used by the stream tests and by
// scripts/bench-streams.ts. A non-stream answer (a JSON refusal) is returned as its body text.
// Limits: bounded by `timeoutMs` (default 30 s) and the parser's 1 MiB buffer; no reconnection.
import { performance } from 'node:perf_hooks';
import { createParser } from 'eventsource-parser';
import { request, type Dispatcher } from 'undici';

export interface ReceivedEvent {
  /** The `data:` payload as received. */
  data: string;
  /** Milliseconds from sending the request to receiving this event. */
  atMs: number;
}

export interface StreamReadOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  /** Close the connection after this many events (a client that goes away). */
  disconnectAfterEvents?: number;
  /** Called as each event is parsed, before the next chunk is read. */
  onEvent?: (event: ReceivedEvent) => void;
}

export interface StreamRead {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  events: ReceivedEvent[];
  comments: string[];
  parseErrors: string[];
  /** The raw body when the answer was not `text/event-stream`. */
  body?: string;
  /** Milliseconds until the response ended (or the client disconnected). */
  endedMs: number;
  disconnected: boolean;
}

export async function readEventStream(url: string, opts: StreamReadOptions = {}): Promise<StreamRead> {
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`stream not finished after ${opts.timeoutMs ?? 30_000} ms`)), opts.timeoutMs ?? 30_000);
  try {
    const res = await request(url, {
      method: opts.method ?? 'POST',
      headers: opts.headers,
      body: opts.body,
      dispatcher: opts.dispatcher,
      signal: abort.signal,
    });
    const read: StreamRead = { status: res.statusCode, headers: res.headers, events: [], comments: [], parseErrors: [], endedMs: 0, disconnected: false };
    const contentType = String(res.headers['content-type'] ?? '');
    if (!contentType.startsWith('text/event-stream')) {
      read.body = await res.body.text();
      read.endedMs = performance.now() - started;
      return read;
    }
    const parser = createParser({
      maxBufferSize: 1 << 20,
      onEvent: (msg) => {
        const event = { data: msg.data, atMs: performance.now() - started };
        read.events.push(event);
        opts.onEvent?.(event);
      },
      onComment: (comment) => read.comments.push(comment),
      onError: (err) => read.parseErrors.push(err.message),
    });
    // A multi-byte character can straddle two chunks: decode in streaming mode.
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of res.body) {
      parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
      if (opts.disconnectAfterEvents !== undefined && read.events.length >= opts.disconnectAfterEvents) {
        read.disconnected = true;
        res.body.destroy();
        break;
      }
    }
    read.endedMs = performance.now() - started;
    return read;
  } finally {
    clearTimeout(timer);
  }
}
