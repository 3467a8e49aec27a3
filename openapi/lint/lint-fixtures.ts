// Tiny inline OpenAPI documents for the house lint rule tests: one spec that obeys every house
// rule (public /health, authenticated /things, a webhook), and a split-file variant whose shared
// responses live in components/responses/*.json like the real contract.
// Limits: just enough of OpenAPI for the rules; not a spec to validate examples against.
export { repoRoot, runRedocly, scratch } from '../../scripts/repo.ts';

// The fixtures are mutated freely by the tests: a loose type keeps that readable.
export type Spec = Record<string, any>;

const RL = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-RateLimit-RetryAfter'];
const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const headerRefs = (names: string[]) => Object.fromEntries(names.map((n) => [n, ref('headers', n)]));
const intHeader = { required: true, schema: { type: 'integer', minimum: 0 } };
const errorContent = { 'application/json': { schema: ref('schemas', 'ErrorResponse') } };

export function goodSpec(): Spec {
  return {
    openapi: '3.1.0',
    info: { title: 'Tiny', version: '1.0.0' },
    security: [{ bearerAuth: [] }],
    paths: {
      '/health': {
        get: {
          operationId: 'getHealth', tags: ['health'], security: [],
          responses: {
            '200': {
              description: 'ok', headers: headerRefs(['X-Request-Id']),
              content: { 'application/json': { schema: { type: 'object' }, examples: { ok: { value: { status: 'ok' } } } } },
            },
            '503': { description: 'down', headers: headerRefs(['X-Request-Id']), content: structuredClone(errorContent) },
          },
        },
      },
      '/things': {
        get: {
          operationId: 'listThings', tags: ['things'],
          responses: {
            '200': {
              description: 'the things', headers: headerRefs(['X-Request-Id', ...RL]),
              content: { 'application/json': { schema: { type: 'array' }, examples: { two: { value: [1, 2] } } } },
            },
            '401': ref('responses', 'Unauthorized'),
            '429': ref('responses', 'RateLimited'),
          },
        },
      },
      '/things/{id}': {
        delete: {
          operationId: 'deleteThing', tags: ['things'],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '204': { description: 'deleted', headers: headerRefs(['X-Request-Id', ...RL]) },
            '401': ref('responses', 'Unauthorized'),
            '404': { description: 'unknown', headers: headerRefs(['X-Request-Id', ...RL]), content: structuredClone(errorContent) },
            '429': ref('responses', 'RateLimited'),
          },
        },
      },
    },
    webhooks: {
      'thing.created': {
        post: {
          operationId: 'thingCreated', tags: ['things'],
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { '200': { description: 'received' } },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: { ErrorResponse: { type: 'object', required: ['error'], properties: { error: { type: 'object' } } } },
      headers: {
        'X-Request-Id': { required: true, schema: { type: 'string' } },
        ...Object.fromEntries(RL.map((h) => [h, intHeader])),
      },
      responses: {
        Unauthorized: { description: '401', headers: headerRefs(['X-Request-Id']), content: structuredClone(errorContent) },
        RateLimited: { description: '429', headers: headerRefs(['X-Request-Id', ...RL]), content: structuredClone(errorContent) },
        NotFound: { description: '404', headers: headerRefs(['X-Request-Id', ...RL]), content: structuredClone(errorContent) },
      },
    },
  };
}

/** The split layout: shared responses and the error schema in their own files. */
export function splitFiles(renamed401 = false): Record<string, unknown> {
  const unauthorizedFile = renamed401 ? 'Denied.json' : 'Unauthorized.json';
  const inlineHeaders = (names: string[]) => Object.fromEntries(names.map((n) => [n, n === 'X-Request-Id' ? { schema: { type: 'string' } } : intHeader]));
  const errorRef = { 'application/json': { schema: { $ref: '../schemas/ErrorResponse.json' } } };
  return {
    'openapi.json': {
      openapi: '3.1.0',
      info: { title: 'Split', version: '1.0.0' },
      security: [{ bearerAuth: [] }],
      paths: {
        '/things': {
          get: {
            operationId: 'listThings', tags: ['things'],
            responses: {
              '200': {
                description: 'ok', headers: inlineHeaders(['X-Request-Id', ...RL]),
                content: { 'application/json': { schema: { type: 'array' }, example: [] } },
              },
              '401': { $ref: `./components/responses/${unauthorizedFile}` },
              '429': { $ref: './components/responses/RateLimited.json' },
            },
          },
        },
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    [`components/responses/${unauthorizedFile}`]: { description: '401', headers: inlineHeaders(['X-Request-Id']), content: errorRef },
    'components/responses/RateLimited.json': { description: '429', headers: inlineHeaders(['X-Request-Id', ...RL]), content: errorRef },
    'components/schemas/ErrorResponse.json': { type: 'object', properties: { error: { type: 'object' } } },
  };
}
