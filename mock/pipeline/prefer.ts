// The `Prefer` header: `code=`, `example=`, `dynamic=` (and `seed=`) read exactly as Prism reads
// them (Prism's own getHttpConfigFromRequest, including its `__code`/`__example`/`__dynamic`
// query fallbacks), plus the mock's own `delay=<ms>`, `stream-fail-after=<n>` and `stream-error` (= fail after 2 deltas).
// Limits: preferences Prism cannot decode (such as `code=abc`) are ignored, as RFC 7240 allows,
// instead of Prism's 422, because not every operation declares a 422.
import { getHttpConfigFromRequest } from '@stoplight/prism-http-server/dist/getHttpConfigFromRequest.js';
import type { Preferences } from '../contract/prism-engine.ts';

export interface MockPreferences {
  /** Set when Prism should answer (code, example or dynamic). */
  prism?: Preferences;
  /** Extra latency in ms (`delay=`), capped at 60 s. */
  delayMs?: number;
  /** Streams: send an `error` event after this many deltas (`stream-fail-after=`). */
  streamFailAfter?: number;
}

const MAX_DELAY_MS = 60_000;

function token(header: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|[,;\\s])${name}\\s*=\\s*"?([^",;\\s]+)"?`, 'i').exec(header);
  return m?.[1];
}

function nonNegativeInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

/** Reads the preferences of a request; undefined when it states none. */
export function readPreferences(prefer: string | undefined, query: URLSearchParams | null): MockPreferences | undefined {
  const hasQueryFallback = query !== null && (query.has('__code') || query.has('__example') || query.has('__dynamic'));
  if (!prefer && !hasQueryFallback) return undefined;
  const out: MockPreferences = {};
  const prismQuery: Record<string, string> = {};
  if (query) for (const k of ['__code', '__example', '__dynamic', '__seed']) if (query.has(k)) prismQuery[k] = query.get(k)!;
  const decoded = getHttpConfigFromRequest({ headers: prefer ? { prefer } : {}, url: { path: '/', query: prismQuery } });
  if (decoded._tag === 'Right') {
    const p = decoded.right;
    if (p.code !== undefined || p.exampleKey !== undefined || p.dynamic === true) {
      out.prism = { code: p.code, exampleKey: p.exampleKey, dynamic: p.dynamic, seed: p.seed };
    }
  }
  if (prefer) {
    const delay = nonNegativeInt(token(prefer, 'delay'));
    if (delay !== undefined) out.delayMs = Math.min(delay, MAX_DELAY_MS);
    const failAfter = nonNegativeInt(token(prefer, 'stream-fail-after'));
    if (failAfter !== undefined) out.streamFailAfter = failAfter;
    else if (/(?:^|[,;\s])stream-error(?:$|[,;\s])/i.test(prefer)) out.streamFailAfter = 2;
  }
  return out;
}

/** The `Preference-Applied` value for what was honoured. */
export function appliedPreferences(p: MockPreferences): string | undefined {
  const parts: string[] = [];
  if (p.prism?.code !== undefined) parts.push(`code=${p.prism.code}`);
  if (p.prism?.exampleKey !== undefined) parts.push(`example=${p.prism.exampleKey}`);
  if (p.prism?.dynamic) parts.push('dynamic=true');
  if (p.delayMs !== undefined) parts.push(`delay=${p.delayMs}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
