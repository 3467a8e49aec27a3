// House rule `house/rate-limit-headers`: every response of an authenticated operation under
// `paths`, except 401 (the key is unknown, so there is no bucket to report), declares the four
// rate-limit headers X-RateLimit-Limit, -Remaining, -Reset and -RetryAfter.
// Limits: header names compare case-insensitively; the header schemas are not checked here.
import { headerNames, pathOperationVisitor } from '../util.js';

const DEFAULT_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-RateLimit-RetryAfter'];

export default function RateLimitHeaders(opts = {}) {
  const wanted = opts.headers ?? DEFAULT_HEADERS;
  const exempt = new Set((opts.exemptStatuses ?? ['401']).map(String));
  return pathOperationVisitor(({ ctx, label, authenticated, responses }) => {
    if (!authenticated) return;
    for (const entry of responses) {
      if (exempt.has(entry.code)) continue;
      const names = headerNames(entry.resolved.node);
      const missing = wanted.filter((h) => !names.has(h.toLowerCase()));
      if (missing.length > 0) {
        ctx.report({
          message: `${label}: response ${entry.code} of an authenticated operation must declare ${missing.map((h) => `\`${h}\``).join(', ')}.`,
          location: entry.location,
        });
      }
    }
  });
}
