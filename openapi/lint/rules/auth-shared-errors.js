// House rule `house/auth-shared-errors`: every authenticated operation under `paths` answers
// 401 and 429, each through a `$ref` to the shared response (components/responses/Unauthorized
// and components/responses/RateLimited), never an inline copy.
// Limits: only the first `$ref` hop is inspected; the names are configurable with the rule's
// options `unauthorized` and `rateLimited`.
import { isSharedComponent, pathOperationVisitor } from '../util.js';

export default function AuthSharedErrors(opts = {}) {
  const required = [
    ['401', opts.unauthorized ?? 'Unauthorized'],
    ['429', opts.rateLimited ?? 'RateLimited'],
  ];
  return pathOperationVisitor(({ ctx, label, authenticated, responses }) => {
    if (!authenticated) return;
    for (const [code, name] of required) {
      const entry = responses.find((r) => r.code === code);
      if (!entry) {
        ctx.report({
          message: `${label}: authenticated operation must answer ${code} with \`$ref\` to components/responses/${name}.`,
          location: ctx.location.child(['responses']).key(),
        });
      } else if (!isSharedComponent(entry.resolved, 'responses', name)) {
        ctx.report({
          message: `${label}: response ${code} must be a \`$ref\` to the shared components/responses/${name}.`,
          location: entry.location,
        });
      }
    }
  });
}
