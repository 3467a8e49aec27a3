// Handlers of the webhooks area (D9): list (secrets hidden), create (201 with the secret, once),
// delete (204), test (one signed webhook.test delivery, awaited, never retried).
// Limits: deliveries and their log belong to mock/webhooks/dispatcher.ts.
import type { components } from '../../generated/api.d.ts';
import { WebhookStore } from '../state/webhooks.ts';
import type { HandlerTable } from './types.ts';

type S = components['schemas'];

export const webhookHandlers: HandlerTable = {
  listWebhooks: (ctx) => ({ status: 200, body: { webhooks: ctx.account.webhooks.all().map(WebhookStore.view) as S['Webhook'][] } }),

  createWebhook: (ctx) => {
    const sub = ctx.account.webhooks.create(ctx.body as S['WebhookCreateRequest']);
    return { status: 201, body: sub as S['WebhookCreated'] };
  },

  deleteWebhook: (ctx) => {
    ctx.account.webhooks.delete(ctx.params.webhookId);
    return { status: 204 };
  },

  testWebhook: async (ctx) => {
    const sub = ctx.account.webhooks.get(ctx.params.webhookId);
    const outcome = await ctx.services.dispatcher.sendTest(sub);
    return { status: 200, body: outcome satisfies S['WebhookTestResult'] };
  },
};
