// Request validation (D5/D6): ajv validators compiled once per operation (body, query, path
// parameters). A missing required field is 400 INVALID_REQUEST; any other broken rule is 422
// VALIDATION_ERROR; both carry details {field, reason, violations}. A path id that does not match
// its pattern is 404 NOT_FOUND. Query strings are coerced to the declared types.
// Limits: unknown query parameters are ignored (bodies are closed, query strings are not);
// header and cookie parameters are not validated.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { rewriteRefs } from '../contract/ajv.ts';
import { responseSchema, type OperationInfo } from '../contract/spec.ts';
import { ApiError, type Violation } from './errors.ts';

export interface OperationValidators {
  body?: ValidateFunction;
  bodyRequired: boolean;
  query?: ValidateFunction;
  queryArrays: Set<string>;
  path: { name: string; validate: ValidateFunction }[];
  /** The declared JSON body schema of a response status, compiled on first use (dynamic answers). */
  response(status: number): ValidateFunction | undefined;
}

const CONTAINER_KEYWORDS = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'then', 'else', 'not']);

/** `/messages/2/role` -> `messages[2].role`. */
export function fieldPath(pointer: string, extra?: string): string {
  const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

function describe(e: ErrorObject, field: string): string {
  const name = field === '' ? 'The request body' : `Field '${field}'`;
  switch (e.keyword) {
    case 'required':
      return `The request is missing required field '${field}'`;
    case 'additionalProperties':
      return `Unknown field '${field}'`;
    case 'enum':
      return `${name} must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`;
    case 'not':
      // The contract uses `not` for reserved values (memory ids such as `stats`), so say that.
      return `${name} has a reserved value that cannot be used here`;
    default:
      return `${name} ${e.message ?? 'is invalid'}`;
  }
}

/** A `required` outside any condition: the request lacks something it always needs (400). */
const CONDITIONAL = /\/(then|else|if|oneOf|anyOf|allOf|not|dependentSchemas)\//;

export interface ViolationList extends Array<Violation> {
  /** True when an unconditionally required field is missing (D6: 400). */
  missingRequired?: boolean;
}

/** ajv errors as the API's violations, container noise dropped, duplicates merged. */
export function toViolations(errors: ErrorObject[], prefix = ''): ViolationList {
  const specific = errors.filter((e) => !CONTAINER_KEYWORDS.has(e.keyword));
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  const out: ViolationList = [];
  const hard = new Set<string>();
  for (const e of chosen) {
    const extra =
      e.keyword === 'required'
        ? (e.params as { missingProperty: string }).missingProperty
        : e.keyword === 'additionalProperties'
          ? (e.params as { additionalProperty: string }).additionalProperty
          : undefined;
    const field = prefix + fieldPath(e.instancePath, extra);
    const key = `${field}\u0000${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (e.keyword === 'required' && !CONDITIONAL.test(e.schemaPath)) hard.add(field);
    out.push({ field, reason: e.keyword, message: describe(e, field) });
  }
  // Missing fields first: they are what makes the request unusable.
  out.sort((a, b) => Number(hard.has(b.field) && b.reason === 'required') - Number(hard.has(a.field) && a.reason === 'required'));
  out.missingRequired = hard.size > 0;
  return out;
}

/** 400 when something required is missing, else 422; `field`/`reason` name the first violation. */
export function validationError(violations: ViolationList): ApiError {
  if (violations.missingRequired) {
    const first = violations[0];
    return new ApiError('INVALID_REQUEST', first.message, { field: first.field, reason: first.reason, violations: [...violations] });
  }
  const first = violations[0];
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
  return new ApiError('VALIDATION_ERROR', `${first.message}${more}`, { field: first.field, reason: first.reason, violations: [...violations] });
}

/** Compiles the validators of one operation; call once at start. */
export function compileValidators(ajv: Ajv2020, coercingAjv: Ajv2020, op: OperationInfo): OperationValidators {
  const query = op.parameters.filter((p) => p.in === 'query');
  const queryArrays = new Set(
    query.filter((p) => typeof p.schema === 'object' && (p.schema as { type?: unknown }).type === 'array').map((p) => p.name),
  );
  return {
    body: op.requestBody ? ajv.compile(rewriteRefs(op.requestBody.schema)) : undefined,
    bodyRequired: op.requestBody?.required ?? false,
    query:
      query.length > 0
        ? coercingAjv.compile({
            type: 'object',
            properties: Object.fromEntries(query.map((p) => [p.name, rewriteRefs(p.schema)])),
            required: query.filter((p) => p.required).map((p) => p.name),
          })
        : undefined,
    queryArrays,
    path: op.parameters.filter((p) => p.in === 'path').map((p) => ({ name: p.name, validate: ajv.compile(rewriteRefs(p.schema)) })),
    response: lazyResponseValidators(ajv, op),
  };
}

/** Response validators are compiled on first use: only `Prefer: dynamic=true` answers need them. */
function lazyResponseValidators(ajv: Ajv2020, op: OperationInfo): (status: number) => ValidateFunction | undefined {
  const cache = new Map<number, ValidateFunction | undefined>();
  return (status) => {
    if (!cache.has(status)) {
      const schema = responseSchema(op, status);
      cache.set(status, schema === undefined ? undefined : ajv.compile(rewriteRefs(schema)));
    }
    return cache.get(status);
  };
}

/** Path ids that break their pattern are unknown resources: 404. */
export function checkPathParams(v: OperationValidators, params: Record<string, string>): void {
  for (const p of v.path) {
    if (!p.validate(params[p.name])) {
      throw new ApiError('NOT_FOUND', `No resource with ${p.name} '${params[p.name]}'`);
    }
  }
}

/** Validates and coerces the query string; returns the typed values. */
export function checkQuery(v: OperationValidators, search: URLSearchParams | null): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (!v.query) return values;
  if (search) {
    for (const name of new Set(search.keys())) {
      values[name] = v.queryArrays.has(name) ? search.getAll(name) : search.get(name);
    }
  }
  if (!v.query(values)) throw validationError(toViolations(v.query.errors ?? []));
  return values;
}

/** Validates a parsed JSON body (already known to be an object). */
export function checkBody(v: OperationValidators, body: unknown): void {
  if (v.body && !v.body(body)) throw validationError(toViolations(v.body.errors ?? []));
}
