// Verifies ChaozCode webhook deliveries: HMAC-SHA256 over the raw body, constant-time compare,
// five-minute freshness window and de-duplication by event id (in memory: use a shared store
// such as Redis when you run more than one process).
import crypto from 'node:crypto';

const SIGNATURE_FORMAT = /^sha256=[0-9a-f]{64}$/;
const MAX_AGE_MS = 5 * 60 * 1000;

/** True when `header` is the signature of `rawBody` (a Buffer) under `secret`. */
export function verifySignature(rawBody, header, secret) {
  if (typeof header !== 'string' || !SIGNATURE_FORMAT.test(header)) return false;
  const received = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest();
  return received.length === expected.length && crypto.timingSafeEqual(received, expected);
}

/** Remembers event ids for the freshness window; anything older is refused anyway. */
export function createDeduper(maxAgeMs = MAX_AGE_MS) {
  const seen = new Map();
  return function isFirstDelivery(eventId, now) {
    for (const [id, at] of seen) if (now - at > 2 * maxAgeMs) seen.delete(id);
    if (seen.has(eventId)) return false;
    seen.set(eventId, now);
    return true;
  };
}

/** Decides what to answer for one delivery; `event` is set only when it should be processed. */
export function checkDelivery({ rawBody, headers, secret, isFirstDelivery, now = Date.now() }) {
  if (!verifySignature(rawBody, headers['x-chaozcode-signature'], secret)) {
    return { status: 401, reason: 'invalid signature' };
  }
  let event;
  try {
    event = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { status: 400, reason: 'body is not JSON' };
  }
  const createdAt = Date.parse(event?.createdAt);
  if (!Number.isFinite(createdAt) || Math.abs(now - createdAt) > MAX_AGE_MS) {
    return { status: 400, reason: 'stale or undated event' };
  }
  if (!isFirstDelivery(event.id, now)) return { status: 200, reason: 'duplicate, already processed' };
  return { status: 200, reason: 'accepted', event };
}

/** A node:http request handler: reads the raw body, answers at once, then calls onEvent(event). */
export function createWebhookHandler({ secret, onEvent, maxBodyBytes = 1024 * 1024 }) {
  const isFirstDelivery = createDeduper();
  return async (req, res) => {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk); // read the rest, keep none of it
    }
    if (size > maxBodyBytes) return res.writeHead(413).end();
    const result = checkDelivery({ rawBody: Buffer.concat(chunks), headers: req.headers, secret, isFirstDelivery });
    res.writeHead(result.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: result.status === 200, reason: result.reason }));
    if (result.event) await onEvent(result.event);
  };
}

// Usage:
//   import http from 'node:http';
//   const handler = createWebhookHandler({
//     secret: process.env.CHAOZCODE_WEBHOOK_SECRET,
//     onEvent: async (event) => console.log(event.type, event.id),
//   });
//   http.createServer(handler).listen(3000);
