// content-type: a successful response's Content-Type is one of the media types its operation
// declares for that status (parameters such as charset ignored), and a body comes with one.
// Passive. Error responses' Content-Type is error-envelope's (D5: always application/json).
// Limits: does not check that the body's bytes match the declared charset.
import type { Check } from '../types.ts';
import { is2xx, mediaType } from './util.ts';

export const contentType: Check = {
  id: 'content-type',
  title: 'Content-Type is declared',
  description: 'A 2xx response carries a Content-Type its operation declares for that status; a body never comes without one.',
  applies: (ex) => Boolean(ex.operationId && ex.response && is2xx(ex.response.status)),
  inspect(ctx, ex) {
    const res = ex.response;
    if (!res || !ex.operationId || !is2xx(res.status)) return [];
    const op = ctx.spec.operation(ex.operationId);
    const declared = op && ctx.spec.response(op, res.status);
    if (!declared) return [];
    const allowed = Object.keys(declared.content);
    const mt = mediaType(ex);
    const hasBody = res.bodyBytes > 0 || res.streamHead === true;
    if (!allowed.length) {
      return hasBody ? [{ message: `${res.status} declares no body, but one came (${res.bodyBytes} bytes, Content-Type "${mt}")`, pointer: '/body' }] : [];
    }
    if (!mt) {
      return hasBody ? [{ message: `the ${res.status} body has no Content-Type; declared: ${allowed.join(', ')}`, pointer: '/headers/content-type', expected: allowed.join(' or ') }] : [];
    }
    if (allowed.includes(mt)) return [];
    return [{
      message: `Content-Type "${mt}" is not declared for ${res.status} of ${op!.operationId}; declared: ${allowed.join(', ')}`,
      pointer: '/headers/content-type', expected: allowed.join(' or '), actual: mt,
    }];
  },
};
