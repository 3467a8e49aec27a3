// House rule `house/error-envelope`: every 4xx/5xx response (and `default`) of an operation
// under `paths` has content, and every media type's schema is a `$ref` to the shared
// components/schemas/ErrorResponse (D5: one envelope for every error).
// Limits: only the first `$ref` hop of the schema is inspected; an inline schema that happens
// to equal ErrorResponse is still refused (the point is one shared definition).
import { isSharedComponent, pathOperationVisitor, resolveFrom, statusClass } from '../util.js';

export default function ErrorEnvelope(opts = {}) {
  const schemaName = opts.schema ?? 'ErrorResponse';
  return pathOperationVisitor(({ ctx, label, responses }) => {
    for (const entry of responses) {
      const cls = statusClass(entry.code);
      if (cls !== '4' && cls !== '5' && cls !== 'default') continue;
      const content = entry.resolved.node?.content;
      const mediaTypes = content && typeof content === 'object' ? Object.entries(content) : [];
      if (mediaTypes.length === 0) {
        ctx.report({
          message: `${label}: error response ${entry.code} must have content with the \`${schemaName}\` schema.`,
          location: entry.location,
        });
        continue;
      }
      for (const [mediaType, media] of mediaTypes) {
        const schema = resolveFrom(ctx, media?.schema, entry.resolved.file);
        if (!isSharedComponent(schema, 'schemas', schemaName)) {
          ctx.report({
            message: `${label}: error response ${entry.code} (${mediaType}) must use \`$ref\` to components/schemas/${schemaName}.`,
            location: entry.location,
          });
        }
      }
    }
  });
}
