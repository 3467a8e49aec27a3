// Synchronous HTTP for the k6 emulator: k6's http.get/post return the response (no await), so the
// emulator blocks the calling thread with Atomics.wait while a worker thread (sync-http-worker.ts)
// performs the request with undici and writes the answer into shared memory. The worker also runs
// the mock (startMock, ephemeral loopback port), which could not answer from a blocked thread.
// Limits: test-only; one request in flight; 8 MiB per answer; timings are wall-clock approximations
// (waiting = time to response headers), not k6's.
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
  error?: string;
  waiting: number;
  duration: number;
}

export interface SyncHttp {
  /** http://127.0.0.1:PORT of the mock the worker started. */
  url: string;
  request(method: string, url: string, headers: Record<string, string>, body: string | null, timeoutMs: number): WireResponse;
  close(): Promise<void>;
}

const BUFFER_BYTES = 8 << 20;

export async function startSyncHttp(mockConfig?: Record<string, unknown>): Promise<SyncHttp> {
  const sab = new SharedArrayBuffer(8 + BUFFER_BYTES);
  const control = new Int32Array(sab, 0, 2);
  const data = new Uint8Array(sab, 8);
  const worker = new Worker(new URL('./sync-http-bootstrap.mjs', import.meta.url), { workerData: { sab, mock: true, mockConfig } });
  const [ready] = (await once(worker, 'message')) as [{ kind: string; url?: string; message?: string }];
  if (ready.kind !== 'ready' || !ready.url) {
    await worker.terminate();
    throw new Error(`mock worker did not start: ${ready.message ?? ready.kind}`);
  }
  const decoder = new TextDecoder();
  return {
    url: ready.url,
    request(method, url, headers, body, timeoutMs) {
      Atomics.store(control, 0, 0);
      worker.postMessage({ kind: 'request', req: { method, url, headers, body, timeoutMs } });
      const waited = Atomics.wait(control, 0, 0, timeoutMs + 5000);
      if (waited === 'timed-out') return { status: 0, headers: {}, body: null, error: 'bridge timed out', waiting: 0, duration: timeoutMs };
      const length = Atomics.load(control, 1);
      return JSON.parse(decoder.decode(data.slice(0, length))) as WireResponse;
    },
    async close() {
      worker.postMessage({ kind: 'close' });
      await Promise.race([once(worker, 'message'), new Promise((r) => setTimeout(r, 5000))]);
      await worker.terminate();
    },
  };
}
