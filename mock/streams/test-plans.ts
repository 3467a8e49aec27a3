// Shared pieces of the stream tests: a plan with a known text, stream options, and polling.
// Limits: test support only.
import type { StreamOptions, StreamPlan } from './sse.ts';
import { splitIntoTokens } from './tokens.ts';

export const TEXT = 'REST exposes resources at fixed URLs, each with its own shape; GraphQL exposes one endpoint where the client asks for exactly the fields it needs.';

export function plan(text = TEXT): StreamPlan {
  return {
    id: 'query_Wd2hJ7nP4sKq9Lxv', model: 'gpt-4', createdAt: '2026-02-14T09:35:03Z', text,
    usage: { promptTokens: 15, completionTokens: splitIntoTokens(text).length, totalTokens: 15 + splitIntoTokens(text).length },
    finishReason: 'stop',
  };
}

export function options(over: Partial<StreamOptions> = {}): StreamOptions {
  return { requestId: 'req_T3stR3qu3st0001', headers: { 'X-RateLimit-Limit': 60, 'X-RateLimit-Remaining': 99 }, deltaDelayMs: 0, keepAliveMs: 15_000, ...over };
}

export async function until(condition: () => boolean, timeoutMs = 2_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return condition();
}

