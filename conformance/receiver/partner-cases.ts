// Partner mode's cases: for each event, one correctly signed delivery (the receiver must answer
// 2xx) and tampered ones (each must get a 4xx), as D9 and the spec's "receiver's duties" say:
// verify the raw bytes with the secret, check the header format, reject stale `createdAt`.
// Each case is a pure function of (event, secret, now) returning the bytes and headers to send.
// Limits: deduplication cannot be judged from outside (a duplicate must still be acknowledged
// 2xx), so every request carries a fresh event id.
import { randomBytes } from 'node:crypto';
import { freshEventId, rfc3339, type WebhookEvent } from './webhook-spec.ts';
import { signBody } from './signature.ts';

export interface PartnerRequest {
  body: string;
  headers: Record<string, string>;
}

export interface PartnerCase {
  /** Check id in the reports. */
  id: string;
  title: string;
  /** What the receiver must answer. */
  expect: '2xx' | '4xx';
  /** One paragraph for the report: the rule and why. */
  description: string;
  build(event: WebhookEvent, secret: string, now: number): PartnerRequest;
}

/** Events older than this must be refused (D9: "more than five minutes old"). */
export const STALE_AGE_MS = 10 * 60_000;

function deliver(event: WebhookEvent, body: string, signature: string | undefined): PartnerRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-chaozcode-event': event.type,
    'x-chaozcode-delivery': event.id,
  };
  if (signature !== undefined) headers['x-chaozcode-signature'] = signature;
  return { body, headers };
}

function compact(event: WebhookEvent): string {
  return JSON.stringify(event);
}

export const PARTNER_CASES: PartnerCase[] = [
  {
    id: 'receiver-accepts-signed',
    title: 'Accepts a correctly signed event',
    expect: '2xx',
    description: 'A fresh event of each type from the spec, signed with the shared secret over its raw bytes (D9), must be acknowledged with a 2xx.',
    build: (event, secret) => deliver(event, compact(event), signBody(secret, compact(event))),
  },
  {
    id: 'receiver-rejects-wrong-secret',
    title: 'Rejects a signature made with another secret',
    expect: '4xx',
    description: 'Signed with a random secret instead of the shared one: the HMAC does not verify, so the receiver must answer 4xx.',
    build: (event) => deliver(event, compact(event), signBody(`whsec_${randomBytes(16).toString('hex')}`, compact(event))),
  },
  {
    id: 'receiver-rejects-changed-body',
    title: 'Rejects a body changed after signing',
    expect: '4xx',
    description: 'Signed, then one field changed (the event id): the signature covers the raw bytes, so it no longer verifies and the receiver must answer 4xx.',
    build: (event, secret) => {
      const changed = { ...event, id: freshEventId() };
      return deliver(changed, compact(changed), signBody(secret, compact(event)));
    },
  },
  {
    id: 'receiver-rejects-reserialised-body',
    title: 'Rejects the same JSON in other bytes',
    expect: '4xx',
    description: 'Signed compact, sent pretty-printed: equal as JSON, different as bytes. A receiver that verifies re-serialised JSON instead of the raw body accepts it; it must answer 4xx.',
    build: (event, secret) => deliver(event, JSON.stringify(event, null, 2), signBody(secret, compact(event))),
  },
  {
    id: 'receiver-rejects-missing-signature',
    title: 'Rejects a delivery without X-ChaozCode-Signature',
    expect: '4xx',
    description: 'No signature header at all: nothing proves the sender knows the secret; the receiver must answer 4xx.',
    build: (event) => deliver(event, compact(event), undefined),
  },
  {
    id: 'receiver-rejects-wrong-prefix',
    title: 'Rejects a signature with the prefix sha1=',
    expect: '4xx',
    description: 'The correct HMAC-SHA256 hex behind `sha1=` instead of `sha256=`: the header must match ^sha256=[0-9a-f]{64}$ exactly, so the receiver must answer 4xx.',
    build: (event, secret) => deliver(event, compact(event), signBody(secret, compact(event)).replace(/^sha256=/, 'sha1=')),
  },
  {
    id: 'receiver-rejects-stale',
    title: 'Rejects a correctly signed event whose createdAt is stale',
    expect: '4xx',
    description: 'Correctly signed, but createdAt is ten minutes old. Only the body is signed, so rejecting events older than five minutes (with deduplication) is the replay protection (D9); the receiver must answer 4xx.',
    build: (event, secret, now) => {
      const stale = { ...event, createdAt: rfc3339(now - STALE_AGE_MS) };
      return deliver(stale, compact(stale), signBody(secret, compact(stale)));
    },
  },
];
