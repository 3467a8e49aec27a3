// Two webhook receivers for the tests of partner mode and of the webhook-signature check: a
// correct one that verifies exactly as the spec's "receiver's duties" say (format, length,
// timingSafeEqual over the raw bytes, createdAt at most five minutes old), and a naive one that
// acknowledges everything. Test helpers only; not used by the runner itself.
// Limits: no deduplication (the partner cases never repeat an id).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestReceiver {
  url: string;
  /** Requests seen, with the status each got. */
  seen: { status: number; event?: string }[];
  close(): Promise<void>;
}

/** The spec's sample verifier, verbatim in behaviour. */
export function docsVerify(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  const a = Buffer.from(header);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function startTestReceiver(kind: 'correct' | 'naive', secret: string): Promise<TestReceiver> {
  const seen: TestReceiver['seen'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const status = kind === 'naive' ? 200 : judge(raw, req.headers['x-chaozcode-signature'] as string | undefined, secret);
      seen.push({ status, event: req.headers['x-chaozcode-event'] as string | undefined });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: status < 300 }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/webhooks/chaozcode`,
        seen,
        close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
      });
    });
  });
}

function judge(raw: Buffer, header: string | undefined, secret: string): number {
  if (!docsVerify(raw, header, secret)) return 401;
  let event: { createdAt?: unknown };
  try {
    event = JSON.parse(raw.toString('utf8'));
  } catch {
    return 400;
  }
  const at = typeof event.createdAt === 'string' ? Date.parse(event.createdAt) : NaN;
  if (!Number.isFinite(at) || Date.now() - at > 5 * 60_000) return 400;
  return 204;
}
