// Test support: judges a mock response against the bundled contract with the contract helper's
// own ajv (openapi/spec.ts), independent of the mock's validators: the status must be declared for
// the operation (or be a 404/405 on an unknown path or method), the body must match the declared
// schema, declared required headers must be present and valid, and an error body's requestId must
// equal X-Request-Id. Limits: only JSON bodies are validated (streams are checked elsewhere).
import type { ValidateFunction } from 'ajv';
import { createAjv, loadBundledSpec, schemaRef } from '../../openapi/spec.ts';

const spec = loadBundledSpec();
const ajv = createAjv(spec);
const cache = new Map<string, ValidateFunction>();

function validatorFor(schema: { $ref?: string } | undefined): ValidateFunction | undefined {
  if (!schema?.$ref) return undefined;
  const name = schema.$ref.replace('#/components/schemas/', '');
  let v = cache.get(name);
  if (!v) {
    v = ajv.getSchema(schemaRef(name));
    if (!v) throw new Error(`no schema ${name}`);
    cache.set(name, v);
  }
  return v;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function deref(x: any): any {
  if (x && typeof x.$ref === 'string') {
    const parts = x.$ref.replace('#/', '').split('/');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return parts.reduce((o: any, p: string) => o?.[p.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return x;
}

export interface Observed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const errorValidator = () => validatorFor({ $ref: '#/components/schemas/ErrorResponse' })!;

/** Problems of one response; empty when it conforms. `specPath` undefined = no operation matched. */
export function conformanceProblems(method: string, specPath: string | undefined, res: Observed): string[] {
  const problems: string[] = [];
  const header = (name: string) => {
    const v = res.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const requestId = header('x-request-id');
  if (!requestId || !/^req_[A-Za-z0-9]+$/.test(requestId)) problems.push(`X-Request-Id missing or malformed: ${requestId}`);
  const contentType = header('content-type') ?? '';
  let body: unknown;
  if (res.text.length > 0 && contentType.startsWith('application/json')) {
    try {
      body = JSON.parse(res.text);
    } catch {
      problems.push('body is not JSON');
    }
  }
  if (res.status >= 400) {
    if (!contentType.startsWith('application/json')) problems.push(`error content-type ${contentType}`);
    const v = errorValidator();
    if (!v(body)) problems.push(`error envelope: ${ajv.errorsText(v.errors)}`);
    const rid = (body as { error?: { requestId?: string } })?.error?.requestId;
    if (rid !== requestId) problems.push(`error.requestId ${rid} != X-Request-Id ${requestId}`);
  }
  if (!specPath) {
    if (res.status !== 404 && res.status !== 405) problems.push(`unmatched route answered ${res.status}`);
    return problems;
  }
  const op = spec.paths[specPath]?.[method.toLowerCase()];
  if (!op) return [...problems, `no operation ${method} ${specPath}`];
  const declared = deref(op.responses[String(res.status)] ?? op.responses.default);
  if (!declared) return [...problems, `status ${res.status} is not declared for ${method} ${specPath}`];
  for (const [name, h] of Object.entries<{ required?: boolean; schema?: { type?: string; pattern?: string; minimum?: number } }>(declared.headers ?? {})) {
    const def = deref(h);
    const value = header(name);
    if (def.required && value === undefined) problems.push(`required header ${name} missing on ${res.status}`);
    if (value !== undefined && def.schema?.type === 'integer' && !/^-?\d+$/.test(value)) problems.push(`header ${name}=${value} is not an integer`);
    if (value !== undefined && def.schema?.minimum !== undefined && Number(value) < def.schema.minimum) problems.push(`header ${name}=${value} < ${def.schema.minimum}`);
  }
  const media = Object.keys(declared.content ?? {});
  if (media.length === 0) {
    if (res.text.length > 0) problems.push(`status ${res.status} declares no body but one was sent`);
    return problems;
  }
  const mediaType = contentType.split(';')[0].trim();
  if (!media.includes(mediaType)) return [...problems, `content-type ${mediaType} not declared (${media.join(', ')})`];
  if (mediaType === 'application/json') {
    const v = validatorFor(declared.content[mediaType].schema);
    if (v && !v(body)) problems.push(`${method} ${specPath} ${res.status} body: ${ajv.errorsText(v.errors)}`);
  }
  return problems;
}
