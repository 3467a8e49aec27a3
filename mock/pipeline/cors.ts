// CORS for browser frontends (D11): every response allows any origin and exposes the headers
// browser code needs; preflight OPTIONS requests are answered 204 here, before auth.
// Limits: no credentials mode (the API uses bearer keys, not cookies), so `*` is allowed.
export const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
export const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, Prefer, X-Request-Id';
export const EXPOSED_HEADERS =
  'X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-RateLimit-RetryAfter, Retry-After, WWW-Authenticate, Allow';

/** Headers every response carries. */
export function corsHeaders(): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
  };
}

/** Extra headers of a preflight answer (204, no body). */
export function preflightHeaders(): Record<string, string> {
  return {
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  };
}

/** True when the request is a preflight (or any OPTIONS request: the mock has no other use for it). */
export function isPreflight(method: string): boolean {
  return method === 'OPTIONS';
}
