// Static and pure-function tests of load/: every script imports only k6 built-ins and relative
// `.ts` files inside load/ (what `k6 run` resolves), exports handleSummary and its scenario
// functions; the config, rate-rule, SSE and summary helpers work (the SSE parser on a real stream
// captured from the mock, then "valid plus one change" variants); scripts/load.ts finds k6 on
// the PATH or explains how to install it.
// Limits: the scripts' runtime behaviour is tested in scripts.test.ts (through the emulator).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { request } from 'undici';
import { budgetPerSecond, durationSeconds, parseBaseUrl, planScale, readConfig, PLAN_LIMITS } from './lib/config.ts';
import { checkStream, parseSse } from './lib/sse.ts';
import { header, judgeDriveStep, newDriveState, rateHeaderChecks, requestsToDrain } from './lib/rate-rules.ts';
import { summaryOutputs } from './lib/summary.ts';
import { OPERATIONS, buildRequest } from './lib/operations.ts';
import { findOnPath, main as loadMain, maskArgs, parseArgs } from '../scripts/load.ts';
import { redact } from './lib/shapes.ts';
import { startMock, type RunningMock } from '../mock/server.ts';

const loadDir = path.dirname(fileURLToPath(import.meta.url));
const SCRIPTS = ['smoke', 'average-load', 'stream', 'rate-limits', 'soak', 'spike'];

function k6Files(): string[] {
  const top = readdirSync(loadDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  const lib = readdirSync(path.join(loadDir, 'lib')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => `lib/${f}`);
  return [...top, ...lib];
}

/** Every module specifier of a file: static imports, re-exports, dynamic import(), require(). */
function specifiers(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2020, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) out.push(n.moduleSpecifier.text);
    if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) {
      const arg = n.arguments[0];
      out.push(arg && ts.isStringLiteral(arg) ? arg.text : '<dynamic>');
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

function exportedNames(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2020, true);
  const names: string[] = [];
  for (const s of src.statements) {
    const exported = ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(s) && s.name) names.push(s.name.text);
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return names;
}

describe('what k6 can run', () => {
  test.each(k6Files())('%s imports only k6 built-ins and relative .ts files inside load/', (rel) => {
    const file = path.join(loadDir, rel);
    for (const spec of specifiers(file)) {
      if (spec === 'k6' || spec.startsWith('k6/')) continue;
      expect(spec, `${rel}: "${spec}" is neither k6 nor ./ or ../`).toMatch(/^\.\.?\//);
      expect(spec, `${rel}: "${spec}" needs the .ts extension (k6 resolves literally)`).toMatch(/\.ts$/);
      const target = path.resolve(path.dirname(file), spec);
      expect(existsSync(target), `${rel}: ${spec} does not exist`).toBe(true);
      expect(target.startsWith(loadDir + path.sep) && !target.includes(`${path.sep}harness${path.sep}`), `${rel}: ${spec} leaves load/`).toBe(true);
    }
  });

  test.each(SCRIPTS)('%s.ts exports options and handleSummary', (name) => {
    const names = exportedNames(path.join(loadDir, `${name}.ts`));
    expect(names).toContain('options');
    expect(names).toContain('handleSummary');
  });

  test('a forbidden import is caught (the check can fail)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'k6-imports-'));
    const f = path.join(dir, 'bad.ts');
    writeFileSync(f, "import { x } from 'lodash';\nimport y from './y';\nconst z = require('fs');\n");
    expect(specifiers(f)).toEqual(['lodash', './y', 'fs']);
    rmSync(dir, { recursive: true });
  });
});

describe('config', () => {
  test('defaults target the mock; origin is derived for the control endpoint', () => {
    const c = readConfig({}, { key: 'cc_live_demo_enterprise', plan: 'enterprise', duration: '90s', vus: 10 });
    expect(c).toMatchObject({ baseUrl: 'http://127.0.0.1:4010/v2', origin: 'http://127.0.0.1:4010', local: true, key: 'cc_live_demo_enterprise', reset: 'auto' });
    expect(parseBaseUrl('https://api.chaozcode.com/v2/')).toEqual({ baseUrl: 'https://api.chaozcode.com/v2', origin: 'https://api.chaozcode.com', host: 'api.chaozcode.com' });
    expect(readConfig({ BASE_URL: 'https://api.chaozcode.com/v2' }, { key: 'k', plan: 'pro', duration: '1m', vus: 1 })).toMatchObject({ local: false, readonlyKey: '' });
  });

  test.each([
    [{ BASE_URL: 'ftp://x' }, /BASE_URL/],
    [{ PLAN: 'gold' }, /PLAN must be one of/],
    [{ DURATION: 'ten minutes' }, /DURATION/],
    [{ VUS: '-3' }, /VUS/],
    [{ RESET: 'maybe' }, /RESET/],
    [{ PLAN_LIMITS: '{"perMinute":0}' }, /PLAN_LIMITS/],
  ])('bad input %j is refused with a clear message', (env, message) => {
    expect(() => readConfig(env, { key: 'k', plan: 'pro', duration: '1m', vus: 1 })).toThrow(message);
  });

  test('rates fit the plan: budget = (burst + refill x time) / time, 20% kept back', () => {
    expect(durationSeconds('1m30s')).toBe(90);
    expect(budgetPerSecond(PLAN_LIMITS.enterprise, 90)).toBeCloseTo(((2000 + 1500) / 90) * 0.8, 6);
    expect(budgetPerSecond(PLAN_LIMITS.free, 3600)).toBeCloseTo((100 / 3600) * 0.8, 6);
    const pro = readConfig({ PLAN: 'pro' }, { key: 'k', plan: 'enterprise', duration: '90s', vus: 1 });
    expect(planScale(pro, 21, 90) * 21 * 90).toBeLessThanOrEqual(100 + 90);
    const ent = readConfig({}, { key: 'k', plan: 'enterprise', duration: '90s', vus: 1 });
    expect(planScale(ent, 21, 90)).toBe(1);
  });
});

describe('operations', () => {
  test('the table has the 35 operations of D2, each with a unique id', () => {
    expect(OPERATIONS).toHaveLength(35);
    expect(new Set(OPERATIONS.map((o) => o.id)).size).toBe(35);
  });

  test('paths need their ids; bodies are JSON', () => {
    expect(() => buildRequest('getMemory', { unique: 'u', webhookUrl: 'x' })).toThrow(/memoryId/);
    const r = buildRequest('getMemory', { unique: 'u', webhookUrl: 'x', memoryId: 'a b' });
    expect(r.path).toBe('/memory/a%20b');
    expect(JSON.parse(buildRequest('createWebhook', { unique: 'u', webhookUrl: 'https://h.example/x' }).body ?? '')).toEqual({ url: 'https://h.example/x', events: ['memory.stored', 'agent.completed'] });
  });
});

describe('rate-limit rules', () => {
  const limits = PLAN_LIMITS.free;
  const now = 1_800_000_000;
  const h = (remaining: number, retryAfter: number, extra: Record<string, string> = {}) => ({
    'X-Ratelimit-Limit': '10', 'X-Ratelimit-Remaining': String(remaining), 'X-Ratelimit-Reset': String(now + 60), 'X-Ratelimit-Retryafter': String(retryAfter), ...extra,
  });
  const body429 = (retryAfter: number) => JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'slow down', requestId: 'req_1', details: { window: 'burst', limit: 10, retryAfter } } });
  const failed = (list: { name: string; ok: boolean }[]) => list.filter((c) => !c.ok).map((c) => c.name);

  test('header lookup ignores case (k6 canonicalises names)', () => {
    expect(header({ 'X-Ratelimit-Limit': '10' }, 'X-RateLimit-Limit')).toBe('10');
  });

  test('a correct drive passes: full bucket, 429 after Remaining 0, Retry-After agrees', () => {
    const s = newDriveState(true);
    expect(failed(judgeDriveStep(s, 200, h(19, 0), '{}', limits, now))).toEqual([]);
    expect(failed(judgeDriveStep(s, 200, h(0, 6), '{}', limits, now))).toEqual([]);
    expect(failed(judgeDriveStep(s, 429, h(0, 6, { 'Retry-After': '6' }), body429(6), limits, now))).toEqual([]);
    expect(s.first429At).toBe(3);
  });

  test.each([
    ['429 while Remaining was 3', [[200, h(3, 0)], [429, h(0, 6, { 'Retry-After': '6' })]], 'drive: 429 only after Remaining reached 0'],
    ['Retry-After differs', [[200, h(0, 6)], [429, h(0, 6, { 'Retry-After': '5' })]], '429: Retry-After = X-RateLimit-RetryAfter >= 1'],
    ['bucket not full after reset', [[200, h(12, 0)]], 'drive: a fresh bucket starts full (Remaining = burst - 1)'],
    ['RetryAfter 3 while Remaining 5', [[200, h(19, 0)], [200, h(5, 3)]], 'rate headers: RetryAfter is 0 exactly while Remaining >= 1'],
    ['Limit is not the plan', [[200, { ...h(19, 0), 'X-Ratelimit-Limit': '60' }]], 'drive: Limit is the plan perMinute'],
  ] as const)('one change is caught: %s', (_label, steps, broken) => {
    const s = newDriveState(true);
    const names: string[] = [];
    for (const [status, headers] of steps) names.push(...failed(judgeDriveStep(s, status, headers, body429(6), limits, now)));
    expect(names).toContain(broken);
  });

  test('missing headers are reported, and the drain bound grows with latency', () => {
    expect(failed(rateHeaderChecks({}, now))).toEqual(['rate headers: four X-RateLimit-* integers']);
    expect(requestsToDrain(PLAN_LIMITS.enterprise, 0)).toBe(2001);
    expect(requestsToDrain(PLAN_LIMITS.enterprise, 30)).toBeLessThanOrEqual(2 * 2000 + 20);
    expect(requestsToDrain(PLAN_LIMITS.free, 6000)).toBe(Infinity);
  });
});

describe('SSE parser and stream rules', () => {
  let mock: RunningMock;
  let captured = '';

  beforeAll(async () => {
    mock = await startMock({ port: 0, quiet: true, config: { stream: { deltaDelayMs: 1, keepAliveMs: 15000 } } });
    const res = await request(`${mock.baseUrl}/query/stream`, {
      method: 'POST',
      headers: { authorization: 'Bearer cc_live_demo_enterprise', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'Explain the difference between REST and GraphQL', maxTokens: 200 }),
    });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/event-stream/);
    captured = await res.body.text();
  });
  afterAll(async () => {
    await mock?.close();
  });

  test('a real stream from the mock passes every rule', () => {
    const judged = checkStream(parseSse(captured));
    expect(judged.checks.filter((c) => !c.ok)).toEqual([]);
    expect(judged.terminal).toBe('done');
    expect(judged.deltas).toBeGreaterThan(0);
    expect(judged.completion.length).toBeGreaterThan(0);
  });

  test('CRLF line ends, a BOM, comments and multi-line data parse the same', () => {
    const crlf = `\uFEFF: keep-alive\r\n\r\n${captured.replace(/\n/g, '\r\n')}`;
    expect(parseSse(crlf).events).toEqual(parseSse(captured).events);
    expect(parseSse('data: a\ndata: b\n\n').events).toEqual([{ data: 'a\nb' }]);
    expect(parseSse('data: a\n\ndata: cut off').trailing).toBe('data: cut off');
  });

  const events = () => parseSse(captured).events.map((e) => e.data);
  const rebuild = (list: string[]) => list.map((d) => `data: ${d}\n\n`).join('');
  const failing = (body: string) => checkStream(parseSse(body)).checks.filter((c) => !c.ok).map((c) => c.name);

  test.each([
    ['start removed', (l: string[]) => l.slice(1), 'stream: start first'],
    ['done removed', (l: string[]) => l.slice(0, -1), 'stream: done or error last, exactly once'],
    ['done twice', (l: string[]) => [...l, l[l.length - 1]], 'stream: done or error last, exactly once'],
    ['usage off by one', (l: string[]) => [...l.slice(0, -1), l[l.length - 1].replace(/"totalTokens":(\d+)/, (_m, n: string) => `"totalTokens":${Number(n) + 1}`)], 'stream: usage.totalTokens = promptTokens + completionTokens'],
    ['no deltas', (l: string[]) => [l[0], l[l.length - 1]], 'stream: deltas concatenated are non-empty'],
    ['a non-JSON event', (l: string[]) => [l[0], 'not json', ...l.slice(1)], 'stream: every event is a JSON object'],
  ] as const)('one change is caught: %s', (_label, change, broken) => {
    expect(failing(rebuild(events()))).toEqual([]);
    expect(failing(rebuild(change(events())))).toContain(broken);
  });

  test('text after the terminal event is caught', () => {
    expect(failing(`${rebuild(events())}data: {"type":"delta"`)).toContain('stream: nothing after the terminal event');
  });
});

describe('summary', () => {
  test('writes <dir>/<script>-summary.json with a verdict and prints failing thresholds and checks', () => {
    const data = {
      metrics: {
        http_req_duration: { type: 'trend', contains: 'time', values: { avg: 10, med: 9, 'p(95)': 20, max: 30 }, thresholds: { 'p(95)<500': { ok: true } } },
        checks: { type: 'rate', values: { rate: 0.5, passes: 1, fails: 1 }, thresholds: { 'rate>0.99': { ok: false } } },
      },
      root_group: { checks: [], groups: [{ name: 'g', checks: [{ name: 'status 200', passes: 1, fails: 1 }] }] },
      state: { testRunDurationMs: 1500 },
    };
    const out = summaryOutputs('smoke', 'load/results', data);
    const json = JSON.parse(out['load/results/smoke-summary.json']) as { verdict: { thresholdsOk: boolean; checks: { failing: string[] } } };
    expect(json.verdict.thresholdsOk).toBe(false);
    expect(json.verdict.checks.failing).toEqual(['status 200 (1 of 2 failed)']);
    expect(out.stdout).toMatch(/THRESHOLDS FAILED/);
    expect(out.stdout).toMatch(/FAIL checks rate>0.99/);
  });
});

describe('secrets stay out of logs', () => {
  test('redact cuts keys and secrets in bodies to 8 characters', () => {
    const body = JSON.stringify({ id: 'key_1', key: 'cc_test_abcdefghijklmnop', secret: 'whsec_0123456789abcdef' });
    expect(redact(body)).toBe('{"id":"key_1","key":"cc_test_…","secret":"whsec_01…"}');
    expect(redact('Bearer cc_live_demo_enterprise')).toBe('Bearer cc_live_…');
  });

  test('the printed k6 command line masks keys', () => {
    expect(maskArgs(['-e', 'KEY=cc_live_secret_value', '-e', 'KEY_FREE=abcdefghijkl', '-e', 'VUS=2'])).toEqual(['-e', 'KEY=cc_live_…', '-e', 'KEY_FREE=abcdefgh…', '-e', 'VUS=2']);
  });
});

describe('npm run load', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fake-k6-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('arguments: script names, with or without load/ and .ts', () => {
    expect(parseArgs(['load/smoke.ts', '-e', 'A=1'])).toEqual({ kind: 'run', script: 'smoke', k6Args: ['-e', 'A=1'] });
    expect(parseArgs(['nope'])).toMatchObject({ kind: 'error' });
    expect(parseArgs([])).toEqual({ kind: 'help' });
  });

  test('without k6 on the PATH it explains how to install k6 and exits 1', async () => {
    const errors: string[] = [];
    const orig = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      expect(await loadMain(['smoke'], { PATH: dir })).toBe(1);
    } finally {
      console.error = orig;
    }
    expect(errors.join('\n')).toMatch(/k6 is not on the PATH[\s\S]*install/);
  });

  test('with k6 on the PATH it runs `k6 run <args> load/<script>.ts` and returns its exit code', async () => {
    const fake = path.join(dir, 'k6');
    const argsFile = path.join(dir, 'args.txt');
    writeFileSync(fake, `#!/bin/sh\necho "$@" > "${argsFile}"\nexit 99\n`);
    chmodSync(fake, 0o755);
    expect(findOnPath('k6', `/nonexistent${path.delimiter}${dir}`)).toBe(fake);
    const orig = console.error;
    console.error = () => undefined;
    try {
      expect(await loadMain(['stream', '-e', 'VUS=2'], { PATH: dir })).toBe(99);
    } finally {
      console.error = orig;
    }
    expect(readFileSync(argsFile, 'utf8').trim()).toBe(`run -e VUS=2 ${path.join('load', 'stream.ts')}`);
  });
});
