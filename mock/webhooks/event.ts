// Webhook events (decision D9): `{id: "evt_...", type, createdAt, data}`, serialised once so that
// every attempt carries the same bytes, id and signature. Limits: `data` is whatever the caller
// passes (the contract's `webhooks` section describes it per type); it must be JSON-serialisable.
import { randomInt } from 'node:crypto';

/** The eight subscribable event types of the reference, plus the test event of `POST /webhooks/{id}/test`. */
export const WEBHOOK_EVENT_TYPES = [
  'memory.stored',
  'memory.updated',
  'memory.deleted',
  'agent.started',
  'agent.completed',
  'agent.failed',
  'project.updated',
  'usage.threshold',
] as const;
export const TEST_EVENT_TYPE = 'webhook.test';

export interface WebhookEvent {
  id: string;
  type: string;
  createdAt: string;
  data: unknown;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

/** RFC 3339 in UTC with a `Z` and whole seconds, as the reference's samples are. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A new event and its one serialisation; throws when `data` cannot be serialised. */
export function createEvent(type: string, data: unknown, nowMs: number): { event: WebhookEvent; body: string } {
  const event: WebhookEvent = { id: `evt_${randomAlnum(16)}`, type, createdAt: isoSeconds(nowMs), data: data ?? {} };
  return { event, body: JSON.stringify(event) };
}
