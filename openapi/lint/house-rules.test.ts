// Tests of the house lint rules (openapi/lint/house-rules.js) through the real Redocly CLI:
// a tiny valid spec, and for each rule specs that break it. Every case is linted in one CLI run
// (only the house rules enabled); each bad case must raise exactly the expected problems.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodSpec, repoRoot, runRedocly, scratch, splitFiles, type Spec } from './lint-fixtures.ts';

type Want = Record<string, number>;
interface Report { problems: { ruleId: string; location: { source: { ref: string } }[] }[] }
interface Case { name: string; spec?: Spec; files?: Record<string, unknown>; want: Want }

const op = (s: Spec, p: string, m: string) => s.paths[p][m];
const cases: Case[] = [
  { name: 'good', spec: goodSpec(), want: {} },
  { name: 'good-split', files: splitFiles(), want: {} },
  // webhooks describe the receiver's side: the house rules leave them alone.
  { name: 'bare-webhook', spec: mutate((s) => { const w = s.webhooks['thing.created'].post; delete w.operationId; delete w.tags; w.responses['500'] = { description: 'receiver failed' }; }), want: {} },
  // auth-shared-errors
  { name: 'no-429', spec: mutate((s) => delete op(s, '/things', 'get').responses['429']), want: { 'house/auth-shared-errors': 1 } },
  { name: 'no-401-no-429', spec: mutate((s) => { const r = op(s, '/things', 'get').responses; delete r['401']; delete r['429']; }), want: { 'house/auth-shared-errors': 2 } },
  { name: 'inline-401', spec: mutate((s) => { op(s, '/things', 'get').responses['401'] = structuredClone(s.components.responses.Unauthorized); }), want: { 'house/auth-shared-errors': 1 } },
  { name: 'wrong-ref-429', spec: mutate((s) => { op(s, '/things', 'get').responses['429'] = { $ref: '#/components/responses/NotFound' }; }), want: { 'house/auth-shared-errors': 1 } },
  { name: 'split-renamed-401', files: splitFiles(true), want: { 'house/auth-shared-errors': 1 } },
  { name: 'op-level-security', spec: mutate((s) => { const o = op(s, '/health', 'get'); o.security = [{ bearerAuth: [] }]; }), want: { 'house/auth-shared-errors': 2, 'house/rate-limit-headers': 2 } },
  // request-id-header
  { name: 'no-request-id-200', spec: mutate((s) => delete op(s, '/things', 'get').responses['200'].headers['X-Request-Id']), want: { 'house/request-id-header': 1 } },
  { name: 'no-request-id-public', spec: mutate((s) => delete op(s, '/health', 'get').responses['503'].headers['X-Request-Id']), want: { 'house/request-id-header': 1 } },
  { name: 'no-request-id-shared', spec: mutate((s) => delete s.components.responses.Unauthorized.headers['X-Request-Id']), want: { 'house/request-id-header': 2 } },
  // rate-limit-headers
  { name: 'no-reset-200', spec: mutate((s) => delete op(s, '/things', 'get').responses['200'].headers['X-RateLimit-Reset']), want: { 'house/rate-limit-headers': 1 } },
  { name: 'no-ratelimit-204', spec: mutate((s) => { op(s, '/things/{id}', 'delete').responses['204'].headers = { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } }; }), want: { 'house/rate-limit-headers': 1 } },
  { name: 'no-ratelimit-429', spec: mutate((s) => { s.components.responses.RateLimited.headers = { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } }; }), want: { 'house/rate-limit-headers': 2 } },
  // error-envelope
  { name: 'inline-error-schema', spec: mutate((s) => { op(s, '/things/{id}', 'delete').responses['404'].content['application/json'].schema = { type: 'object' }; }), want: { 'house/error-envelope': 1 } },
  { name: 'error-without-content', spec: mutate((s) => delete op(s, '/health', 'get').responses['503'].content), want: { 'house/error-envelope': 1 } },
  { name: 'problem-json-error', spec: mutate((s) => { const c = op(s, '/things/{id}', 'delete').responses['404'].content; c['application/problem+json'] = { schema: { type: 'object' } }; }), want: { 'house/error-envelope': 1 } },
  // operation-basics
  { name: 'no-operation-id', spec: mutate((s) => delete op(s, '/things', 'get').operationId), want: { 'house/operation-basics': 1 } },
  { name: 'empty-tags', spec: mutate((s) => { op(s, '/things', 'get').tags = []; }), want: { 'house/operation-basics': 1 } },
  // success-example
  { name: 'no-success-example', spec: mutate((s) => delete op(s, '/things', 'get').responses['200'].content['application/json'].examples), want: { 'house/success-example': 1 } },
  { name: 'empty-examples-map', spec: mutate((s) => { op(s, '/health', 'get').responses['200'].content['application/json'] = { schema: { type: 'object' }, examples: {} }; }), want: { 'house/success-example': 1 } },
  { name: 'success-without-content', spec: mutate((s) => delete op(s, '/things', 'get').responses['200'].content), want: { 'house/success-example': 1 } },
];

function mutate(change: (s: Spec) => unknown): Spec {
  const spec = goodSpec();
  change(spec);
  return spec;
}

let found: Map<string, Want>;
const dir = scratch('house-rules-');

beforeAll(async () => {
  const files: string[] = [];
  for (const c of cases) {
    const folder = path.join(dir.path, c.name);
    const all = c.files ?? { 'openapi.json': c.spec };
    for (const [rel, content] of Object.entries(all)) {
      await mkdir(path.dirname(path.join(folder, rel)), { recursive: true });
      await writeFile(path.join(folder, rel), JSON.stringify(content, null, 2));
    }
    files.push(`${c.name}/openapi.json`);
  }
  const plugin = path.join(repoRoot, 'openapi', 'lint', 'house-rules.js');
  const rules = ['auth-shared-errors', 'request-id-header', 'rate-limit-headers', 'error-envelope', 'operation-basics', 'success-example'];
  const config = `plugins:\n  - ${JSON.stringify(plugin)}\nrules:\n${rules.map((r) => `  house/${r}: error\n`).join('')}`;
  await writeFile(path.join(dir.path, 'redocly.yaml'), config);
  const result = await runRedocly(['lint', ...files, '--config', 'redocly.yaml', '--format', 'json', '--max-problems', '1000'], dir.path);
  // One JSON report per linted file, printed back to back (`}{` between them).
  const reports = result.stdout.trim().split(/^\}\{$/m).map((part, i, all) =>
    JSON.parse(`${i > 0 ? '{' : ''}${part}${i < all.length - 1 ? '}' : ''}`) as Report);
  expect(reports).toHaveLength(cases.length);
  found = new Map();
  for (const p of reports.flatMap((r) => r.problems)) {
    const name = p.location[0].source.ref.split(/[\\/]/)[0];
    const counts = found.get(name) ?? {};
    counts[p.ruleId] = (counts[p.ruleId] ?? 0) + 1;
    found.set(name, counts);
  }
}, 60_000);

afterAll(() => dir.remove());

describe('house lint rules', () => {
  it.each(cases.map((c) => [c.name, c.want] as const))('%s raises exactly %j', (name, want) => {
    expect(found.get(name) ?? {}).toEqual(want);
  });
});
