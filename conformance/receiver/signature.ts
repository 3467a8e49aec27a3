// Webhook signatures as decision D9 defines them: `X-ChaozCode-Signature: sha256=<lowercase hex
// HMAC-SHA256(key = secret as UTF-8, message = raw body bytes)>`. Used by the webhook-signature
// check (verifying what a target sends) and by partner mode (signing what we send).
// Limits: raw bytes only, by design (re-serialised JSON does not verify); uppercase hex is refused
// because the contract says lowercase. Replay protection (createdAt, dedup) is the caller's job.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-chaozcode-signature';
export const EVENT_HEADER = 'x-chaozcode-event';
export const DELIVERY_HEADER = 'x-chaozcode-delivery';
export const SIGNATURE_PATTERN = /^sha256=[0-9a-f]{64}$/;

/** The header value for `rawBody` under `secret`. */
export function signBody(secret: string, rawBody: string | Buffer): string {
  const bytes = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(bytes).digest('hex')}`;
}

export type SignatureVerdict =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'format' | 'mismatch'; message: string };

/**
 * Verifies `header` against `rawBody` the way the spec tells receivers to: the format first
 * (Buffer.from(x, 'hex') drops bad characters silently), then equal lengths (timingSafeEqual
 * throws otherwise), then a constant-time comparison.
 */
export function verifyBody(secret: string, rawBody: string | Buffer, header: string | undefined): SignatureVerdict {
  if (header === undefined || header === '') {
    return { ok: false, reason: 'missing', message: 'no X-ChaozCode-Signature header' };
  }
  if (!SIGNATURE_PATTERN.test(header)) {
    return { ok: false, reason: 'format', message: `X-ChaozCode-Signature is not "sha256=" + 64 lowercase hex digits: ${clip(header)}` };
  }
  const expected = Buffer.from(signBody(secret, rawBody), 'utf8');
  const received = Buffer.from(header, 'utf8');
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { ok: false, reason: 'mismatch', message: 'X-ChaozCode-Signature does not match the HMAC-SHA256 of the raw body under the webhook secret' };
  }
  return { ok: true };
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
