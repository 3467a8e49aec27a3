// Tests of the shared test helpers (openapi/spec.ts): the bundle loads once, Ajv is strict but
// knows the OpenAPI keywords, and every component schema compiles under it with its `$ref`s
// resolved; a valid value passes and a broken one fails.
// Limits: reads generated/openapi.json as built.
import { describe, expect, it } from 'vitest';
import { createAjv, listOperations, loadBundledSpec, schemaRef } from './spec.ts';

const spec = loadBundledSpec();
const ajv = createAjv(spec);

describe('loadBundledSpec / listOperations', () => {
  it('reads the bundle once', () => {
    expect(loadBundledSpec()).toBe(spec);
    expect(spec.openapi).toBe('3.1.0');
  });

  it('lists the operations under paths only', () => {
    expect(listOperations(spec)).toHaveLength(35);
  });
});

describe('createAjv', () => {
  it('is strict: an unknown keyword is refused', () => {
    expect(() => createAjv(spec).compile({ type: 'object', colour: 'red' })).toThrow(/unknown keyword: "colour"/);
  });

  it('accepts the OpenAPI keywords and x- extensions as annotations', () => {
    const fresh = createAjv({ components: { schemas: {} }, 'x-generated': 'yes' });
    const validate = fresh.compile({
      type: 'object', example: { a: 1 }, discriminator: { propertyName: 'a' }, xml: { name: 'a' },
      externalDocs: { url: 'https://example.org' }, 'x-generated': true,
    });
    expect(validate({ a: 1 })).toBe(true);
    expect(validate('not an object')).toBe(false);
  });

  it.each(Object.keys(spec.components.schemas))('component schema %s compiles in strict mode', (name) => {
    expect(ajv.getSchema(schemaRef(name))).toBeTypeOf('function');
  });

  it('resolves $refs between components when validating', () => {
    const validate = ajv.getSchema(schemaRef('QueryResponse'))!;
    const good = {
      id: 'query_abc123', text: 'REST and GraphQL...', model: 'gpt-4',
      usage: { promptTokens: 15, completionTokens: 487, totalTokens: 502 },
      finishReason: 'stop', createdAt: '2026-01-30T12:00:00Z',
    };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, usage: { ...good.usage, totalTokens: '502' } })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/usage/totalTokens');
    expect(validate({ ...good, createdAt: 'yesterday' })).toBe(false);
  });
});
