// Small helpers for writing mutations: the API path of a proxied request (below the `/v2`
// prefix, without the query), its bearer key, JSON bodies in and out, and a well-formed error
// envelope (D5) for mutations that change a status but must leave the envelope intact.
// Limits: assumes the target's version prefix is one path segment (`/v2`).
import type { ProxiedRequest, ProxiedResponse } from './mutation.ts';

/** `/v2/memory/abc?x=1` -> `/memory/abc`. */
export function apiPath(req: ProxiedRequest): string {
  return req.path.split('?')[0].replace(/^\/v\d+(?=\/|$)/, '') || '/';
}

export function bearer(req: ProxiedRequest): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

export function jsonOf(res: ProxiedResponse): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function withJson(res: ProxiedResponse, value: unknown): ProxiedResponse {
  return { ...res, body: Buffer.from(JSON.stringify(value), 'utf8') };
}

/** The same response turned into `status` with a correct envelope (requestId = X-Request-Id). */
export function errorEnvelope(res: ProxiedResponse, status: number, code: string, message: string): ProxiedResponse {
  const requestId = res.headers['x-request-id'] ?? 'req_mutation';
  return {
    status,
    headers: { ...res.headers, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ error: { code, message, requestId } }), 'utf8'),
  };
}
