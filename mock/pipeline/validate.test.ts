// Validation output as the API's 400/422 envelope (D5/D6), compiled from a small inline spec:
// field paths, reasons, missing vs conditional required, query coercion, path ids -> 404.
import { describe, expect, it } from 'vitest';
import { createSpecAjv } from '../contract/ajv.ts';
import { readOperations, type OpenApiDoc } from '../contract/spec.ts';
import { ApiError } from './errors.ts';
import { checkBody, checkPathParams, checkQuery, compileValidators, fieldPath } from './validate.ts';

const doc: OpenApiDoc = {
  openapi: '3.1.0',
  paths: {
    '/things/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^thing_[a-z]+$' } }],
      put: {
        operationId: 'putThing',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 10 } }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, example: 'x' },
          kind: { type: 'string', enum: ['a', 'b'] },
          scopes: { type: 'array', items: { type: 'string' } },
          items: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
        },
        if: { required: ['kind'], properties: { kind: { const: 'b' } } },
        then: { required: ['scopes'], properties: { scopes: { type: 'array', minItems: 1 } } },
        'x-note': 'extensions are annotations',
      },
      Item: { type: 'object', required: ['role'], properties: { role: { enum: ['user', 'system'] } } },
    },
  },
};
const [op] = readOperations(doc);
const v = compileValidators(createSpecAjv(doc), createSpecAjv(doc, { coerceTypes: true }), op);

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('accepted');
}

describe('fieldPath', () => {
  it.each([
    ['', undefined, ''],
    ['', 'prompt', 'prompt'],
    ['/messages/2/role', undefined, 'messages[2].role'],
    ['/a~1b/0', 'c', 'a/b[0].c'],
  ])('%s + %s -> %s', (pointer, extra, want) => expect(fieldPath(pointer, extra)).toBe(want));
});

describe('body', () => {
  it('accepts a valid body', () => expect(() => checkBody(v, { name: 'n', kind: 'a' })).not.toThrow());

  it.each([
    [{}, 400, 'name', 'required'],
    [{ name: 'n', extra: 1 }, 422, 'extra', 'additionalProperties'],
    [{ name: '' }, 422, 'name', 'minLength'],
    [{ name: 'n', kind: 'c' }, 422, 'kind', 'enum'],
    [{ name: 3 }, 422, 'name', 'type'],
    [{ name: 'n', items: [{ role: 'user' }, { role: 'bot' }] }, 422, 'items[1].role', 'enum'],
    [{ name: 'n', items: [{}] }, 400, 'items[0].role', 'required'],
    [{ name: 'n', kind: 'b' }, 422, 'scopes', 'required'],
  ])('%j -> %i %s %s', (body, status, field, reason) => {
    const e = refusal(() => checkBody(v, body));
    expect(e.status).toBe(status);
    expect(e.details).toMatchObject({ field, reason });
    expect((e.details?.violations as unknown[])[0]).toMatchObject({ field, reason });
  });

  it('lists every violation, missing fields first', () => {
    const e = refusal(() => checkBody(v, { kind: 'z', extra: true }));
    expect(e.status).toBe(400);
    expect((e.details?.violations as { field: string }[]).map((x) => x.field)).toEqual(['name', 'extra', 'kind']);
  });
});

describe('query and path', () => {
  it('coerces query strings and validates them', () => {
    expect(checkQuery(v, new URLSearchParams('limit=5&other=x'))).toEqual({ limit: 5, other: 'x' });
    expect(refusal(() => checkQuery(v, new URLSearchParams('limit=50'))).details).toMatchObject({ field: 'limit', reason: 'maximum' });
    expect(refusal(() => checkQuery(v, new URLSearchParams('limit=ten'))).details).toMatchObject({ field: 'limit', reason: 'type' });
  });

  it('a path id breaking its pattern is 404', () => {
    expect(() => checkPathParams(v, { id: 'thing_ok' })).not.toThrow();
    expect(refusal(() => checkPathParams(v, { id: '..' })).status).toBe(404);
  });
});
