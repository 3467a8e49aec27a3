// The spec's top-level `webhooks` section (OpenAPI 3.1), read for the webhook checks: each event
// type with its requestBody schema and examples, and a builder of fresh, valid events from them
// (an example first, else a value generated from the schema), checked with ajv before use.
// Limits: only `post` operations with an `application/json` body are read; the event type is the
// key of the `webhooks` map (the spec keys it so); a type whose schema cannot be satisfied is
// reported by `buildEvent` throwing, never sent unchecked.
import { randomBytes } from 'node:crypto';
import type { SpecIndex } from '../spec.ts';
import type { JsonSchema, Violation } from '../schema-registry.ts';
import { sampleValue } from '../schema-values.ts';

export interface WebhookEventSpec {
  /** The event type, e.g. `memory.stored` (the key in `webhooks`). */
  type: string;
  /** operationId of the webhook entry, when it has one. */
  operationId?: string;
  schema: JsonSchema;
  /** Example bodies, as written in the spec. */
  examples: unknown[];
}

export type WebhookEvent = { id: string; type: string; createdAt: string; data: unknown; [k: string]: unknown };

export function webhookEventSpecs(spec: SpecIndex): WebhookEventSpec[] {
  const out: WebhookEventSpec[] = [];
  for (const [type, rawItem] of Object.entries<any>(spec.doc.webhooks ?? {})) {
    const op = spec.deref(rawItem)?.post;
    if (!op) continue;
    const media = spec.deref(op.requestBody)?.content?.['application/json'];
    if (!media?.schema) continue;
    const examples: unknown[] = [];
    for (const ex of Object.values<any>(media.examples ?? {})) {
      const e = spec.deref(ex);
      if (e && 'value' in e) examples.push(e.value);
    }
    if (media.example !== undefined) examples.push(media.example);
    out.push({ type, operationId: op.operationId, schema: media.schema, examples });
  }
  return out;
}

/** `evt_` plus 16 random alphanumerics. */
export function freshEventId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `evt_${[...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/** RFC 3339 UTC with `Z`, whole seconds. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Schema violations of an event body against its type's schema (`[]` when valid). */
export function validateEvent(spec: SpecIndex, ev: WebhookEventSpec, body: unknown): Violation[] {
  return spec.registry.validate(ev.schema, body);
}

/**
 * A valid event of `ev.type` with a fresh id and `createdAt = now`: from the first example that
 * validates once refreshed, else generated from the schema. Throws when neither validates.
 */
export function buildEvent(spec: SpecIndex, ev: WebhookEventSpec, now: number = Date.now()): WebhookEvent {
  const candidates = [...ev.examples, sampleValue(ev.schema, (n) => spec.deref(n), { full: true })];
  let last: Violation[] = [];
  for (const candidate of candidates) {
    if (!candidate || typeof candidate !== 'object' || Array.isArray(candidate)) continue;
    const body = { ...structuredClone(candidate), id: freshEventId(), type: ev.type, createdAt: rfc3339(now) } as WebhookEvent;
    last = validateEvent(spec, ev, body);
    if (last.length === 0) return body;
  }
  throw new Error(`cannot build a valid ${ev.type} event from the spec: ${last.map((v) => v.message).join('; ') || 'no example or schema'}`);
}
