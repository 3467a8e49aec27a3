// Builds valid requests from the contract: request bodies from the spec's named examples and
// from the schemas (each verified with ajv before use), made unique per run (top-level `id`
// and `name` get the run's suffix so reruns against the same server do not collide), plus
// path filling and query strings.
// Limits: only `application/json` bodies; uniqueness is applied to top-level `id`/`name` only.
import type { OperationInfo, SpecIndex } from './spec.ts';
import { sampleValue } from './schema-values.ts';

export interface BodyCandidate {
  name: string;
  value: unknown;
}

let counter = 0;

/** A unique token for this process: the run id plus a counter. */
export function uniqueToken(runId: string, label = 'c'): string {
  counter += 1;
  return `${label}-${runId}-${counter}`;
}

/** Valid bodies for an operation: its examples, then minimal and full samples; ajv-verified. */
export function validBodies(spec: SpecIndex, op: OperationInfo, runId: string, label = 'conf', webhookUrl?: string): BodyCandidate[] {
  const rb = op.requestBody;
  if (!rb) return [];
  const deref = (n: unknown) => spec.deref(n);
  const raw: BodyCandidate[] = [
    ...rb.examples.map((e) => ({ name: `example "${e.name}"`, value: structuredClone(e.value) })),
    { name: 'schema sample (required fields)', value: sampleValue(rb.schema, deref) },
    { name: 'schema sample (all fields)', value: sampleValue(rb.schema, deref, { full: true }) },
  ];
  const seen = new Set<string>();
  const out: BodyCandidate[] = [];
  for (const c of raw) {
    const value = uniquify(spec, op, withUrl(withoutServerRefs(spec, rb.schema, c.value), webhookUrl), runId, label);
    const key = JSON.stringify(c.value);
    if (seen.has(key) || spec.registry.validate(rb.schema, value).length) continue;
    seen.add(key);
    out.push({ name: c.name, value });
  }
  return out;
}

/** Server-issued id prefixes (D3). An optional reference to one (`conversationId: "conv_..."`)
 * points at something this server may not have, so valid-request bodies leave it out. */
const SERVER_ID = /^\^(query|conv|vec|agent|proj|user|key|whk|evt|req)_/;

export function withoutServerRefs(spec: SpecIndex, schema: unknown, body: unknown): unknown {
  const s = spec.deref(schema);
  if (!body || typeof body !== 'object' || Array.isArray(body) || !s?.properties) return body;
  const out = { ...(body as Record<string, unknown>) };
  for (const [name, prop] of Object.entries<any>(s.properties)) {
    const p = spec.deref(prop);
    if (name in out && !(s.required ?? []).includes(name) && typeof p?.pattern === 'string' && SERVER_ID.test(p.pattern)) delete out[name];
  }
  return out;
}

/** The first valid body, for requests whose body is not the point (auth, permissions, 404). */
export function anyValidBody(spec: SpecIndex, op: OperationInfo, runId: string, label = 'conf', webhookUrl?: string): unknown {
  return validBodies(spec, op, runId, label, webhookUrl)[0]?.value;
}

/** Point a body's top-level `url` (a webhook receiver) at the run's own sink. */
function withUrl(body: unknown, url: string | undefined): unknown {
  if (!url || !body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { url?: unknown }).url !== 'string') return body;
  return { ...(body as object), url };
}

/** Give top-level `id` and `name` strings a per-run unique value, when the schema allows it. */
export function uniquify(spec: SpecIndex, op: OperationInfo, body: unknown, runId: string, label: string): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !op.requestBody) return body;
  const out = { ...(body as Record<string, unknown>) };
  for (const field of ['id', 'name']) {
    const cur = out[field];
    if (typeof cur !== 'string') continue;
    const token = uniqueToken(runId, label);
    for (const candidate of [`${cur.replace(/\s+/g, '-')}-${token}`, token, token.replace(/[^A-Za-z0-9]/g, '')]) {
      const trial = { ...out, [field]: candidate };
      if (!spec.registry.validate(op.requestBody.schema, trial).length) {
        out[field] = candidate;
        break;
      }
    }
  }
  return out;
}

/** Fill `{param}` placeholders (values are URL-encoded). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? `missing-${name}`));
}

export function withQuery(path: string, query: Record<string, string | number | boolean | undefined>): string {
  const qs = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return qs ? `${path}?${qs}` : path;
}

/** Values for required query parameters (examples, defaults, samples). */
export function requiredQuery(spec: SpecIndex, op: OperationInfo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in !== 'query' || !p.required) continue;
    out[p.name] = String(p.example ?? sampleValue(p.schema, (n) => spec.deref(n)));
  }
  return out;
}

/** A well-formed id for a path parameter that no server has issued (matches its pattern). */
export function unknownId(spec: SpecIndex, op: OperationInfo, name: string, runId: string): string {
  const p = op.parameters.find((x) => x.in === 'path' && x.name === name);
  const schema = spec.deref(p?.schema ?? {});
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
  const example = typeof p?.example === 'string' ? p.example : '';
  const prefix = /^([a-z]+_)/.exec(example)?.[1] ?? '';
  const suffix = `ConformanceUnknown${runId.replace(/[^A-Za-z0-9]/g, '')}`;
  for (const c of [`${prefix}${suffix}`, `${example}${suffix}`, suffix]) {
    if (!pattern || pattern.test(c)) return c;
  }
  return `${prefix}${suffix}`;
}

/** A well-formed request for `op` with made-up ids: for checks where the body is not the point. */
export function representative(spec: SpecIndex, op: OperationInfo, runId: string, label = 'conf', webhookUrl?: string): { method: string; path: string; json?: unknown; operationId: string } {
  const ids: Record<string, string> = {};
  for (const p of op.parameters) if (p.in === 'path') ids[p.name] = unknownId(spec, op, p.name, runId);
  const path = withQuery(fillPath(op.path, ids), requiredQuery(spec, op));
  return { method: op.method, path, json: op.requestBody ? anyValidBody(spec, op, runId, label, webhookUrl) : undefined, operationId: op.operationId };
}
