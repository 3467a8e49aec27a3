// The case generator on small schemas: given a schema and a valid base, want these cases
// (status, field, reason), and none that the contract does not actually forbid.
import { describe, expect, it } from 'vitest';
import { fieldOf, generateNegativeCases, UNKNOWN_PROPERTY, type NegativeCase } from './negative-cases.ts';
import { sampleValue } from './schema-values.ts';
import { SpecIndex } from './spec.ts';

function specWith(schemas: Record<string, unknown>): SpecIndex {
  return new SpecIndex({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } });
}

function cases(schema: object, base: unknown, schemas: Record<string, unknown> = {}): NegativeCase[] {
  const spec = specWith(schemas);
  return generateNegativeCases(schema, base, { registry: spec.registry, deref: (n) => spec.deref(n) });
}

const summary = (list: NegativeCase[]) => list.filter((c) => c.field !== undefined).map((c) => `${c.expectStatus} ${c.field} ${c.reasons?.join('|')}`);

describe('negative case generator', () => {
  it('field notation follows D5', () => {
    expect(fieldOf(['messages', 2, 'role'])).toBe('messages[2].role');
    expect(fieldOf(['prompt'])).toBe('prompt');
  });

  const table: { name: string; schema: object; base: unknown; want: string[]; notWant?: string[] }[] = [
    {
      name: 'required string with length limits',
      schema: { type: 'object', required: ['prompt'], additionalProperties: false, properties: { prompt: { type: 'string', minLength: 1, maxLength: 5 } } },
      base: { prompt: 'hi' },
      want: ['400 prompt required', `422 ${UNKNOWN_PROPERTY} additionalProperties`, '422 prompt type', '422 prompt maxLength', '422 prompt minLength'],
    },
    {
      name: 'numbers, integers and enums',
      schema: { type: 'object', properties: { t: { type: 'number', minimum: 0, maximum: 2 }, n: { type: 'integer', minimum: 1 }, m: { type: 'string', enum: ['a', 'b'] } } },
      base: { t: 1, n: 2, m: 'a' },
      want: ['422 t minimum', '422 t maximum', '422 n type', '422 n minimum', '422 m enum'],
      // an open object: no unknown-property case
      notWant: [`422 ${UNKNOWN_PROPERTY} additionalProperties`],
    },
    {
      name: 'nested arrays of objects name the item path',
      schema: { type: 'object', required: ['messages'], properties: { messages: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Msg' } } } },
      base: { messages: [{ role: 'user', content: 'x' }] },
      want: ['400 messages required', '422 messages minItems', '400 messages[0].role required', '422 messages[0].role enum'],
    },
    {
      name: 'optional properties absent from the base are still covered',
      schema: { type: 'object', properties: { email: { type: 'string', format: 'email' }, when: { type: 'string', format: 'date-time' } } },
      base: {},
      want: ['422 email format', '422 when format'],
    },
    {
      name: 'reserved values (not enum) and patterns',
      schema: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[a-z]+$', not: { enum: ['stats'] } } } },
      base: { id: 'abc' },
      want: ['422 id pattern', '422 id not'],
    },
  ];

  it.each(table)('$name', ({ schema, base, want, notWant }) => {
    const got = summary(cases(schema, base, { Msg: { type: 'object', required: ['role', 'content'], properties: { role: { type: 'string', enum: ['user', 'system'] }, content: { type: 'string' } } } }));
    for (const w of want) expect(got.some((g) => g.startsWith(w)), `${w} in\n${got.join('\n')}`).toBe(true);
    for (const n of notWant ?? []) expect(got.some((g) => g.startsWith(n))).toBe(false);
  });

  it('always adds the body-level 400 cases', () => {
    const list = cases({ type: 'object' }, {});
    expect(list.filter((c) => c.field === undefined).map((c) => c.expectStatus)).toEqual([400, 400, 400, 400]);
    expect(list.find((c) => c.contentType === 'text/plain')?.rawBody).toBe('{}');
  });

  it('drops candidates a conditional schema makes ambiguous (no false positives)', () => {
    // scopes is only forbidden for some types: mutating it breaks an if/then, not one keyword.
    const schema = {
      type: 'object', required: ['type'], properties: { type: { enum: ['a', 'b'] }, scopes: { type: 'array', items: { type: 'string' } } },
      if: { properties: { type: { const: 'a' } } }, then: { required: ['scopes'] },
    };
    const list = cases(schema, { type: 'b' });
    // every generated case is invalid only at its own field
    const spec = specWith({});
    for (const c of list.filter((x) => x.field !== undefined)) {
      const v = spec.registry.validate(schema, c.body);
      expect(v.length).toBeGreaterThan(0);
      expect(v.every((x) => x.keyword !== 'if')).toBe(true);
    }
    expect(summary(list)).not.toContain('400 type required');
  });

  it('every case built from a sample of a real-world shape is invalid, and the base valid', () => {
    const schema = {
      type: 'object', required: ['name'], additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' }, settings: { type: 'object', additionalProperties: true }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
    };
    const spec = specWith({});
    const base = sampleValue(schema, (n) => spec.deref(n), { full: true });
    expect(spec.registry.validate(schema, base)).toEqual([]);
    const list = cases(schema, base);
    for (const c of list.filter((x) => x.body !== undefined)) expect(spec.registry.validate(schema, c.body).length).toBeGreaterThan(0);
    expect(summary(list)).toEqual(expect.arrayContaining(['422 limit minimum', '422 limit maximum', '422 name pattern']));
  });
});
