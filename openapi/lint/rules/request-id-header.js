// House rule `house/request-id-header`: every response of every operation under `paths`
// (success, error and stream) declares the `X-Request-Id` header.
// Limits: header names compare case-insensitively; the header's own schema is not checked here
// (the shared components/headers/X-Request-Id.yaml carries it).
import { headerNames, pathOperationVisitor } from '../util.js';

export default function RequestIdHeader(opts = {}) {
  const header = opts.header ?? 'X-Request-Id';
  return pathOperationVisitor(({ ctx, label, responses }) => {
    for (const entry of responses) {
      if (!headerNames(entry.resolved.node).has(header.toLowerCase())) {
        ctx.report({
          message: `${label}: response ${entry.code} must declare the \`${header}\` header.`,
          location: entry.location,
        });
      }
    }
  });
}
