// not-found: every operation with a path id answers 404 to a well-formed id nobody issued and
// to a malformed one (the contract's parameters: an id that does not match its pattern is 404,
// not 422), with a valid body so that validation cannot answer first (D4's gate order); a body
// field referring to a server id (D3 prefixes, e.g. `conversationId`) that nobody issued is 404
// where the operation declares 404; and paths the contract does not have answer 404. The envelope and code are error-envelope's.
// Limits: unknown paths are tried only when the run is not limited by --operation.
import type { Check, CheckContext } from '../types.ts';
import type { OperationInfo } from '../spec.ts';
import { anyValidBody, fillPath, requiredQuery, unknownId, withQuery } from '../request-builder.ts';
import { caseName, each, inconclusive, said } from './util.ts';

/** Prefixes of server-issued ids (D3). */
const SERVER_PREFIXES = ['query_', 'conv_', 'vec_', 'agent_', 'proj_', 'user_', 'key_', 'whk_', 'evt_'];

async function expect404(ctx: CheckContext, name: string, req: { method: string; path: string; json?: unknown; operationId?: string }, what: string): Promise<boolean> {
  const ex = await ctx.send(req);
  if (inconclusive(ctx, ex, name)) return false;
  if (ex.response!.status === 404) return true;
  ctx.fail({ operationId: name, exchange: ex, pointer: '/status', message: `${what}: ${said(ex)}; expected 404 NOT_FOUND`, expected: '404', actual: String(ex.response!.status) });
  return false;
}

async function unknownIds(ctx: CheckContext, op: OperationInfo): Promise<void> {
  const name = caseName(op);
  const params = op.parameters.filter((p) => p.in === 'path');
  const json = op.requestBody ? anyValidBody(ctx.spec, op, ctx.runId, 'nf', ctx.resources.webhookUrl) : undefined;
  const query = requiredQuery(ctx.spec, op);
  const wellFormed = Object.fromEntries(params.map((p) => [p.name, unknownId(ctx.spec, op, p.name, ctx.runId)]));
  const malformed = Object.fromEntries(params.map((p) => [p.name, 'not a valid id!']));
  const a = await expect404(ctx, name, { method: op.method, path: withQuery(fillPath(op.path, wellFormed), query), json, operationId: op.operationId }, `unknown ${params.map((p) => `${p.name} ${wellFormed[p.name]}`).join(', ')}`);
  const b = await expect404(ctx, name, { method: op.method, path: withQuery(fillPath(op.path, malformed), query), json, operationId: op.operationId }, `malformed ${params.map((p) => p.name).join(', ')} (does not match the pattern)`);
  if (a && b) ctx.pass(name);
}

/** Server ids referenced from a body (`conversationId: "conv_..."`): an unknown one is 404 too. */
async function unknownBodyRefs(ctx: CheckContext, op: OperationInfo): Promise<void> {
  const rb = op.requestBody;
  const schema = rb && ctx.spec.deref(rb.schema);
  if (!schema?.properties || !op.responses.some((r) => r.key === '404')) return;
  const base = anyValidBody(ctx.spec, op, ctx.runId, 'nf', ctx.resources.webhookUrl) as Record<string, unknown> | undefined;
  if (!base) return;
  for (const [name, prop] of Object.entries<any>(schema.properties)) {
    const pattern = ctx.spec.deref(prop)?.pattern;
    const prefix = typeof pattern === 'string' ? /^\^([a-z]+_)/.exec(pattern)?.[1] : undefined;
    if (!prefix || !SERVER_PREFIXES.includes(prefix)) continue;
    const json = { ...base, [name]: `${prefix}ConformanceUnknown${ctx.runId}` };
    if (ctx.spec.registry.validate(rb!.schema, json).length) continue;
    const label = caseName(op, name);
    if (await expect404(ctx, label, { method: op.method, path: withQuery(op.path, requiredQuery(ctx.spec, op)), json, operationId: op.operationId }, `${name} refers to ${json[name]}, which nobody issued`)) ctx.pass(label);
  }
}

async function unknownPaths(ctx: CheckContext): Promise<void> {
  const paths = [`/conformance-unknown-${ctx.runId}`, `/memory/stats/conformance-${ctx.runId}`];
  for (const path of paths) {
    for (const method of ['GET', 'POST']) {
      const name = `${method} (unknown path)`;
      if (await expect404(ctx, name, { method, path, json: method === 'POST' ? {} : undefined }, `a path the contract does not have`)) ctx.pass(name);
    }
  }
}

export const notFound: Check = {
  id: 'not-found',
  title: 'Unknown ids and paths are 404',
  description: 'Unknown and malformed ids in every templated path, and unknown paths, give 404 NOT_FOUND.',
  needs: ['full'],
  async run(ctx) {
    const jobs = [
      each(ctx.operations().filter((o) => o.path.includes('{')), (op) => unknownIds(ctx, op)),
      each(ctx.operations().filter((o) => o.requestBody && !o.path.includes('{')), (op) => unknownBodyRefs(ctx, op)),
    ];
    if (!ctx.filtered) jobs.push(unknownPaths(ctx));
    await Promise.all(jobs);
  },
};
