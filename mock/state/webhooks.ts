// One account's webhook subscriptions (D9): create (secret generated as `whsec_` + 32 alnum when
// omitted, shown only in the create answer), list without secrets, delete.
// Limits: URL rules are the contract's pattern (https, or local http in the mock), checked by the
// validation stage before this store is reached; deliveries live in mock/webhooks/.
import type { WebhookSubscription } from '../webhooks/dispatcher.ts';
import { ApiError } from '../pipeline/errors.ts';
import { randomAlnum } from '../pipeline/request-id.ts';
import { isoSeconds } from '../time.ts';

export class WebhookStore {
  private readonly subs = new Map<string, WebhookSubscription>();

  constructor(private readonly now: () => number) {}

  create(input: { url: string; events: string[]; secret?: string }): WebhookSubscription {
    const sub: WebhookSubscription = {
      id: `whk_${randomAlnum(16)}`,
      url: input.url,
      events: [...input.events],
      secret: input.secret ?? `whsec_${randomAlnum(32)}`,
      active: true,
      createdAt: isoSeconds(this.now()),
    };
    this.subs.set(sub.id, sub);
    return sub;
  }

  get(id: string): WebhookSubscription {
    const sub = this.subs.get(id);
    if (!sub) throw new ApiError('NOT_FOUND', `Webhook '${id}' not found`);
    return sub;
  }

  delete(id: string): void {
    this.get(id);
    this.subs.delete(id);
  }

  /** Every subscription, oldest first, with secrets (for the dispatcher only). */
  all(): WebhookSubscription[] {
    return [...this.subs.values()];
  }

  /** The public view: the secret is never shown again. */
  static view(sub: WebhookSubscription) {
    return { id: sub.id, url: sub.url, events: sub.events, active: sub.active, createdAt: sub.createdAt };
  }
}
