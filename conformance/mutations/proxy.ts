// The mutating proxy of the mutation proof: a node:http server on loopback between the runner and
// a real target (the mock) that forwards everything, breaking one rule at a time (a `Mutation`).
// Streams (text/event-stream) are forwarded chunk by chunk, or event by event through the
// mutation's rewriter. Webhook deliveries are relayed too: a createWebhook whose `url` is a
// loopback receiver is registered with `<proxy>/__relay/<token>` instead (and answered with the
// original URL), so the target's deliveries pass here, where a mutation may re-sign them.
// Limits: test tooling for loopback targets only; bodies are buffered (streams aside) up to
// 32 MiB; HTTP/1.1 only; CONNECT and upgrades are not supported.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { createParser } from 'eventsource-parser';
import { isResponse, type Mutation, type MutationEnv, type ProxiedRequest, type ProxiedResponse } from './mutation.ts';

export interface ProxyOptions {
  /** Origin of the target, e.g. `http://127.0.0.1:4010` (no path). */
  upstream: string;
  mutation?: Mutation;
  keys: MutationEnv['keys'];
}

export interface RunningProxy {
  /** `http://127.0.0.1:PORT` (the target's paths are kept: use `url + '/v2'`). */
  url: string;
  port: number;
  /** Requests forwarded, and how many a mutation changed. */
  stats: { requests: number; mutated: number; relayed: number };
  close(): Promise<void>;
}

const MAX_BYTES = 32 * 1024 * 1024;
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'proxy-connection', 'te', 'trailer']);
const LOOPBACK_URL = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

interface Relay { target: string; secret?: string }

export async function startProxy(opts: ProxyOptions): Promise<RunningProxy> {
  const upstream = opts.upstream.replace(/\/+$/, '');
  const env: MutationEnv = { keys: opts.keys, state: {} };
  const relays = new Map<string, Relay>();
  const stats = { requests: 0, mutated: 0, relayed: 0 };
  let self = '';

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`mutating proxy: ${(err as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readStream(req);
    const incoming: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: flat(req.headers), body };
    if (incoming.path.startsWith('/__relay/')) return relay(incoming, res);
    stats.requests++;
    const relayToken = registerRelay(incoming);
    const changed = await opts.mutation?.request?.(incoming, env);
    if (changed) stats.mutated++;
    if (changed && isResponse(changed)) return send(res, changed);
    const out = changed ?? incoming;
    const up = await request(`${upstream}${out.path}`, {
      method: out.method as 'GET',
      headers: dropHop(out.headers),
      body: out.body.length || !['GET', 'HEAD'].includes(out.method) ? out.body : undefined,
    });
    const headers = flat(up.headers);
    if (up.statusCode === 200 && (headers['content-type'] ?? '').startsWith('text/event-stream')) {
      return streamThrough(out, up.statusCode, headers, up.body, res);
    }
    let answer: ProxiedResponse = { status: up.statusCode, headers: dropHop(headers), body: await readStream(up.body) };
    if (relayToken) answer = captureSecret(relayToken, answer);
    answer = restoreRelayUrls(answer);
    const mutated = await opts.mutation?.response?.(answer, out, env);
    if (mutated) stats.mutated++;
    send(res, mutated ?? answer);
  }

  /** createWebhook with a loopback receiver: register the relay instead. Returns the token. */
  function registerRelay(req: ProxiedRequest): string | undefined {
    if (req.method !== 'POST' || req.path.split('?')[0] !== '/v2/webhooks') return undefined;
    let json: any;
    try {
      json = JSON.parse(req.body.toString('utf8'));
    } catch {
      return undefined;
    }
    if (!json || typeof json !== 'object' || typeof json.url !== 'string' || !LOOPBACK_URL.test(json.url)) return undefined;
    const token = randomBytes(6).toString('hex');
    relays.set(token, { target: json.url, secret: typeof json.secret === 'string' ? json.secret : undefined });
    json.url = `${self}/__relay/${token}`;
    req.body = Buffer.from(JSON.stringify(json), 'utf8');
    return token;
  }

  function captureSecret(token: string, res: ProxiedResponse): ProxiedResponse {
    try {
      const json = JSON.parse(res.body.toString('utf8'));
      const r = relays.get(token);
      if (r && typeof json?.secret === 'string') r.secret = json.secret;
    } catch {
      // not JSON: nothing to learn
    }
    return res;
  }

  function restoreRelayUrls(res: ProxiedResponse): ProxiedResponse {
    if (relays.size === 0 || !(res.headers['content-type'] ?? '').includes('json')) return res;
    let text = res.body.toString('utf8');
    for (const [token, r] of relays) text = text.split(`${self}/__relay/${token}`).join(JSON.stringify(r.target).slice(1, -1));
    return { ...res, body: Buffer.from(text, 'utf8') };
  }

  async function relay(req: ProxiedRequest, res: ServerResponse): Promise<void> {
    const token = req.path.slice('/__relay/'.length).split(/[/?]/)[0];
    const r = relays.get(token);
    if (!r) return send(res, { status: 404, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"ok":false}') });
    stats.relayed++;
    const changed = await opts.mutation?.delivery?.({ headers: req.headers, body: req.body, secret: r.secret }, env);
    if (changed) stats.mutated++;
    const d = changed ?? { headers: req.headers, body: req.body };
    const up = await request(r.target, {
      method: 'POST', headers: dropHop(d.headers), body: d.body, headersTimeout: 10_000, bodyTimeout: 10_000,
    });
    send(res, { status: up.statusCode, headers: dropHop(flat(up.headers)), body: await readStream(up.body) });
  }

  function streamThrough(req: ProxiedRequest, status: number, headers: Record<string, string>, body: AsyncIterable<Buffer> & { destroy(): unknown }, res: ServerResponse): Promise<void> {
    res.writeHead(status, dropHop(headers));
    res.flushHeaders();
    res.on('close', () => body.destroy());
    const rewriter = opts.mutation?.stream?.(req, env);
    if (rewriter) stats.mutated++;
    const write = (payloads: string[]) => { for (const p of payloads) res.write(`data: ${p}\n\n`); };
    const parser = rewriter && createParser({
      onEvent: (e) => write(rewriter.event(e.data)),
      onComment: (c) => res.write(`:${c}\n\n`),
    });
    const decoder = new TextDecoder();
    return (async () => {
      try {
        for await (const chunk of body) {
          if (parser) parser.feed(decoder.decode(chunk, { stream: true }));
          else res.write(chunk);
        }
        if (rewriter) write(rewriter.end());
      } catch {
        // upstream or client went away: end what we have
      }
      res.end();
    })();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  self = `http://127.0.0.1:${port}`;
  return {
    url: self,
    port,
    stats,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function send(res: ServerResponse, r: ProxiedResponse): void {
  const headers: Record<string, string | number> = { ...r.headers };
  delete headers['content-length'];
  if (r.status !== 204 && r.status !== 304) headers['content-length'] = r.body.length;
  res.writeHead(r.status, headers);
  res.end(r.status === 204 || r.status === 304 ? undefined : r.body);
}

/** Node's header object as lower-case name -> one string. */
export function flat(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Headers of one hop (connection management, framing, host) that a proxy must not forward. */
export function dropHop(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).filter(([k]) => !HOP.has(k)));
}

/** A whole body, refusing more than MAX_BYTES. */
export async function readStream(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += c.length;
    if (n > MAX_BYTES) throw new Error(`body over ${MAX_BYTES} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}
