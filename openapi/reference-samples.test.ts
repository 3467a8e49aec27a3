// The contract agrees with the published reference: every JSON sample of the API reference
// (copied into openapi/reference-samples.json) validates against the matching schema of the
// bundled contract. When the reference text is at hand (../shared/seeds/), the fixture is also
// checked against it: the same samples, verbatim, none missing.
// Limits: the reference's `[...]` placeholders are read as []; non-JSON samples (headers, curl
// lines, JavaScript) are not checked here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deref } from './collect-examples.ts';
import { createAjv, listOperations, loadBundledSpec, repoRoot, type OpenApiDocument } from './spec.ts';
import fixture from './reference-samples.json' with { type: 'json' };

interface Sample {
  title: string;
  operationId?: string;
  webhook?: string;
  kind: 'request' | 'response';
  status?: string;
  mediaType: string;
  sample: unknown;
}

const samples = fixture.samples as Sample[];
const spec = loadBundledSpec();
const ajv = createAjv(spec);
const referenceFile = path.resolve(repoRoot, '..', 'shared', 'seeds', '000_d0ba4438e820b724.txt');

function operationFor(s: Sample): OpenApiDocument | undefined {
  if (s.webhook) return spec.webhooks?.[s.webhook]?.post;
  return listOperations(spec).find((o) => o.operationId === s.operationId)?.operation;
}

function schemaFor(s: Sample): unknown {
  const operation = operationFor(s);
  if (!operation) throw new Error(`no operation ${s.operationId ?? `webhook ${s.webhook}`} in the spec`);
  const holder = s.kind === 'request' ? deref(spec, operation.requestBody) : deref(spec, operation.responses?.[s.status ?? '']);
  const schema = (holder as OpenApiDocument | undefined)?.content?.[s.mediaType]?.schema;
  if (!schema) throw new Error(`no ${s.mediaType} schema for the ${s.kind} ${s.status ?? ''} of ${s.operationId ?? s.webhook}`);
  return schema;
}

describe('reference samples validate against the contract', () => {
  it.each(samples.map((s) => [s.title, s] as const))('%s', (_title, s) => {
    const validate = ajv.compile(schemaFor(s) as object);
    const ok = validate(s.sample);
    expect(ok, ajv.errorsText(validate.errors, { dataVar: 'sample', separator: '\n' })).toBe(true);
  });
});

/** The JSON samples of the reference text: `{...}` blocks, the curl `-d` body and `data:` lines. */
function referenceSamples(text: string): unknown[] {
  const lines = text.split('\n');
  const found: unknown[] = [];
  const parse = (json: string) => JSON.parse(json.replaceAll('[...]', '[]'));
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (line === '{' || /-d '\{$/.test(line)) {
      const block = [line.slice(line.indexOf('{'))];
      while (i + 1 < lines.length && !/^\}'?$|^\s*\}'$/.test(lines[i])) block.push(lines[(i += 1)]);
      found.push(parse(block.join('\n').replace(/\}'$/, '}')));
    } else if (line.startsWith('data: ')) {
      found.push(parse(line.slice('data: '.length)));
    }
  }
  return found;
}

describe.skipIf(!existsSync(referenceFile))('the fixture is the reference, verbatim', () => {
  it('holds exactly the JSON samples of the reference text, in order', () => {
    const fromReference = referenceSamples(readFileSync(referenceFile, 'utf8'));
    expect(fromReference).toHaveLength(18);
    expect(samples.map((s) => s.sample)).toEqual(fromReference);
  });
});
