// Every example in the bundled contract validates against its own schema with Ajv (draft
// 2020-12, strict, OpenAPI keywords registered): media-type examples (JSON bodies, and each
// event of a `text/event-stream` example), parameter and header examples, and schema-level
// `example`/`examples`. Also: every request body and every success response has an example.
// Limits: reads generated/openapi.json (run `npm run build` after editing openapi/).
import { describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { collectExamples, type FoundExample } from './collect-examples.ts';
import { parseSseText } from './sse-frames.ts';
import { createAjv, listOperations, loadBundledSpec } from './spec.ts';

const spec = loadBundledSpec();
const ajv = createAjv(spec);
const examples = collectExamples(spec);
const compiled = new Map<unknown, ValidateFunction>();

function validator(schema: unknown): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema as object);
    compiled.set(schema, validate);
  }
  return validate;
}

function errorsOf(schema: unknown, value: unknown, where: string): string[] {
  const validate = validator(schema);
  return validate(value) ? [] : [ajv.errorsText(validate.errors, { dataVar: where, separator: '\n' })];
}

/** The values to check for one example: a stream example is checked event by event. */
function problems(ex: FoundExample): string[] {
  if (ex.external) return [`externalValue ${ex.external} is not allowed: inline the example`];
  if (ex.mediaType === 'text/event-stream') {
    if (typeof ex.value !== 'string') return ['a text/event-stream example must be the stream text'];
    const stream = parseSseText(ex.value);
    if (stream.events.length === 0) return ['the stream example has no events'];
    return [
      ...stream.problems,
      ...stream.events.flatMap((event, i) => {
        let data: unknown;
        try {
          data = JSON.parse(event.data);
        } catch {
          return [`event ${i}: data is not JSON: ${event.data}`];
        }
        return errorsOf(ex.schema, data, `event[${i}]`);
      }),
    ];
  }
  return errorsOf(ex.schema, ex.value, 'example');
}

describe('examples validate against their schemas', () => {
  it('finds examples of every kind', () => {
    const kinds = new Set(examples.map((e) => e.kind));
    for (const kind of ['media', 'parameter', 'schema']) expect(kinds).toContain(kind);
    expect(examples.filter((e) => e.where.startsWith('#/components/headers/')).length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.mediaType === 'text/event-stream').length).toBeGreaterThan(0);
  });

  it.each(examples.map((e) => [e.where, e] as const))('%s', (_where, ex) => {
    expect(problems(ex)).toEqual([]);
  });
});

describe('every request body and every success response has an example', () => {
  const withExample = new Set(examples.filter((e) => e.kind === 'media').map((e) => e.where.replace(/\/(example|examples\/[^/]+)$/, '')));
  const rows = listOperations(spec).flatMap(({ method, path, operation }) => {
    const at = `#/paths/${path}/${method.toLowerCase()}`;
    const bodies = Object.keys(operation.requestBody?.content ?? {}).map((mt) => `${at}/requestBody/content/${mt}`);
    const successes = Object.entries<{ content?: object }>(operation.responses ?? {})
      .filter(([code]) => code.startsWith('2'))
      .flatMap(([code, r]) => Object.keys(r.content ?? {}).map((mt) => `${at}/responses/${code}/content/${mt}`));
    return [...bodies, ...successes];
  });

  it.each(rows)('%s', (where) => {
    expect(withExample.has(where), `${where} has no example`).toBe(true);
  });
});
