// Loading the contract: operations read from a small inline document (path-level parameters,
// security, bodies), refs rewritten for ajv, and Prism's engine negotiating and caching templates.
import { describe, expect, it } from 'vitest';
import { createSpecAjv, rewriteRefs, SPEC_SCHEMA_ID } from './ajv.ts';
import { NegotiationError, PrismEngine } from './prism-engine.ts';
import { readOperations, responseSchema, type OpenApiDoc } from './spec.ts';

const doc: OpenApiDoc = {
  openapi: '3.1.0',
  security: [{ bearerAuth: [] }],
  paths: {
    '/items/{itemId}': {
      parameters: [{ $ref: '#/components/parameters/ItemId' }],
      get: {
        operationId: 'getItem',
        tags: ['things'],
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Item' },
                examples: { small: { value: { id: 'item_1', size: 1 } }, big: { value: { id: 'item_2', size: 99 } } },
              },
            },
          },
          '404': { description: 'no', content: { 'application/json': { schema: { type: 'object' }, example: { error: { code: 'NOT_FOUND', message: 'm', requestId: 'req_x' } } } } },
        },
      },
    },
    '/health': { get: { operationId: 'health', security: [], responses: { '200': { description: 'ok' } } } },
  },
  components: {
    parameters: { ItemId: { name: 'itemId', in: 'path', required: true, schema: { type: 'string', pattern: '^item_' } } },
    schemas: {
      Item: { type: 'object', required: ['id', 'size'], properties: { id: { type: 'string' }, size: { type: 'integer', minimum: 0, 'x-unit': 'cm' } } },
    },
  },
};

describe('readOperations', () => {
  it('merges path-level parameters, reads tags, security and responses', () => {
    const [get, health] = readOperations(doc);
    expect(get).toMatchObject({ operationId: 'getItem', method: 'GET', path: '/items/{itemId}', tag: 'things', secured: true });
    expect(get.parameters).toEqual([{ name: 'itemId', in: 'path', required: true, schema: { type: 'string', pattern: '^item_' } }]);
    expect(responseSchema(get, 200)).toEqual({ $ref: '#/components/schemas/Item' });
    expect(health.secured).toBe(false);
  });
});

describe('createSpecAjv', () => {
  it('rewrites component refs and accepts x- keywords as annotations under strict mode', () => {
    expect(rewriteRefs({ a: [{ $ref: '#/components/schemas/Item' }] })).toEqual({ a: [{ $ref: `${SPEC_SCHEMA_ID}#/$defs/Item` }] });
    const v = createSpecAjv(doc).compile(rewriteRefs({ $ref: '#/components/schemas/Item' }));
    expect(v({ id: 'a', size: 1 })).toBe(true);
    expect(v({ id: 'a', size: -1 })).toBe(false);
  });
});

describe('PrismEngine', () => {
  it('negotiates defaults, codes and named examples, caching static answers', async () => {
    const engine = await PrismEngine.load(doc);
    expect(engine.operationCount()).toBe(2);
    await engine.warm();
    const first = await engine.negotiate('GET', '/items/{itemId}', '/items/item_1', {});
    expect(first).toMatchObject({ status: 200, body: { id: 'item_1', size: 1 } });
    expect(await engine.negotiate('GET', '/items/{itemId}', '/items/item_1', { exampleKey: 'big' })).toMatchObject({ body: { size: 99 } });
    expect(await engine.negotiate('GET', '/items/{itemId}', '/items/item_1', { code: 404 })).toMatchObject({ status: 404 });
    (first.body as { size: number }).size = 1234; // callers get copies: the template is unchanged
    expect((await engine.negotiate('GET', '/items/{itemId}', '/items/item_1', {})).body).toEqual({ id: 'item_1', size: 1 });
  });

  it('generates dynamic bodies from the schema, repeatable per seed', async () => {
    const engine = await PrismEngine.load(doc);
    const a = await engine.negotiate('GET', '/items/{itemId}', '/items/item_1', { dynamic: true, seed: 's1' });
    const b = await engine.negotiate('GET', '/items/{itemId}', '/items/item_1', { dynamic: true, seed: 's1' });
    expect(a.body).toEqual(b.body);
    expect(typeof (a.body as { size: unknown }).size).toBe('number');
  });

  it('throws NegotiationError for what the contract does not have', async () => {
    const engine = await PrismEngine.load(doc);
    await expect(engine.negotiate('GET', '/items/{itemId}', '/items/item_1', { exampleKey: 'nope' })).rejects.toBeInstanceOf(NegotiationError);
    await expect(engine.negotiate('GET', '/items/{itemId}', '/items/item_1', { code: 418 })).rejects.toBeInstanceOf(NegotiationError);
    await expect(engine.negotiate('POST', '/nothing', '/nothing', {})).rejects.toBeInstanceOf(NegotiationError);
  });

  it('does not remember what it could not negotiate: a client sending endless example names or codes cannot grow it', async () => {
    const engine = await PrismEngine.load(doc);
    await engine.warm();
    const before = engine.templateCount();
    for (let i = 0; i < 200; i++) {
      await expect(engine.negotiate('GET', '/items/{itemId}', '/items/item_1', { exampleKey: `nope${i}` })).rejects.toBeInstanceOf(NegotiationError);
      await expect(engine.negotiate('GET', '/items/{itemId}', '/items/item_1', { code: 600 + i })).rejects.toBeInstanceOf(NegotiationError);
    }
    expect(engine.templateCount()).toBe(before);
  });
});
