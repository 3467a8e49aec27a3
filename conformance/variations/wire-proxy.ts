// The wire proxy of the legal-variations proof: a node:http server on loopback in front of a target
// (the mutating proxy in front of the mock) that puts every answer on the wire the way another
// correct server might: other header names' case and extra headers, chunked bodies instead of
// Content-Length, Connection: close, short keep-alive, latency, gzip when the request allows it,
// and event streams re-framed (CRLF or CR line ends, comments, BOM, retry:/id: fields, `data:`
// without the space, writes split at odd places and paced, or the whole stream sent with a
// Content-Length). Bodies and events keep their meaning; `mutations/` changes meaning.
// Limits: test tooling for loopback targets; HTTP/1.1 only; non-stream bodies are buffered
// (32 MiB at most); only `200 text/event-stream` answers are treated as streams.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import { dropHop, flat, readStream } from '../mutations/proxy.ts';

export interface WireRequest {
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
}

export interface SseStyle {
  /** Written before the first event (a BOM, a `retry:` field, a comment). */
  prelude?: string;
  /** The bytes of one event carrying `data` (default `data: <data>\n\n`); `i` counts events from 0. */
  frame?(data: string, i: number): string;
  /** The bytes for a comment the target sent (default `:<text>\n\n`). */
  comment?(text: string): string;
  /** Written between two events. */
  between?: string;
  /** Written after the last event, before the stream is closed. */
  trailer?: string;
  /** Line end replacing every `\n` written (`\r\n`, `\r`). */
  eol?: string;
  /** Split every write into pieces of this many bytes (1 = byte at a time). */
  pieceBytes?: number;
  /** Wait before the n-th write (piece), in ms; 0 yields to the event loop only. */
  delayMs?(n: number): number;
  /** Buffer the whole stream and send it with a Content-Length instead of chunked. */
  contentLength?: boolean;
}

export interface WireStyle {
  /** Wait before forwarding each request (ms). */
  latencyMs?(): number;
  /** Response headers (lower-case names in; any case out), for every answer, streams included. */
  headers?(h: Record<string, string>, info: { status: number; stream: boolean; req: WireRequest }): Record<string, string>;
  /** Reason phrase of every status line. */
  reason?: string;
  /** Send buffered bodies chunked, in pieces of this many bytes, without Content-Length. */
  chunkBytes?: number;
  /** Close idle keep-alive connections after this many ms (and announce it). */
  keepAliveMs?: number;
  /** gzip non-empty buffered bodies whenever the request allows it (RFC 9110 12.5.3). */
  gzip?: boolean;
  sse?: SseStyle;
}

export interface WireStats {
  responses: number;
  streams: number;
  events: number;
  writes: number;
  gzipped: number;
  /** Requests that allowed only the identity coding (Accept-Encoding: identity). */
  identityOnly: number;
  /** Requests that used a mock-only surface (`/__mock/...`, a `Prefer` header): the runner must not. */
  mockSurface: string[];
}

export interface RunningWireProxy {
  url: string;
  stats: WireStats;
  close(): Promise<void>;
}


export async function startWireProxy(upstream: string, style: WireStyle = {}): Promise<RunningWireProxy> {
  const origin = upstream.replace(/\/+$/, '');
  const stats: WireStats = { responses: 0, streams: 0, events: 0, writes: 0, gzipped: 0, identityOnly: 0, mockSurface: [] };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readStream(req);
    const wreq: WireRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: flat(req.headers) };
    if (wreq.path.startsWith('/__mock') || wreq.headers.prefer !== undefined) stats.mockSurface.push(`${wreq.method} ${wreq.path} prefer=${wreq.headers.prefer ?? '-'}`);
    const wait = style.latencyMs?.() ?? 0;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const up = await request(`${origin}${wreq.path}`, {
      method: wreq.method as 'GET',
      headers: dropHop(wreq.headers),
      body: body.length || !['GET', 'HEAD'].includes(wreq.method) ? body : undefined,
    });
    const headers = dropHop(flat(up.headers));
    const stream = up.statusCode === 200 && /^text\/event-stream/i.test(headers['content-type'] ?? '');
    stats.responses++;
    if (stream) return streamOut(wreq, up.statusCode, headers, up.body, res);
    let out = await readStream(up.body);
    if (/^\s*identity\s*$/i.test(wreq.headers['accept-encoding'] ?? '')) stats.identityOnly++;
    if (style.gzip && out.length && allowsGzip(wreq.headers['accept-encoding'])) {
      out = gzipSync(out);
      headers['content-encoding'] = 'gzip';
      headers.vary = 'Accept-Encoding';
      stats.gzipped++;
    }
    const final = style.headers ? style.headers(headers, { status: up.statusCode, stream: false, req: wreq }) : headers;
    const empty = up.statusCode === 204 || up.statusCode === 304 || wreq.method === 'HEAD';
    if (style.chunkBytes && !empty) {
      res.writeHead(up.statusCode, style.reason, final);
      for (const piece of pieces(out, style.chunkBytes)) await write(res, piece);
      res.end();
      return;
    }
    res.writeHead(up.statusCode, style.reason, empty ? final : { ...final, 'Content-Length': String(out.length) });
    res.end(empty ? undefined : out);
  }

  async function streamOut(req: WireRequest, status: number, upHeaders: Record<string, string>, body: AsyncIterable<Buffer> & { destroy(): unknown }, res: ServerResponse): Promise<void> {
    stats.streams++;
    const sse = style.sse ?? {};
    const final = style.headers ? style.headers(upHeaders, { status, stream: true, req }) : upHeaders;
    res.on('close', () => body.destroy());
    const held: Buffer[] = [];
    let n = 0;
    const emit = async (text: string) => {
      if (!text) return;
      const bytes = Buffer.from(sse.eol ? text.replace(/\n/g, sse.eol) : text, 'utf8');
      if (sse.contentLength) return void held.push(bytes);
      for (const piece of pieces(bytes, sse.pieceBytes ?? bytes.length)) {
        const wait = sse.delayMs?.(n++) ?? -1;
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        else if (wait === 0) await new Promise((r) => setImmediate(r));
        if (res.destroyed) return;
        stats.writes++;
        await write(res, piece);
      }
    };
    if (!sse.contentLength) {
      res.writeHead(status, style.reason, final);
      res.flushHeaders();
    }
    // Events are re-framed in arrival order: the parser's callbacks queue onto one chain.
    let chain = emit(sse.prelude ?? '');
    let i = 0;
    const parser = createParser({
      onEvent: (e) => {
        const k = i++;
        stats.events++;
        const text = (k > 0 ? sse.between ?? '' : '') + (sse.frame ? sse.frame(e.data, k) : `data: ${e.data}\n\n`);
        chain = chain.then(() => emit(text));
      },
      onComment: (c) => {
        const text = sse.comment ? sse.comment(c) : `:${c}\n\n`;
        chain = chain.then(() => emit(text));
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // upstream or client went away: end what we have
    }
    await chain;
    await emit(sse.trailer ?? '');
    if (sse.contentLength) {
      const all = Buffer.concat(held);
      res.writeHead(status, style.reason, { ...final, 'Content-Length': String(all.length) });
      res.end(all);
      return;
    }
    res.end();
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`wire proxy: ${(err as Error).message}`);
    });
  });
  if (style.keepAliveMs !== undefined) server.keepAliveTimeout = style.keepAliveMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** RFC 9110 12.5.3: no Accept-Encoding means any coding is acceptable; else gzip must be listed with q > 0 (or `*`). */
export function allowsGzip(accept: string | undefined): boolean {
  if (accept === undefined) return true;
  const codings = accept.split(',').map((p) => {
    const [name, ...params] = p.trim().toLowerCase().split(';');
    const q = params.map((x) => /^\s*q=([\d.]+)/.exec(x)?.[1]).find(Boolean);
    return { name: name.trim(), q: q === undefined ? 1 : Number(q) };
  });
  const hit = codings.find((c) => c.name === 'gzip' || c.name === 'x-gzip') ?? codings.find((c) => c.name === '*');
  return hit !== undefined && hit.q > 0;
}

function pieces(buf: Buffer, size: number): Buffer[] {
  if (size <= 0 || buf.length <= size) return [buf];
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.write(chunk)) return resolve();
    res.once('drain', () => resolve());
    res.once('close', () => resolve());
  });
}

