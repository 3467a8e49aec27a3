// Legal variations on the wire: headers (case, extra ones, media type parameters, other legal
// forms of WWW-Authenticate and Allow, a rounded-up X-RateLimit-Reset), framing (chunked bodies,
// Content-Length streams, Connection: close, short keep-alive, gzip when allowed, latency) and
// event streams (CRLF or CR line ends, comments, BOM, retry:/id: fields, `data:` without the
// space, writes split byte by byte across multi-byte characters, keep-alives, slow events).
// Limits: each variation changes one aspect; combinations of variations are not run.
import type { Variation } from './variation.ts';
import type { SseStyle } from './wire-proxy.ts';

const TITLE = (name: string) => name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('-');

function mapHeaders(h: Record<string, string>, fn: (name: string, i: number) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v], i) => [fn(k, i), v]));
}

function sseVariation(name: string, description: string, legal: string, sse: SseStyle): Variation {
  return {
    name, description, legal,
    setup: (hit) => ({
      wire: {
        sse: {
          ...sse,
          frame: (data, i) => {
            hit();
            return sse.frame ? sse.frame(data, i) : `data: ${data}\n\n`;
          },
        },
      },
    }),
  };
}

export const WIRE_VARIATIONS: Variation[] = [
  {
    name: 'header-names-and-reason-phrase',
    description: 'header names in Title-Case and UPPER CASE, and a non-standard reason phrase on every status line',
    legal: 'RFC 9110 5.1: field names are case-insensitive; RFC 9112 4: the reason phrase is ignored by clients',
    setup: (hit) => ({
      wire: {
        reason: 'Whatever You Like',
        headers: (h) => { hit(); return mapHeaders(h, (k, i) => (i % 2 ? k.toUpperCase() : TITLE(k))); },
      },
    }),
  },
  {
    name: 'content-type-charset',
    description: 'application/json; charset=utf-8 on JSON bodies and text/event-stream; charset=utf-8 on streams',
    legal: 'RFC 9110 8.3: media type parameters; D5/D8 name the media type, not the exact header text',
    setup: (hit) => ({
      wire: {
        headers: (h, { stream }) => {
          const ct = h['content-type'];
          if (!ct) return h;
          hit();
          return { ...h, 'content-type': stream ? 'text/event-stream; charset=utf-8' : /json/.test(ct) ? 'application/json; charset=utf-8' : ct };
        },
      },
    }),
  },
  {
    name: 'content-type-case',
    description: 'media types in mixed case with a quoted parameter: Application/JSON; Charset="UTF-8", Text/Event-Stream',
    legal: 'RFC 9110 8.3.1: type, subtype and parameter names are case-insensitive; values may be quoted',
    setup: (hit) => ({
      wire: {
        headers: (h, { stream }) => {
          const ct = h['content-type'];
          if (!ct) return h;
          hit();
          return { ...h, 'content-type': stream ? 'Text/Event-Stream' : /json/.test(ct) ? 'Application/JSON; Charset="UTF-8"' : ct };
        },
      },
    }),
  },
  {
    name: 'extra-headers',
    description: 'Server, Date, Vary, ETag, Strict-Transport-Security, X-Powered-By, Via, CSP-style and tracing headers on every answer; Cache-Control: no-store on JSON and "no-cache, no-transform" on streams',
    legal: 'RFC 9110 5.1: unknown fields are ignored; the contract forbids none of these; D8 asks for no-cache, which is present',
    setup: (hit) => {
      let n = 0;
      return {
        wire: {
          headers: (h, { stream }) => {
            hit();
            return {
              ...h, server: 'nginx/1.25.3', date: new Date().toUTCString(), vary: 'Origin, Accept-Encoding', etag: `W/"${(++n).toString(16)}"`,
              'strict-transport-security': 'max-age=63072000; includeSubDomains; preload', 'x-powered-by': 'Express', via: '1.1 edge-proxy',
              'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
              'cache-control': stream ? 'no-cache, no-transform' : 'private, no-store',
            };
          },
        },
      };
    },
  },
  {
    name: 'header-value-forms',
    description: 'WWW-Authenticate with a realm parameter; Allow in reverse order without spaces, plus HEAD (where GET is allowed) and OPTIONS',
    legal: 'RFC 6750 3 (Bearer realm=...); RFC 9110 10.2.1: Allow is an unordered list; the runner documents HEAD and OPTIONS as tolerated extras',
    setup: (hit) => ({
      wire: {
        headers: (h) => {
          const out = { ...h };
          if (out['www-authenticate']) { hit(); out['www-authenticate'] = 'Bearer realm="api.chaozcode.com"'; }
          if (out.allow) {
            hit();
            const methods = out.allow.split(',').map((m) => m.trim()).filter(Boolean).reverse();
            out.allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(',');
          }
          return out;
        },
      },
    }),
  },
  {
    name: 'rate-limit-reset-rounded-up',
    description: 'X-RateLimit-Reset one second later than the mock\'s (rounded up instead of down)',
    legal: 'D7: Reset is the epoch second when Remaining is back at its maximum; rounding a fractional second up is as right as down',
    setup: (hit) => ({
      wire: {
        headers: (h) => {
          const v = h['x-ratelimit-reset'];
          if (v === undefined || !/^\d+$/.test(v)) return h;
          hit();
          return { ...h, 'x-ratelimit-reset': String(Number(v) + 1) };
        },
      },
    }),
  },
  {
    name: 'chunked-bodies',
    description: 'every JSON body sent with Transfer-Encoding: chunked, in 7-byte chunks, without Content-Length',
    legal: 'RFC 9112 6-7: chunked and Content-Length are equivalent framings',
    setup: (hit) => ({ wire: { chunkBytes: 7, headers: (h, { stream }) => { if (!stream) hit(); return h; } } }),
  },
  {
    name: 'stream-with-content-length',
    description: 'event streams buffered and sent whole with a Content-Length instead of chunked',
    legal: 'RFC 9112 6: any framing; D8 asks for the events and the close, not for chunked encoding',
    setup: (hit) => ({ wire: { sse: { contentLength: true, frame: (d) => { hit(); return `data: ${d}\n\n`; } } } }),
  },
  {
    name: 'connection-close',
    description: 'Connection: close on every response (a new connection per request)',
    legal: 'RFC 9112 9.6: a server may close after any response',
    setup: (hit) => ({ wire: { headers: (h) => { hit(); return { ...h, connection: 'close' }; } } }),
  },
  {
    name: 'keep-alive-1s',
    description: 'idle keep-alive connections closed by the server after one second (Keep-Alive: timeout=1)',
    legal: 'RFC 9112 9.3-9.5: a server may close idle connections whenever it likes',
    setup: (hit) => ({ wire: { keepAliveMs: 1_000, headers: (h) => { hit(); return h; } } }),
  },
  {
    name: 'gzip-when-allowed',
    description: 'JSON bodies gzip-compressed whenever the request allows it (any coding when Accept-Encoding is absent)',
    legal: 'RFC 9110 12.5.3: without Accept-Encoding any content coding is acceptable; with "identity" none is',
    setup: (hit) => ({ wire: { gzip: true, headers: (h, { stream, status }) => { if (!stream && status !== 204) hit(); return h; } } }),
  },
  {
    name: 'latency-jitter',
    description: '50-250 ms of random latency before each request is served (answers of concurrent requests arrive out of order); run with --concurrency 16, as a user facing a slow target would',
    legal: 'the contract sets no response time; the runner\'s timeouts are 5 s',
    setup: (hit) => ({
      runner: { concurrency: 16 },
      wire: { latencyMs: () => { hit(); return 50 + Math.floor(Math.random() * 200); } },
    }),
  },
  sseVariation('sse-crlf', 'event streams with CRLF line ends', 'WHATWG SSE: lines end in CRLF, LF or CR', { eol: '\r\n' }),
  sseVariation('sse-cr', 'event streams with bare CR line ends', 'WHATWG SSE: lines end in CRLF, LF or CR', { eol: '\r' }),
  sseVariation('sse-comments', 'comment lines before the first event, between events, inside an event block and after the terminal event',
    'D8: comment lines may appear between events and clients ignore them; WHATWG SSE: a line starting with ":" is ignored wherever it is',
    { prelude: ': stream opened\n\n', between: ': keep-alive\n\n', trailer: ': bye\n\n', frame: (d, i) => `: event ${i}\ndata: ${d}\n\n` }),
  sseVariation('sse-retry-and-id-fields', 'a retry: field first and an id: field in every event',
    'WHATWG SSE: retry and id are transport fields every client handles; D8 forbids only event: (the type lives in the JSON)',
    { prelude: 'retry: 3000\n\n', frame: (d, i) => `id: ${i + 1}\ndata: ${d}\n\n` }),
  sseVariation('sse-data-without-space', '`data:{...}` without the space after the colon',
    'WHATWG SSE: one space after the colon is optional and stripped when present; the data is the same JSON', { frame: (d) => `data:${d}\n\n` }),
  sseVariation('sse-leading-bom', 'a UTF-8 byte order mark before the first event',
    'WHATWG SSE: stream = [ bom ] *event; one leading BOM is ignored', { prelude: '\uFEFF' }),
  {
    name: 'sse-split-writes',
    description: 'streams written one byte at a time (split inside field names, JSON and multi-byte UTF-8 characters), deltas carrying accented, CJK and emoji text',
    legal: 'TCP and chunked framing carry no event boundaries; D8 leaves the completion text free',
    setup: (hit) => ({
      wire: { sse: { pieceBytes: 1, delayMs: (n) => (n < 150 ? 1 : 0), frame: (d) => { hit(); return `data: ${d}\n\n`; } } },
      hooks: {
        stream: () => ({
          event: (d) => {
            const e = JSON.parse(d);
            if (e?.type !== 'delta' || typeof e.content !== 'string') return [d];
            return [JSON.stringify({ ...e, content: `${e.content.replace(/e/g, 'é')}日本語🙂 ` })];
          },
          end: () => [],
        }),
      },
      // A stream written byte by byte is slow on a loaded machine; the harness's 5 s stream cap
      // would judge the machine, not the target. The runner's own default (15 s) applies.
      runner: { streamMaxMs: 15_000 },
    }),
  },
  {
    name: 'sse-keep-alives-from-the-target',
    description: 'the target itself sends `: keep-alive` comments between events (the mock\'s keepAliveMs at 100 ms, deltas every 15 ms)',
    legal: 'D8: comment lines (`: keep-alive`) may appear between events; clients ignore them',
    setup: (hit) => ({
      mock: { stream: { deltaDelayMs: 15, keepAliveMs: 100 } },
      wire: { sse: { comment: (c) => { hit(); return `:${c}\n\n`; } } },
    }),
  },
  {
    name: 'slow-stream-events',
    description: 'events 30 ms apart, so a stream lasts longer than the runner\'s --timeout 1000 (which bounds the wait between chunks, not the stream)',
    legal: 'D8 sets no pace; the timeout bounds silence, the stream cap (5 s here) bounds length',
    setup: (hit) => ({
      mock: { stream: { deltaDelayMs: 30 } },
      runner: { timeoutMs: 1_000 },
      hooks: {
        stream: () => {
          const t0 = Date.now();
          return { event: (d) => [d], end: () => { if (Date.now() - t0 > 1_000) hit(); return []; } };
        },
      },
    }),
  },
];
