// House rule `house/operation-basics`: every operation under `paths` has a non-empty
// `operationId` and at least one tag (the tags double as restricted-key scopes).
// Limits: webhook operations are not covered here (Redocly's operation-operationId covers their
// ids); whether a tag is declared at the root is `operation-tag-defined`'s job.
import { pathOperationVisitor } from '../util.js';

export default function OperationBasics() {
  return pathOperationVisitor(({ operation, ctx, label }) => {
    if (typeof operation.operationId !== 'string' || operation.operationId.trim() === '') {
      ctx.report({ message: `${label}: operation must have an \`operationId\`.`, location: ctx.location.key() });
    }
    const tags = Array.isArray(operation.tags) ? operation.tags.filter((t) => typeof t === 'string' && t !== '') : [];
    if (tags.length === 0) {
      ctx.report({ message: `${label}: operation must have at least one tag.`, location: ctx.location.key() });
    }
  });
}
