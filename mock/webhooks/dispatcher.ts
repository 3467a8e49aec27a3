// Signed webhook deliveries with retries (decision D9). emit() is fire and forget: it builds the event
// once, signs it per subscription and schedules the attempts on unref'd timers, so the API response
// that caused it is never delayed and a dead receiver never keeps the process alive. Failed attempts
// (non-2xx, connection error, silence past timeoutMs) are retried after backoffBaseMs * 2^(n-1), up
// to maxAttempts in all, with the same bytes, id and signature. Every attempt is logged (never the
// secret). Limits: in-memory only, the log keeps the last `maxLogEntries` attempts; no jitter.
import { Agent } from 'undici';
import { createEvent, isoSeconds, TEST_EVENT_TYPE } from './event.ts';
import { deliverOnce, loggableUrl, type AttemptResult } from './deliver.ts';
import { signPayload } from './sign.ts';

export interface WebhookSubscription {
  id: string;
  url: string;
  events: string[];
  secret: string;
  active: boolean;
  createdAt: string;
}

/** The answer of `POST /webhooks/{id}/test`. */
export interface DeliveryOutcome {
  eventId: string;
  delivered: boolean;
  responseStatus: number | null;
  durationMs: number;
  error?: string;
}

/** One attempt, as `GET /__mock/deliveries` lists it. */
export interface DeliveryAttempt {
  eventId: string;
  type: string;
  webhookId: string;
  url: string;
  attempt: number;
  maxAttempts: number;
  startedAt: string;
  durationMs: number;
  status: number | null;
  delivered: boolean;
  error?: string;
  /** Milliseconds until the next attempt, when one is scheduled. */
  retryInMs?: number;
  /** The X-ChaozCode-Signature sent (the secret itself is never logged). */
  signature: string;
}

export interface WebhookDispatcherOptions {
  backoffBaseMs: number;
  maxAttempts: number;
  timeoutMs: number;
  now?: () => number;
  /** Attempts kept in the log, oldest dropped first (default 1000). */
  maxLogEntries?: number;
}

/** One event on its way to one subscription. */
interface Job {
  sub: WebhookSubscription;
  eventId: string;
  type: string;
  body: string;
  signature: string;
  maxAttempts: number;
  generation: number;
}

export class WebhookDispatcher {
  private readonly opts: Required<Omit<WebhookDispatcherOptions, 'now'>>;
  private readonly now: () => number;
  private readonly agent: Agent;
  private readonly timers = new Set<NodeJS.Timeout>();
  private cancel = new AbortController();
  private generation = 0;
  private closed = false;
  private entries: DeliveryAttempt[] = [];

  constructor(opts: WebhookDispatcherOptions) {
    this.opts = {
      backoffBaseMs: positive(opts.backoffBaseMs, 1_000),
      maxAttempts: Math.max(1, Math.floor(positive(opts.maxAttempts, 5))),
      timeoutMs: positive(opts.timeoutMs, 10_000),
      maxLogEntries: Math.max(1, Math.floor(positive(opts.maxLogEntries ?? 1_000, 1_000))),
    };
    this.now = opts.now ?? Date.now;
    this.agent = new Agent({
      connect: { timeout: this.opts.timeoutMs },
      headersTimeout: this.opts.timeoutMs,
      bodyTimeout: this.opts.timeoutMs,
      keepAliveTimeout: 1_000,
    });
  }

  /** Fire and forget: never throws, never waits. Subscriptions that are inactive or not subscribed to `type` are skipped. */
  emit(subs: WebhookSubscription[], type: string, data: unknown): void {
    if (this.closed || !Array.isArray(subs)) return;
    const targets = subs.filter((s) => s?.active && Array.isArray(s.events) && s.events.includes(type));
    if (targets.length === 0) return;
    let created: { event: { id: string }; body: string };
    try {
      created = createEvent(type, data, this.now());
    } catch (err) {
      for (const sub of targets) this.recordFailure(sub, '', type, `event not sent: its data cannot be serialised (${(err as Error).message})`);
      return;
    }
    for (const sub of targets) {
      try {
        this.schedule(this.job(sub, created.event.id, type, created.body, this.opts.maxAttempts), 0, 1);
      } catch (err) {
        this.recordFailure(sub, created.event.id, type, `event not sent: ${(err as Error).message}`);
      }
    }
  }

  /** One `webhook.test` event, sent at once, without retries; resolves with the outcome (never rejects). */
  async sendTest(sub: WebhookSubscription): Promise<DeliveryOutcome> {
    const { event, body } = createEvent(TEST_EVENT_TYPE, { webhookId: sub.id, message: 'This is a test event from ChaozCode.' }, this.now());
    const failed = (error: string): DeliveryOutcome => ({ eventId: event.id, delivered: false, responseStatus: null, durationMs: 0, error });
    if (this.closed) return failed('the webhook dispatcher is closed');
    let job: Job;
    try {
      job = this.job(sub, event.id, TEST_EVENT_TYPE, body, 1);
    } catch (err) {
      return failed(`event not sent: ${(err as Error).message}`);
    }
    const result = await this.attempt(job, 1);
    return {
      eventId: event.id,
      delivered: result.delivered,
      responseStatus: result.status,
      durationMs: result.durationMs,
      ...(result.error ? { error: result.error } : {}),
    };
  }

  /** Every attempt so far (a copy), oldest first. */
  log(): DeliveryAttempt[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Forgets the log and cancels pending retries and attempts in flight. */
  reset(): void {
    this.cancelAll();
    this.entries = [];
  }

  /** Cancels timers and attempts in flight and closes the connections; emit() does nothing afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelAll();
    await this.agent.destroy().catch(() => undefined);
  }

  private job(sub: WebhookSubscription, eventId: string, type: string, body: string, maxAttempts: number): Job {
    return { sub, eventId, type, body, signature: signPayload(sub.secret, body), maxAttempts, generation: this.generation };
  }

  private cancelAll(): void {
    this.generation += 1;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.cancel.abort(new Error('cancelled'));
    this.cancel = new AbortController();
  }

  private schedule(job: Job, delayMs: number, attempt: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(job, attempt).catch(() => undefined);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Runs one attempt, logs it, and schedules the next one when it failed and attempts remain. */
  private async attempt(job: Job, attempt: number): Promise<AttemptResult> {
    const startedAt = isoSeconds(this.now());
    const result = await deliverOnce({
      url: job.sub.url, body: job.body, eventId: job.eventId, eventType: job.type, signature: job.signature,
      timeoutMs: this.opts.timeoutMs, dispatcher: this.agent, cancel: this.cancel.signal,
    });
    if (job.generation !== this.generation || this.closed) return result; // reset or closed meanwhile
    const retry = !result.delivered && result.retryable && attempt < job.maxAttempts;
    const retryInMs = retry ? this.opts.backoffBaseMs * 2 ** (attempt - 1) : undefined;
    this.record({
      eventId: job.eventId, type: job.type, webhookId: job.sub.id, url: loggableUrl(job.sub.url), attempt,
      maxAttempts: job.maxAttempts, startedAt, durationMs: result.durationMs, status: result.status,
      delivered: result.delivered, signature: job.signature,
      ...(result.error ? { error: result.error } : {}),
      ...(retryInMs !== undefined ? { retryInMs } : {}),
    });
    if (retryInMs !== undefined) this.schedule(job, retryInMs, attempt + 1);
    return result;
  }

  private recordFailure(sub: WebhookSubscription, eventId: string, type: string, error: string): void {
    this.record({
      eventId, type, webhookId: String(sub.id), url: loggableUrl(String(sub.url)), attempt: 1, maxAttempts: this.opts.maxAttempts,
      startedAt: isoSeconds(this.now()), durationMs: 0, status: null, delivered: false, signature: '', error,
    });
  }

  private record(entry: DeliveryAttempt): void {
    this.entries.push(entry);
    if (this.entries.length > this.opts.maxLogEntries) this.entries.splice(0, this.entries.length - this.opts.maxLogEntries);
  }
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
