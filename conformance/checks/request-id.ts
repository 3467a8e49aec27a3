// request-id: every response (success, error, stream; known path or not) carries an
// `X-Request-Id` matching `^req_[A-Za-z0-9]+$` (D5), and no two responses share one.
// Passive. Equality with the body's `error.requestId` is error-envelope's.
// Limits: uniqueness is checked within one run only.
import type { Check, InspectContext } from '../types.ts';

const PATTERN = /^req_[A-Za-z0-9]+$/;
const seenByRun = new WeakMap<object, Map<string, string>>();

function seen(ctx: InspectContext): Map<string, string> {
  let m = seenByRun.get(ctx.config);
  if (!m) seenByRun.set(ctx.config, (m = new Map()));
  return m;
}

export const requestId: Check = {
  id: 'request-id',
  title: 'X-Request-Id on every response',
  description: 'Every response carries X-Request-Id (`req_` + letters and digits), unique per response (D5).',
  inspect(ctx, ex) {
    if (!ex.response) return [];
    const id = ex.response.headers['x-request-id'];
    if (id === undefined) return [{ message: `the ${ex.response.status} response has no X-Request-Id header (D5: every response carries one)`, pointer: '/headers/x-request-id' }];
    if (!PATTERN.test(id)) return [{ message: `X-Request-Id "${id}" does not match ^req_[A-Za-z0-9]+$`, pointer: '/headers/x-request-id', actual: id }];
    const m = seen(ctx);
    const first = m.get(id);
    if (first !== undefined) return [{ message: `X-Request-Id ${id} was already used by an earlier response (${first}); ids must be unique`, pointer: '/headers/x-request-id', actual: id }];
    m.set(id, `${ex.request.method} ${ex.request.path.split('?')[0]}`);
    return [];
  },
};
