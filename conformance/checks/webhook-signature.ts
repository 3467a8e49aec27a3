// Check `webhook-signature` (D9): starts a local receiver (receiver/local-receiver.ts), creates a
// webhook with a known secret pointing at it, triggers `testWebhook` and a real event (storing a
// memory -> `memory.stored`) and verifies each delivery: POST, Content-Type application/json,
// `X-ChaozCode-Signature` = sha256=<64 lowercase hex> over the RAW body (format, length, then
// timingSafeEqual), X-ChaozCode-Event = body.type, X-ChaozCode-Delivery = body.id, the body valid
// against the spec's `webhooks.<type>` schema, createdAt fresh; and that testWebhook's answer names
// the event that arrived (eventId, delivered). Waits are bounded; the webhook is deleted after.
// Limits: a target that is not on loopback cannot reach this machine, so the check is skipped
// unless `webhook.publicUrl` (a tunnel to the receiver, bound at `webhook.receiverHost`) is given;
// so is a loopback target that refuses the receiver's http:// URL (D9: https only, outside the mock).
// Retries (5 attempts, backoff) are not exercised: the receiver acknowledges every delivery.
import { randomBytes } from 'node:crypto';
import type { SpecIndex } from '../spec.ts';
import type { ResolvedConfig } from '../config.ts';
import { startReceiver, type Delivery, type LocalReceiver } from '../receiver/local-receiver.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, verifyBody } from '../receiver/signature.ts';
import { webhookEventSpecs } from '../receiver/webhook-spec.ts';
import { fillPath } from '../request-builder.ts';
import type { Check, CheckContext, Exchange } from '../types.ts';

/** D9: receivers may reject events older than five minutes. */
const MAX_AGE_MS = 5 * 60_000;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/i;

export interface DeliveryProblem {
  message: string;
  pointer?: string;
  expected?: string;
  actual?: string;
}

export interface DeliveryExpectation {
  secret: string;
  type: string;
  spec: SpecIndex;
  clockSkewMs: number;
}

/** Judges one delivery against D9; `[]` when it conforms. Pure, for table tests. */
export function judgeDelivery(d: Delivery, want: DeliveryExpectation): DeliveryProblem[] {
  const out: DeliveryProblem[] = [];
  if (d.method !== 'POST') out.push({ message: `the delivery used ${d.method}, not POST`, expected: 'POST', actual: d.method });
  const ct = d.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(ct)) out.push({ message: 'the delivery\'s Content-Type is not application/json', pointer: '/headers/content-type', expected: 'application/json', actual: ct || '(none)' });
  const sig = verifyBody(want.secret, d.raw, d.headers[SIGNATURE_HEADER]);
  if (!sig.ok) {
    out.push({ message: `${sig.message} (D9: HMAC-SHA256 of the raw body bytes, keyed with the webhook secret)`, pointer: `/headers/${SIGNATURE_HEADER}`, expected: 'sha256=<64 lowercase hex>', actual: d.headers[SIGNATURE_HEADER] ?? '(none)' });
  }
  let body: any;
  try {
    body = JSON.parse(d.raw.toString('utf8'));
  } catch (err) {
    out.push({ message: `the delivery body is not JSON: ${(err as Error).message}`, actual: d.raw.toString('utf8').slice(0, 200) });
    return out;
  }
  if (d.headers[EVENT_HEADER] !== body?.type) out.push({ message: 'X-ChaozCode-Event differs from the body\'s type', pointer: `/headers/${EVENT_HEADER}`, expected: String(body?.type), actual: d.headers[EVENT_HEADER] ?? '(none)' });
  if (d.headers[DELIVERY_HEADER] !== body?.id) out.push({ message: 'X-ChaozCode-Delivery differs from the body\'s id', pointer: `/headers/${DELIVERY_HEADER}`, expected: String(body?.id), actual: d.headers[DELIVERY_HEADER] ?? '(none)' });
  if (body?.type !== want.type) out.push({ message: `the event's type is ${JSON.stringify(body?.type)}, not ${want.type}`, pointer: '/body/type', expected: want.type, actual: String(body?.type) });
  const ev = webhookEventSpecs(want.spec).find((e) => e.type === want.type);
  if (!ev) out.push({ message: `the contract's webhooks section has no ${want.type} entry to validate against` });
  const violations = ev ? want.spec.registry.validate(ev.schema, body) : [];
  if (violations.length) {
    out.push({ message: `the ${want.type} payload does not match its schema (webhooks.${want.type}): ${violations.slice(0, 3).map((v) => v.message).join('; ')}${violations.length > 3 ? ` (+${violations.length - 3} more)` : ''}`, pointer: `/body${violations[0].pointer}` });
  }
  const at = typeof body?.createdAt === 'string' ? Date.parse(body.createdAt) : NaN;
  if (Number.isFinite(at)) {
    const age = d.receivedAt - at;
    if (age > MAX_AGE_MS + want.clockSkewMs || age < -want.clockSkewMs) {
      out.push({ message: `createdAt is ${Math.round(age / 1000)} s from the delivery's arrival; a fresh event is at most five minutes old and not in the future`, pointer: '/body/createdAt', actual: body.createdAt });
    }
  }
  return out;
}

type Plan = { listen: string; path?: string; publicUrl?: string } | { skip: string };

export function receiverPlan(config: ResolvedConfig): Plan {
  const publicUrl = config.webhook.publicUrl;
  if (publicUrl) {
    let path = '/';
    try {
      path = new URL(publicUrl).pathname || '/';
    } catch {
      return { skip: `webhook.publicUrl is not a URL: ${publicUrl}` };
    }
    return { listen: config.webhook.receiverHost, path, publicUrl };
  }
  const host = new URL(config.baseUrl).hostname;
  if (!LOOPBACK.test(host)) {
    return { skip: `the target (${host}) cannot reach a receiver on this machine's loopback; give --webhook-public-url (an https tunnel to this machine) and --receiver-host (where the receiver listens) to run it` };
  }
  return { listen: config.webhook.receiverHost };
}

function randomSecret(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `whsec_${[...randomBytes(32)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/** Cases are named by event type (the deliveries judged), like partner mode's. */
const TEST_CASE = 'webhook.test';
const STORED_CASE = 'memory.stored';

function bodyOf(d: Delivery): any {
  try {
    return JSON.parse(d.raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

function report(ctx: CheckContext, operation: string, exchange: Exchange | undefined, problems: DeliveryProblem[]): void {
  for (const p of problems) ctx.fail({ operationId: operation, exchange, ...p });
  if (!problems.length) ctx.pass(operation);
}

async function testDelivery(ctx: CheckContext, rx: LocalReceiver, hook: { id: string; secret: string }, waitMs: number): Promise<void> {
  const name = TEST_CASE;
  const op = ctx.spec.operation('testWebhook');
  if (!op) return ctx.skip(name, 'the contract has no testWebhook operation');
  const ex = await ctx.send({ method: op.method, path: fillPath(op.path, { webhookId: hook.id }), operationId: op.operationId });
  const res = ex.response;
  if (res?.status !== 200) return ctx.fail({ operationId: name, exchange: ex, message: `testWebhook answered ${res?.status ?? ex.error?.message}, not 200 with the delivery's outcome`, expected: '200', actual: String(res?.status ?? '') });
  const answer = (res.json ?? {}) as { eventId?: unknown; delivered?: unknown; responseStatus?: unknown };
  // The delivery with the answered id; failing that, any test event for this webhook (so that a
  // wrong eventId is reported as such, not as a missing delivery).
  const ours = (x: Delivery) => x.headers[DELIVERY_HEADER] === answer.eventId || bodyOf(x)?.id === answer.eventId;
  const forHook = (x: Delivery) => bodyOf(x)?.type === 'webhook.test' && bodyOf(x)?.data?.webhookId === hook.id;
  const d = await rx.waitFor((x) => ours(x) || forHook(x), waitMs, ctx.signal);
  if (!d) return ctx.fail({ operationId: name, exchange: ex, message: `no webhook.test delivery (id ${String(answer.eventId)}) arrived within ${waitMs} ms of testWebhook's answer` });
  const problems = judgeDelivery(d, { secret: hook.secret, type: 'webhook.test', spec: ctx.spec, clockSkewMs: ctx.config.clockSkewMs });
  const body = bodyOf(d);
  if (answer.eventId !== body?.id) problems.push({ message: 'testWebhook\'s eventId is not the id of the event delivered', pointer: '/eventId', expected: String(body?.id), actual: String(answer.eventId) });
  if (answer.delivered !== true || answer.responseStatus !== 200) problems.push({ message: 'testWebhook reports the delivery as failed although the receiver answered 200', pointer: '/delivered', expected: 'delivered: true, responseStatus: 200', actual: JSON.stringify({ delivered: answer.delivered, responseStatus: answer.responseStatus }) });
  if (body?.data && body.data.webhookId !== hook.id) problems.push({ message: 'the test event names another webhook', pointer: '/body/data/webhookId', expected: hook.id, actual: String(body.data.webhookId) });
  report(ctx, name, ex, problems);
}

async function realDelivery(ctx: CheckContext, rx: LocalReceiver, hook: { secret: string }, waitMs: number): Promise<void> {
  const name = STORED_CASE;
  const made = await ctx.resources.create('memory', 'webhook');
  if ('error' in made) return ctx.skip(name, `could not store a memory to trigger memory.stored: ${made.error}`);
  const id = made.resource.id;
  const d = await rx.waitFor((x) => { const b = bodyOf(x); return b?.type === 'memory.stored' && b?.data?.memoryId === id; }, waitMs, ctx.signal);
  if (!d) return ctx.fail({ operationId: name, exchange: made.resource.created, message: `storing memory ${id} (201) produced no memory.stored delivery within ${waitMs} ms` });
  report(ctx, name, made.resource.created, judgeDelivery(d, { secret: hook.secret, type: 'memory.stored', spec: ctx.spec, clockSkewMs: ctx.config.clockSkewMs }));
}

async function createHook(ctx: CheckContext, url: string, secret: string): Promise<{ id: string; secret: string; ex: Exchange } | { error: string; ex?: Exchange }> {
  const op = ctx.spec.operation('createWebhook');
  if (!op) return { error: 'the contract has no createWebhook operation' };
  const ex = await ctx.send({ method: op.method, path: op.path, json: { url, events: ['memory.stored'], secret }, operationId: op.operationId });
  const json = ex.response?.json as { id?: unknown; secret?: unknown } | undefined;
  if (ex.response?.status !== 201 || typeof json?.id !== 'string') return { error: `createWebhook answered ${ex.response?.status ?? ex.error?.message}${typeof json?.id === 'string' ? '' : ' without an id'}`, ex };
  if (json.secret !== undefined && json.secret !== secret) return { error: 'createWebhook answered with another secret than the one sent', ex };
  return { id: json.id, secret, ex };
}

/** D9: outside the mock a target may accept https:// receivers only (a 422 naming url). */
function refusedPlainHttp(ex: Exchange | undefined, url: string): boolean {
  const details = (ex?.response?.json as { error?: { details?: { field?: unknown } } } | undefined)?.error?.details;
  return url.startsWith('http://') && ex?.response?.status === 422 && details?.field === 'url';
}

async function deleteHook(ctx: CheckContext, id: string): Promise<void> {
  const op = ctx.spec.operation('deleteWebhook');
  if (op) await ctx.send({ method: op.method, path: fillPath(op.path, { webhookId: id }), operationId: op.operationId });
}

export const webhookSignature: Check = {
  id: 'webhook-signature',
  title: 'Signed webhook deliveries',
  description:
    'Creates a webhook with a known secret pointing at a local receiver, triggers testWebhook and a real memory.stored event, and verifies each delivery (D9): POST with Content-Type application/json; X-ChaozCode-Signature sha256=<64 lowercase hex>, the HMAC-SHA256 of the raw body under the secret, compared in constant time; X-ChaozCode-Event and X-ChaozCode-Delivery equal to the body\'s type and id; the body valid against the webhooks section\'s schema; createdAt fresh; testWebhook\'s eventId equal to the delivered id.',
  needs: ['full'],
  async run(ctx) {
    const cases = [TEST_CASE, STORED_CASE];
    const plan = receiverPlan(ctx.config);
    if ('skip' in plan) return cases.forEach((c) => ctx.skip(c, plan.skip));
    let rx: LocalReceiver;
    try {
      rx = await startReceiver({ listen: plan.listen, path: plan.path });
    } catch (err) {
      return ctx.fail({ operationId: cases[0], message: `the local webhook receiver could not listen on ${plan.listen}: ${(err as Error).message}` });
    }
    const secret = randomSecret();
    ctx.secrets.add(secret);
    const waitMs = Math.max(2_000, Math.min(ctx.config.timeoutMs, 10_000));
    try {
      const url = plan.publicUrl ?? rx.url;
      const hook = await createHook(ctx, url, secret);
      if ('error' in hook && refusedPlainHttp(hook.ex, url)) {
        return cases.forEach((c) => ctx.skip(c, `the target refuses the receiver's http:// URL (422, field url; D9: https only outside the mock); give --webhook-public-url (an https tunnel to --receiver-host) to run it`));
      }
      if ('error' in hook) {
        ctx.fail({ operationId: cases[0], exchange: hook.ex, message: `could not create the webhook to test with: ${hook.error}` });
        return ctx.skip(cases[1], 'no webhook could be created');
      }
      try {
        await testDelivery(ctx, rx, hook, waitMs);
        await realDelivery(ctx, rx, hook, waitMs);
      } finally {
        await deleteHook(ctx, hook.id);
      }
    } finally {
      await rx.close();
    }
  },
};
