// A webhook receiver on loopback for tests and the bench: records every request's raw body and
// headers and answers as told (a status, or never). It verifies signatures the way the docs tell a
// receiver to (HMAC-SHA256 over the raw bytes, length check, timingSafeEqual), independently of
// sign.ts. Limits: test support only; keeps every request in memory.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
  receivedAt: number;
}

/** How to answer the n-th request (1-based): a status code, or 'hang' (accept and never answer). */
export type AnswerPolicy = (n: number, delivery: ReceivedDelivery) => number | 'hang';

export interface TestReceiver {
  url: string;
  received: ReceivedDelivery[];
  answer: AnswerPolicy;
  /** Requests whose connection is still open (a hanging answer keeps it open until the sender gives up). */
  open(): number;
  /** Resolves once `count` requests have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

export async function startTestReceiver(answer: AnswerPolicy = () => 200): Promise<TestReceiver> {
  const received: ReceivedDelivery[] = [];
  const waiters: Array<() => boolean> = [];
  const receiver: TestReceiver = {
    url: '',
    received,
    answer,
    open: () => open,
    waitFor: (count, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${count} deliveries in ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (received.length < count) return false;
          clearTimeout(timer);
          resolve(received.slice());
          return true;
        };
        if (!check()) waiters.push(check);
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  let open = 0;
  const server = http.createServer((req, res) => {
    open += 1;
    res.on('close', () => (open -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const delivery = { headers: req.headers, rawBody: Buffer.concat(chunks), receivedAt: Date.now() };
      received.push(delivery);
      const what = receiver.answer(received.length, delivery);
      for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]()) waiters.splice(i, 1);
      if (what === 'hang') return;
      res.writeHead(what, { 'content-type': 'text/plain' }).end(what < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

/** Verification as the docs describe it: over the raw bytes, format and length first, then constant time. */
export function receiverVerifies(secret: string, delivery: ReceivedDelivery): boolean {
  const header = delivery.headers['x-chaozcode-signature'];
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(delivery.rawBody).digest('hex')}`);
  const got = Buffer.from(header);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/** A loopback port with nothing listening on it (bound, then closed). */
export async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hooks`;
}
