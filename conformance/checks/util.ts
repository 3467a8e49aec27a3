// Small helpers shared by the checks: reading the error envelope, naming cases, recognising
// authenticated exchanges, and treating a 429 as inconclusive outside the rate-limit checks.
// Limits: helpers only; no check logic lives here.
import type { CheckContext, Exchange } from '../types.ts';
import type { OperationInfo } from '../spec.ts';

export interface EnvelopeCore {
  code: string;
  message: string;
  requestId: string;
  details?: Record<string, unknown>;
}

/** The `error` object when the body has the envelope's core shape, else a reason why not. */
export function envelopeCore(json: unknown): { core: EnvelopeCore } | { problem: string; pointer: string } {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { problem: 'the body is not a JSON object', pointer: '' };
  const err = (json as { error?: unknown }).error;
  if (!err || typeof err !== 'object' || Array.isArray(err)) return { problem: 'the body has no "error" object', pointer: '/error' };
  const e = err as Record<string, unknown>;
  for (const field of ['code', 'message', 'requestId']) {
    if (typeof e[field] !== 'string' || !(e[field] as string).length) return { problem: `error.${field} is missing or not a non-empty string`, pointer: `/error/${field}` };
  }
  const details = e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : undefined;
  return { core: { code: e.code as string, message: e.message as string, requestId: e.requestId as string, details } };
}

export function errorOf(ex: Exchange): EnvelopeCore | undefined {
  const r = envelopeCore(ex.response?.json);
  return 'core' in r ? r.core : undefined;
}

export function is2xx(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

export function mediaType(ex: Exchange): string {
  return (ex.response?.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** A request sent with a real key (a role's or one created during the run). */
export function sentWithKey(ex: Exchange): boolean {
  return ['full', 'readonly', 'restricted', 'exhaust', 'created'].includes(ex.request.auth);
}

/** `POST /query → 500`, for messages. */
export function said(ex: Exchange): string {
  const answer = ex.response ? String(ex.response.status) : `no answer (${ex.error?.message ?? 'unknown error'})`;
  return `${ex.request.method} ${ex.request.path.split('?')[0]} → ${answer}`;
}

export function caseName(op: OperationInfo | string, variant?: string): string {
  const id = typeof op === 'string' ? op : op.operationId;
  return variant ? `${id} [${variant}]` : id;
}

/**
 * A 429 (after the sender's one retry) or a transport failure means the exchange cannot
 * judge this case: skip it with the reason (transport problems are the `transport` check's).
 */
export function inconclusive(ctx: CheckContext, ex: Exchange, name: string): boolean {
  if (!ex.response) {
    ctx.skip(name, `no response to judge: ${ex.error?.message ?? 'unknown error'}`);
    return true;
  }
  if (ex.response.status === 429) {
    ctx.skip(name, 'the target answered 429 even after waiting Retry-After; rerun when the key has requests left');
    return true;
  }
  return false;
}

/** Run `fn` over `items` with all of them in flight (the HTTP client bounds concurrency). */
export async function each<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  await Promise.all(items.map(fn));
}

export function headerInt(ex: Exchange, name: string): number | undefined {
  const v = ex.response?.headers[name];
  return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined;
}

/** A cheap authenticated GET without parameters, for the rate-limit checks. */
export function cheapGet(ops: OperationInfo[]): OperationInfo | undefined {
  const candidates = ops.filter((o) => o.method === 'GET' && o.authenticated && !o.path.includes('{') && !o.parameters.some((p) => p.required));
  return candidates.find((o) => o.operationId === 'listModels') ?? candidates[0];
}
