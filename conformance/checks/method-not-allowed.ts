// method-not-allowed (D5): a method a path does not declare gives 405 METHOD_NOT_ALLOWED with
// an `Allow` header listing exactly the declared methods (HEAD alongside GET, and OPTIONS for
// CORS, are tolerated extras). Fixed paths win over templated ones (D2): GET /memory/store is
// 405, not a memory lookup. Passive part: every 405 of the run carries Allow.
// Limits: tries GET, POST, PUT, PATCH and DELETE only.
import type { Check, CheckContext } from '../types.ts';
import { fillPath, unknownId } from '../request-builder.ts';
import { each, inconclusive, said } from './util.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function parseAllow(value: string): string[] {
  return value.split(',').map((m) => m.trim().toUpperCase()).filter(Boolean);
}

async function tryMethod(ctx: CheckContext, template: string, declared: string[], method: string): Promise<void> {
  const name = `${method} ${template}`;
  // Well-formed ids nobody issued: the path exists whatever the id, so 405 must come first.
  const op = ctx.spec.operations.find((o) => o.path === template)!;
  const ids: Record<string, string> = {};
  for (const p of op.parameters) if (p.in === 'path') ids[p.name] = unknownId(ctx.spec, op, p.name, ctx.runId);
  const path = fillPath(template, ids);
  const ex = await ctx.send({ method, path, json: ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined });
  if (inconclusive(ctx, ex, name)) return;
  const res = ex.response!;
  if (res.status !== 405) {
    return ctx.fail({ operationId: name, exchange: ex, pointer: '/status', message: `${said(ex)}; ${template} declares only ${declared.join(', ')}, so ${method} must be 405 METHOD_NOT_ALLOWED`, expected: '405', actual: String(res.status) });
  }
  const allow = res.headers.allow;
  if (allow === undefined) return; // reported by the passive part
  const got = parseAllow(allow);
  const tolerated = new Set(['OPTIONS', ...(declared.includes('GET') ? ['HEAD'] : [])]);
  const missing = declared.filter((m) => !got.includes(m));
  const extra = got.filter((m) => !declared.includes(m) && !tolerated.has(m));
  if (missing.length || extra.length) {
    return ctx.fail({ operationId: name, exchange: ex, pointer: '/headers/allow', message: `Allow "${allow}" should list exactly the declared methods ${declared.join(', ')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; not declared: ${extra.join(', ')}` : ''}`, expected: declared.join(', '), actual: allow });
  }
  ctx.pass(name);
}

export const methodNotAllowed: Check = {
  id: 'method-not-allowed',
  title: 'Undeclared methods are 405 with Allow',
  description: 'A method a path does not declare gives 405 METHOD_NOT_ALLOWED with Allow listing exactly the declared methods (D5, D2).',
  needs: ['full'],
  applies: (ex) => ex.response?.status === 405,
  inspect(_ctx, ex) {
    if (ex.response?.status !== 405 || ex.response.headers.allow !== undefined) return [];
    return [{ message: 'the 405 has no Allow header (D5: 405 comes with Allow listing the methods)', pointer: '/headers/allow' }];
  },
  async run(ctx) {
    const ops = new Set(ctx.operations().map((o) => o.path));
    const jobs: { template: string; declared: string[]; method: string }[] = [];
    for (const p of ctx.spec.pathTemplates()) {
      if (!ops.has(p.template)) continue;
      for (const m of METHODS) if (!p.methods.includes(m)) jobs.push({ template: p.template, declared: p.methods, method: m });
    }
    await each(jobs, (j) => tryMethod(ctx, j.template, j.declared, j.method));
  },
};
