// The bench's baseline: a plain node:http server, in its own process, answering each route with
// the exact status, headers and body bytes the mock gave for the same request, and nothing else
// (no auth, no limits, no validation): the ceiling of a Node server on this machine.
// Limits: static answers only; any other path is a bare 404.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface PlainRoute {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

const SERVER = `
const http = require('node:http');
const routes = new Map(JSON.parse(process.env.BENCH_ROUTES).map((r) => [r.method + ' ' + r.path, { ...r, bytes: Buffer.from(r.body) }]));
http.createServer((req, res) => {
  const r = routes.get(req.method + ' ' + req.url);
  const send = () => {
    if (!r) { res.writeHead(404); res.end(); return; }
    res.writeHead(r.status, { ...r.headers, 'content-length': r.bytes.length });
    res.end(r.bytes);
  };
  if (req.method === 'POST') { req.on('data', () => {}); req.on('end', send); } else send();
}).listen(Number(process.env.BENCH_PORT), '127.0.0.1');
`;

/** An ephemeral loopback port that is free right now (also used by scripts/bench.ts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startPlainServer(routes: PlainRoute[], track: (c: ChildProcess) => ChildProcess = (c) => c): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = track(spawn(process.execPath, ['-e', SERVER], {
    env: { ...process.env, BENCH_ROUTES: JSON.stringify(routes), BENCH_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  }));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error('plain server exited');
    const ok = await fetch(url + routes[0].path, { method: routes[0].method }).then(() => true, () => false);
    if (ok) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('plain server did not come up');
}
