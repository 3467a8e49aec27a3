// positive-input: valid requests built from the contract (each of the request body's named
// examples, and samples from the schema, all verified with ajv) are accepted with a 2xx on
// every operation. Operations on one resource get a fixture created through the API;
// destructive ones (DELETE, cancel) a fresh one. Names and ids carry the run's suffix, so
// reruns against the same server do not collide. What the 2xx contains is response-schema's.
// Limits: optional query parameters are sent only when they are numbers, booleans or enums
// (free strings such as cursors cannot be made up); cancelling an agent that already finished
// is a documented 409 (D10) and skips rather than passes.
import type { Check, CheckContext } from '../types.ts';
import type { OperationInfo } from '../spec.ts';
import { requiredQuery, validBodies, withQuery } from '../request-builder.ts';
import { flatten, sampleValue, typesOf } from '../schema-values.ts';
import { caseName, each, inconclusive, is2xx, said } from './util.ts';

/** Documented non-2xx outcomes of valid requests that depend on timing, not conformance. */
const TIMING: Record<string, Record<number, string>> = {
  cancelAgent: { 409: 'the agent finished before it could be cancelled (D10: 409 for a finished agent)' },
};

function optionalQuery(ctx: CheckContext, op: OperationInfo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.parameters.filter((x) => x.in === 'query' && !x.required)) {
    const s = flatten(p.schema, (n) => ctx.spec.deref(n));
    const t = typesOf(s)[0];
    if (!(t === 'integer' || t === 'number' || t === 'boolean' || Array.isArray(s.enum))) continue;
    const v = p.example ?? sampleValue(s, (n) => ctx.spec.deref(n));
    if (v !== undefined && !ctx.spec.registry.validate(p.schema, v).length) out[p.name] = String(v);
  }
  return out;
}

async function attempt(ctx: CheckContext, op: OperationInfo, variant: string, json: unknown, query: Record<string, string>): Promise<void> {
  const name = caseName(op);
  const destructive = op.method === 'DELETE';
  let path = op.path;
  if (op.path.includes('{')) {
    const r = await ctx.resources.pathFor(op, destructive, 'positive');
    if ('error' in r) return ctx.skip(name, r.error);
    path = r.path;
  }
  const ex = await ctx.send({ method: op.method, path: withQuery(path, query), json, operationId: op.operationId });
  if (inconclusive(ctx, ex, name)) return;
  const status = ex.response!.status;
  if (is2xx(status)) {
    ctx.resources.adopt(op.operationId, json, ex.response!.json);
    return ctx.pass(name);
  }
  const timing = TIMING[op.operationId]?.[status];
  if (timing) return ctx.skip(name, timing);
  ctx.fail({ operationId: name, exchange: ex, pointer: '/status', message: `valid request (${variant}): ${said(ex)}; a request the contract allows must succeed`, expected: '2xx', actual: String(status) });
}

async function operation(ctx: CheckContext, op: OperationInfo): Promise<void> {
  const query = requiredQuery(ctx.spec, op);
  const jobs: Promise<void>[] = [];
  if (op.requestBody) {
    const bodies = validBodies(ctx.spec, op, ctx.runId, 'pos', ctx.resources.webhookUrl);
    if (!bodies.length) return ctx.skip(caseName(op), 'no valid body could be built from the examples or the schema');
    for (const b of bodies) jobs.push(attempt(ctx, op, b.name, b.value, query));
  } else {
    jobs.push(attempt(ctx, op, 'no body', undefined, query));
  }
  const extra = optionalQuery(ctx, op);
  if (Object.keys(extra).length) jobs.push(attempt(ctx, op, `query ${JSON.stringify(extra)}`, op.requestBody ? validBodies(ctx.spec, op, ctx.runId, 'pos', ctx.resources.webhookUrl)[0]?.value : undefined, { ...query, ...extra }));
  await Promise.all(jobs);
}

export const positiveInput: Check = {
  id: 'positive-input',
  title: 'Valid input is accepted',
  description: 'Requests built from the examples and schemas (ajv-verified) succeed with 2xx on every operation.',
  needs: ['full'],
  async run(ctx) {
    await each(ctx.operations(), (op) => operation(ctx, op));
  },
};
