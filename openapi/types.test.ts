// The generated types (generated/api.d.ts) compile and have the contract's shapes: tiny files
// typed against them go through the real TypeScript compiler; the good ones must compile and
// each bad one must fail with the expected error. (openapi/types-sample.ts does the same
// inside `npm run typecheck`.)
// Limits: one tsc run for all cases (~3 s); only shapes that matter to clients are sampled.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratch } from '../scripts/repo.ts';
import { repoRoot } from './spec.ts';

const apiTypes = path.join(repoRoot, 'generated', 'api.d.ts');
const header = `import type { components, operations } from ${JSON.stringify(apiTypes)};\ntype S = components['schemas'];\n`;

const cases: { name: string; code: string; error?: RegExp }[] = [
  { name: 'total-tokens-number', code: `export const n: S['QueryResponse']['usage']['totalTokens'] = 502;` },
  { name: 'total-tokens-string', code: `export const n: S['QueryResponse']['usage']['totalTokens'] = '502';`, error: /TS2322: Type 'string' is not assignable to type 'number'/ },
  {
    name: 'create-query-200-without-usage',
    code: `export const r: operations['createQuery']['responses'][200]['content']['application/json'] = { id: 'query_a', text: 't', model: 'gpt-4', finishReason: 'stop', createdAt: '2026-01-30T12:00:00Z' };`,
    error: /TS2741: Property 'usage' is missing/,
  },
  { name: 'optional-defaults', code: `export const q: S['QueryRequest'] = { prompt: 'hi' };` },
  { name: 'closed-request', code: `export const q: S['QueryRequest'] = { prompt: 'hi', max_tokens: 5 };`, error: /Object literal may only specify known properties.*'max_tokens'/ },
  { name: 'error-code-enum', code: `export const c: S['ErrorCode'] = 'TEAPOT';`, error: /TS2322: Type '"TEAPOT"' is not assignable to type/ },
];

const dir = scratch('types-test-');
let output = '';
let exitCode = 0;

beforeAll(async () => {
  const files = cases.map((c) => {
    const file = path.join(dir.path, `${c.name}.ts`);
    writeFileSync(file, `${header}${c.code}\n`);
    return file;
  });
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '--noEmit', '--strict', '--pretty', 'false', '--target', 'ES2022', '--module', 'NodeNext',
    '--moduleResolution', 'NodeNext', '--allowImportingTsExtensions', '--skipLibCheck', '--types', 'node', ...files];
  await new Promise<void>((resolve) => {
    execFile(process.execPath, args, { cwd: repoRoot }, (error, stdout) => {
      output = String(stdout);
      exitCode = error ? Number(error.code ?? 1) : 0;
      resolve();
    });
  });
}, 60_000);

afterAll(() => dir.remove());

describe('generated/api.d.ts', () => {
  it('opens with the do-not-edit line and exports the three type maps', () => {
    const text = readFileSync(apiTypes, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^\/\/ .*Do not edit/);
    for (const name of ['paths', 'components', 'operations', 'webhooks']) expect(text).toContain(`export interface ${name} {`);
  });

  it('tsc fails overall because of the bad cases only', () => {
    expect(exitCode).not.toBe(0);
    const files = new Set([...output.matchAll(/([\w-]+)\.ts\(\d+,\d+\): error/g)].map((m) => m[1]));
    expect([...files].sort()).toEqual(cases.filter((c) => c.error).map((c) => c.name).sort());
  });

  it.each(cases)('$name', ({ name, error }) => {
    const lines = output.split('\n').filter((l) => l.includes(`${name}.ts(`));
    if (error) expect(lines.join('\n')).toMatch(error);
    else expect(lines).toEqual([]);
  });
});
