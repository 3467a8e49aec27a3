// negative-input (D5, D6): requests generated from the schemas that break exactly one rule.
// Unreadable bodies (malformed JSON, empty, not an object, Content-Type not JSON) and missing
// required fields give 400; wrong types, out-of-range values, bad enums, patterns and formats,
// too-long strings and unknown properties give 422 whose details.field names the field and
// details.reason is the broken keyword; same for query parameters; bodies over the
// operation's `x-max-body-bytes` give 413. Cases come from negative-cases.ts, each verified
// invalid with ajv first, so a case the contract does not forbid is never sent.
// Limits: the envelope itself is error-envelope's; bodies over MAX_CASE_BYTES are not sent
// except the one 413 case per operation.
import type { Check, CheckContext } from '../types.ts';
import type { OperationInfo, ParameterInfo } from '../spec.ts';
import { generateNegativeCases, mutationsFor, type NegativeCase } from '../negative-cases.ts';
import { fillPath, requiredQuery, unknownId, validBodies, withQuery } from '../request-builder.ts';
import { flatten } from '../schema-values.ts';
import { caseName, each, errorOf, inconclusive, said } from './util.ts';

async function pathOf(ctx: CheckContext, op: OperationInfo): Promise<string> {
  if (!op.path.includes('{')) return op.path;
  const r = await ctx.resources.pathFor(op, false);
  if ('path' in r) return r.path;
  const ids: Record<string, string> = {};
  for (const p of op.parameters) if (p.in === 'path') ids[p.name] = unknownId(ctx.spec, op, p.name, ctx.runId);
  return fillPath(op.path, ids);
}

async function sendCase(ctx: CheckContext, op: OperationInfo, path: string, c: NegativeCase): Promise<void> {
  const name = caseName(op);
  const declared = op.responses.some((r) => r.key === String(c.expectStatus));
  if (!declared) return ctx.skip(name, `${op.operationId} declares no ${c.expectStatus}`);
  const headers = c.contentType ? { 'content-type': c.contentType } : undefined;
  const ex = await ctx.send({ method: op.method, path, operationId: op.operationId, headers, json: c.rawBody === undefined ? c.body : undefined, rawBody: c.rawBody });
  if (inconclusive(ctx, ex, name)) return;
  const status = ex.response!.status;
  if (status !== c.expectStatus) {
    const hint = {
      400: 'D6: 400 INVALID_REQUEST when the body cannot be understood or a required field is missing',
      413: `D5: 413 PAYLOAD_TOO_LARGE over the operation's ${op.requestBody?.maxBytes ?? DEFAULT_MAX_BODY} bytes`,
      422: 'D6: 422 VALIDATION_ERROR when a value breaks a rule',
    }[c.expectStatus];
    return ctx.fail({ operationId: name, exchange: ex, pointer: '/status', message: `${c.name}: ${said(ex)}; ${hint}`, expected: String(c.expectStatus), actual: String(status) });
  }
  if (c.field === undefined) return ctx.pass(name);
  const details = errorOf(ex)?.details;
  if (details?.field !== c.field) {
    return ctx.fail({ operationId: name, exchange: ex, pointer: '/error/details/field', message: `${c.name}: error.details.field is ${JSON.stringify(details?.field)}; D5: it names the field (${c.field})`, expected: c.field, actual: JSON.stringify(details?.field) });
  }
  if (c.reasons && !c.reasons.includes(String(details?.reason))) {
    return ctx.fail({ operationId: name, exchange: ex, pointer: '/error/details/reason', message: `${c.name}: error.details.reason is ${JSON.stringify(details?.reason)}; D5: the broken JSON Schema keyword (${c.reasons.join(' or ')})`, expected: c.reasons.join(' | '), actual: JSON.stringify(details?.reason) });
  }
  ctx.pass(name);
}

/** D5's default limit when an operation declares 413 without `x-max-body-bytes`. */
const DEFAULT_MAX_BODY = 1024 * 1024;

function tooLarge(op: OperationInfo, base: unknown): NegativeCase | undefined {
  const max = op.requestBody?.maxBytes ?? DEFAULT_MAX_BODY;
  if ( !op.responses.some((r) => r.key === '413') || !base || typeof base !== 'object') return undefined;
  const padding = 'x'.repeat(max + 1024);
  return { name: `body over ${max} bytes`, rawBody: JSON.stringify({ ...(base as object), conformancePadding: padding }), expectStatus: 413 };
}

function asQueryValue(text: string, schema: any): unknown {
  const types = Array.isArray(schema?.type) ? schema.type : [schema?.type];
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Query-parameter cases: one value per broken keyword, expecting 422 naming the parameter. */
export function queryCases(ctx: CheckContext, p: ParameterInfo): { value: string; name: string; reasons: string[] }[] {
  const s = flatten(p.schema, (n) => ctx.spec.deref(n));
  const out: { value: string; name: string; reasons: string[] }[] = [];
  for (const m of mutationsFor(s)) {
    for (const cand of m.candidates) {
      if (typeof cand !== 'string' && typeof cand !== 'number') continue;
      // Judge the value as the server sees it: text, read as a number only where the schema says so.
      const v = ctx.spec.registry.validate(p.schema, asQueryValue(String(cand), s));
      if (!v.length || !v.some((x) => x.keyword === m.keyword)) continue;
      out.push({ value: String(cand), name: `query ${p.name}: ${m.label}`, reasons: [...new Set(v.map((x) => x.keyword))] });
      break;
    }
  }
  return out;
}

async function operationCases(ctx: CheckContext, op: OperationInfo): Promise<void> {
  const path = await pathOf(ctx, op);
  const query = requiredQuery(ctx.spec, op);
  const jobs: Promise<void>[] = [];
  if (op.requestBody && /json/.test(op.requestBody.mediaType)) {
    const bodies = validBodies(ctx.spec, op, ctx.runId, 'neg', ctx.resources.webhookUrl);
    const base = (bodies.find((b) => b.name.includes('all fields')) ?? bodies[0])?.value;
    if (base === undefined) ctx.skip(caseName(op), 'no valid body could be built from the contract to start from');
    else {
      const cases = generateNegativeCases(op.requestBody.schema, base, { registry: ctx.spec.registry, deref: (n) => ctx.spec.deref(n) });
      const big = tooLarge(op, base);
      if (big) cases.push(big);
      for (const c of cases) jobs.push(sendCase(ctx, op, withQuery(path, query), c));
    }
  }
  for (const p of op.parameters.filter((x) => x.in === 'query')) {
    for (const q of queryCases(ctx, p)) {
      const c: NegativeCase = { name: q.name, expectStatus: 422, field: p.name, reasons: q.reasons };
      const body = op.requestBody ? validBodies(ctx.spec, op, ctx.runId, 'neg', ctx.resources.webhookUrl)[0]?.value : undefined;
      jobs.push(sendCase(ctx, op, withQuery(path, { ...query, [p.name]: q.value }), { ...c, body }));
    }
  }
  await Promise.all(jobs);
}

export const negativeInput: Check = {
  id: 'negative-input',
  title: 'Invalid input is refused precisely',
  description: 'Generated invalid requests: unreadable bodies and missing required fields give 400; broken values and unknown properties give 422 naming the field and keyword; oversize bodies 413 (D5, D6).',
  needs: ['full'],
  async run(ctx) {
    await each(ctx.operations().filter((o) => o.authenticated), (op) => operationCases(ctx, op));
  },
};
