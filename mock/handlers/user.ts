// Handlers of the user area: the account (GET/PATCH /user/me with the calling key's day quota),
// usage as this mock really served it, and API keys (list masked, create, revoke).
// Limits: the plan cannot change through the API (config only); usage covers this mock run.
import type { components } from '../../generated/api.d.ts';
import { ApiError } from '../pipeline/errors.ts';
import { maskKey, type KeyRecord } from '../state/key-ring.ts';
import { DAY_MS, isoSeconds, utcDayStart } from '../time.ts';
import type { HandlerContext, HandlerTable } from './types.ts';

type S = components['schemas'];

function user(ctx: HandlerContext): S['User'] {
  const { account, plan, rate, services } = ctx;
  return {
    id: account.userId,
    email: account.profile.email,
    name: account.profile.name,
    plan: account.config.plan,
    usage: { apiCalls: rate.dayUsed, limit: plan.perDay, resetAt: isoSeconds(utcDayStart(services.now()) + DAY_MS) },
    createdAt: account.createdAt,
  };
}

function keyView(k: KeyRecord): S['ApiKey'] {
  return { id: k.id, name: k.name, type: k.type, scopes: k.scopes, maskedKey: maskKey(k.key), createdAt: k.createdAt, lastUsedAt: k.lastUsedAtMs === null ? null : isoSeconds(k.lastUsedAtMs) };
}

export const userHandlers: HandlerTable = {
  getCurrentUser: (ctx) => ({ status: 200, body: user(ctx) }),

  updateCurrentUser: (ctx) => {
    const body = ctx.body as S['UserUpdateRequest'];
    if (body.name !== undefined) ctx.account.profile.name = body.name;
    if (body.email !== undefined) ctx.account.profile.email = body.email;
    return { status: 200, body: user(ctx) };
  },

  getUsage: (ctx) => {
    const report = ctx.account.usage.report();
    const out: S['UserUsage'] = {
      period: report.period,
      plan: ctx.account.config.plan,
      requests: { today: report.requests.today, limitPerDay: ctx.plan.perDay, thisMonth: report.requests.thisMonth },
      tokens: report.tokens,
      byEndpoint: report.byEndpoint as S['UserUsageEndpoint'][],
      daily: report.daily,
    };
    return { status: 200, body: out };
  },

  listApiKeys: (ctx) => ({ status: 200, body: { apiKeys: ctx.services.keys.list(ctx.account.name).map(keyView) } satisfies S['ApiKeyList'] }),

  createApiKey: (ctx) => {
    const body = ctx.body as S['ApiKeyCreateRequest'];
    const record = ctx.services.keys.create(ctx.account.name, body.name, body.type ?? 'development', body.scopes ?? [], isoSeconds(ctx.services.now()));
    const out: S['ApiKeyCreated'] = { ...keyView(record), key: record.key };
    return { status: 201, body: out };
  },

  revokeApiKey: (ctx) => {
    const revoked = ctx.services.keys.revoke(ctx.account.name, ctx.params.keyId);
    if (!revoked) throw new ApiError('NOT_FOUND', `API key '${ctx.params.keyId}' not found`);
    ctx.services.limiter.forget(revoked.key);
    return { status: 204 };
  },
};
