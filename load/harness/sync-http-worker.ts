// Worker thread of the synchronous HTTP bridge (sync-http.ts): it owns the target (the real mock,
// started here with startMock on an ephemeral loopback port, or a given base URL) and performs each
// request with undici, writing the answer into shared memory and waking the blocked main thread.
// The mock must live here, not on the main thread: the main thread is blocked while it waits.
// Limits: one request at a time; answers above the shared buffer's size are cut and flagged.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';

interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
}

const { sab, mock, mockConfig } = workerData as { sab: SharedArrayBuffer; mock: boolean; mockConfig?: Record<string, unknown> };
const control = new Int32Array(sab, 0, 2);
const data = new Uint8Array(sab, 8);
const encoder = new TextEncoder();

function answer(result: unknown): void {
  let bytes = encoder.encode(JSON.stringify(result));
  if (bytes.length > data.length) bytes = encoder.encode(JSON.stringify({ status: 0, error: `answer of ${bytes.length} bytes exceeds the bridge buffer` }));
  data.set(bytes);
  Atomics.store(control, 1, bytes.length);
  Atomics.store(control, 0, 1);
  Atomics.notify(control, 0);
}

async function perform(req: WireRequest): Promise<void> {
  const started = performance.now();
  try {
    const res = await request(req.url, {
      method: req.method as 'GET',
      headers: req.headers,
      body: req.body ?? undefined,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const waiting = performance.now() - started;
    const body = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    answer({ status: res.statusCode, headers, body, waiting, duration: performance.now() - started });
  } catch (err) {
    answer({ status: 0, headers: {}, body: null, error: (err as Error).message, waiting: 0, duration: performance.now() - started });
  }
}

async function start(): Promise<void> {
  let close: (() => Promise<void>) | undefined;
  let url: string | undefined;
  if (mock) {
    const { startMock } = await import('../../mock/server.ts');
    const running = await startMock({ port: 0, host: '127.0.0.1', quiet: true, ...(mockConfig ? { config: mockConfig } : {}) });
    close = () => running.close();
    url = running.url;
  }
  parentPort?.on('message', (msg: { kind: 'request'; req: WireRequest } | { kind: 'close' }) => {
    if (msg.kind === 'request') void perform(msg.req);
    else void (close ? close() : Promise.resolve()).then(() => parentPort?.postMessage({ kind: 'closed' }));
  });
  parentPort?.postMessage({ kind: 'ready', url });
}

start().catch((err: unknown) => parentPort?.postMessage({ kind: 'failed', message: (err as Error).stack ?? String(err) }));
