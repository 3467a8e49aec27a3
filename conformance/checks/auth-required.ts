// auth-required (D4): every authenticated operation answers 401 to a request without a key,
// with an unknown well-formed key, and with a malformed Authorization header; each 401 has
// `WWW-Authenticate: Bearer` (passive, on every 401 of the run). `/health` needs no key and
// ignores one. The 401's envelope and code are error-envelope's.
// Limits: requests carry a valid body and made-up ids, so a server that ignores auth may
// answer 404 or 2xx; either is reported as "not 401".
import type { Check, CheckContext } from '../types.ts';
import type { OperationInfo } from '../spec.ts';
import { representative } from '../request-builder.ts';
import { caseName, each, said } from './util.ts';

const VARIANTS = [
  { auth: 'none' as const, what: 'no Authorization header' },
  { auth: 'unknown' as const, what: 'an unknown well-formed key' },
  { auth: 'malformed' as const, what: 'a malformed Authorization header' },
];

async function authenticated(ctx: CheckContext, op: OperationInfo): Promise<void> {
  const name = caseName(op);
  const base = representative(ctx.spec, op, ctx.runId, 'auth', ctx.resources.webhookUrl);
  let ok = true;
  for (const v of VARIANTS) {
    const key = v.auth === 'unknown' ? `cc_test_conformanceUnknown${ctx.runId}` : v.auth === 'malformed' ? 'Token not-a-bearer-key' : undefined;
    const ex = await ctx.send({ ...base, auth: v.auth, key });
    if (!ex.response) { ctx.skip(name, `no answer: ${ex.error?.message}`); return; }
    if (ex.response.status !== 401) {
      ok = false;
      ctx.fail({ operationId: name, exchange: ex, pointer: '/status', message: `${said(ex)} with ${v.what}; D4: 401 UNAUTHORIZED`, expected: '401', actual: String(ex.response.status) });
    }
  }
  if (ok) ctx.pass(name);
}

async function open(ctx: CheckContext, op: OperationInfo): Promise<void> {
  const name = caseName(op);
  const base = representative(ctx.spec, op, ctx.runId, 'auth', ctx.resources.webhookUrl);
  let ok = true;
  for (const v of [VARIANTS[0], VARIANTS[1]]) {
    const key = v.auth === 'unknown' ? `cc_test_conformanceUnknown${ctx.runId}` : undefined;
    const ex = await ctx.send({ ...base, auth: v.auth, key });
    if (!ex.response) { ctx.skip(name, `no answer: ${ex.error?.message}`); return; }
    if (ex.response.status === 401 || ex.response.status === 403) {
      ok = false;
      ctx.fail({ operationId: name, exchange: ex, pointer: '/status', message: `${said(ex)} with ${v.what}, but ${op.operationId} needs no key (security: []) and ignores one`, expected: 'not 401/403', actual: String(ex.response.status) });
    }
  }
  if (ok) ctx.pass(name);
}

export const authRequired: Check = {
  id: 'auth-required',
  title: 'Authentication is required',
  description: 'No key, an unknown key or a malformed header give 401 with WWW-Authenticate: Bearer on every authenticated operation; /health needs none (D4).',
  applies: (ex) => ex.response?.status === 401,
  inspect(_ctx, ex) {
    if (ex.response?.status !== 401) return [];
    const h = ex.response.headers['www-authenticate'];
    if (h === undefined) return [{ message: 'the 401 has no WWW-Authenticate header (D4: WWW-Authenticate: Bearer)', pointer: '/headers/www-authenticate', expected: 'Bearer' }];
    if (!/^bearer\b/i.test(h.trim())) return [{ message: `WWW-Authenticate is "${h}"; D4 wants the Bearer scheme`, pointer: '/headers/www-authenticate', expected: 'Bearer', actual: h }];
    return [];
  },
  async run(ctx) {
    await each(ctx.operations(), (op) => (op.authenticated ? authenticated(ctx, op) : open(ctx, op)));
  },
};
