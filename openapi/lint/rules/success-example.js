// House rule `house/success-example`: every 2xx response of every operation under `paths` has
// content, and every media type of it carries an `example` or a non-empty `examples` map.
// 204 No Content is exempt (it has no body).
// Limits: schema-level examples do not count; the examples' validity is checked by
// no-invalid-media-type-examples and by openapi/examples.test.ts, not here.
import { pathOperationVisitor } from '../util.js';

function hasExample(media) {
  if (!media || typeof media !== 'object') return false;
  if (media.example !== undefined) return true;
  return media.examples !== null && typeof media.examples === 'object' && Object.keys(media.examples).length > 0;
}

export default function SuccessExample() {
  return pathOperationVisitor(({ ctx, label, responses }) => {
    const successes = responses.filter((r) => r.code.startsWith('2'));
    for (const entry of successes) {
      if (entry.code === '204') continue;
      const content = entry.resolved.node?.content;
      if (!content || typeof content !== 'object' || Object.keys(content).length === 0) {
        ctx.report({
          message: `${label}: success response ${entry.code} must have content with an example (only 204 may be empty).`,
          location: entry.location,
        });
        continue;
      }
      for (const [mediaType, media] of Object.entries(content)) {
        if (!hasExample(media)) {
          ctx.report({
            message: `${label}: success response ${entry.code} (${mediaType}) must have an \`example\` or \`examples\`.`,
            location: entry.location,
          });
        }
      }
    }
  });
}
