// The local webhook receiver of the webhook-signature check: a node:http server that records every
// delivery as raw bytes (signatures are verified over exactly what arrived) and answers 200 at once.
// It never judges: the check does, after the fact, so a broken delivery is a finding, not a retry.
// Limits: bodies above `maxBytes` are answered 413 and recorded as `tooLarge` (bytes cut); plain
// HTTP only (a remote target needs a public https URL forwarding here, see ConformanceWebhookOptions).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  seq: number;
  /** Epoch ms when the body had fully arrived. */
  receivedAt: number;
  method: string;
  /** Path and query as requested. */
  path: string;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  raw: Buffer;
  tooLarge: boolean;
}

export interface LocalReceiver {
  /** `http://host:port/hook-<token>`: the URL to register. */
  url: string;
  host: string;
  port: number;
  deliveries(): Delivery[];
  /** First delivery (already received or still to come) matching `match`, or undefined after `timeoutMs`. */
  waitFor(match: (d: Delivery) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<Delivery | undefined>;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  /** `host`, `host:port` or `[v6]:port`; port 0 (the default) picks a free one. */
  listen?: string;
  /** Path to answer on; others get 404 and are not recorded. Default `/hook-<random>`. */
  path?: string;
  maxBytes?: number;
}

/** Splits `host[:port]` / `[v6][:port]`; throws a readable error on nonsense. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(listen.trim());
  const port = m?.[3] === undefined ? 0 : Number(m[3]);
  if (!m || port > 65_535) throw new Error(`invalid listen address "${listen}" (want host, host:port or [v6]:port)`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

export async function startReceiver(opts: ReceiverOptions = {}): Promise<LocalReceiver> {
  const { host, port } = parseListen(opts.listen ?? '127.0.0.1');
  const hookPath = opts.path ?? `/hook-${Math.random().toString(36).slice(2, 10)}`;
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  const received: Delivery[] = [];
  const waiters = new Set<() => void>();

  const server = createServer((req, res) => {
    void record(req, res, hookPath, maxBytes).then((d) => {
      if (!d) return;
      received.push({ ...d, seq: received.length + 1 });
      for (const wake of [...waiters]) wake();
    });
  });
  server.keepAliveTimeout = 1000;
  await listen(server, host, port);
  const addr = server.address() as AddressInfo;
  const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    url: `http://${urlHost}:${addr.port}${hookPath}`,
    host: addr.address,
    port: addr.port,
    deliveries: () => [...received],
    waitFor(match, timeoutMs, signal) {
      return new Promise((resolve) => {
        const done = (d: Delivery | undefined): void => {
          clearTimeout(timer);
          waiters.delete(check);
          signal?.removeEventListener('abort', onAbort);
          resolve(d);
        };
        const check = (): void => {
          const hit = received.find(match);
          if (hit) done(hit);
        };
        const onAbort = (): void => done(undefined);
        const timer = setTimeout(() => done(undefined), timeoutMs);
        waiters.add(check);
        signal?.addEventListener('abort', onAbort, { once: true });
        check();
      });
    },
    close: () => closeServer(server),
  };
}

async function record(req: IncomingMessage, res: ServerResponse, hookPath: string, maxBytes: number): Promise<Omit<Delivery, 'seq'> | undefined> {
  const path = req.url ?? '/';
  if (path.split('?')[0] !== hookPath) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"ok":false}');
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        break;
      }
      chunks.push(chunk);
    }
  } catch {
    return undefined; // the sender went away mid-body: nothing usable arrived
  }
  res.writeHead(tooLarge ? 413 : 200, { 'content-type': 'application/json', connection: tooLarge ? 'close' : 'keep-alive' });
  res.end(tooLarge ? '{"ok":false}' : '{"ok":true}');
  return { receivedAt: Date.now(), method: req.method ?? 'GET', path, headers: flatHeaders(req), raw: Buffer.concat(chunks), tooLarge };
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
