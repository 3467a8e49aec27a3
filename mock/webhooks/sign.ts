// Webhook signatures (decision D9): `sha256=<lowercase hex HMAC-SHA256(key = secret UTF-8, message = raw body)>`.
// Limits: signs and verifies raw bytes only; re-serialised JSON will not verify, by design. Uppercase hex
// is refused (the contract says lowercase). No replay protection here: receivers check `createdAt` and
// deduplicate by event id.
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/;

/** The `X-ChaozCode-Signature` value for a raw body. */
export function signPayload(secret: string, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', Buffer.from(secret, 'utf8'));
  hmac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

/**
 * True when `header` is exactly the signature of `rawBody` under `secret`.
 * Checks the format first (Buffer.from(x, 'hex') silently drops bad characters), then the
 * length (timingSafeEqual throws on different lengths), then compares in constant time.
 */
export function verifySignature(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string' || !SIGNATURE_FORMAT.test(header)) return false;
  const expected = Buffer.from(signPayload(secret, rawBody), 'utf8');
  const received = Buffer.from(header, 'utf8');
  if (expected.length !== received.length) return false;
  return timingSafeEqual(expected, received);
}
