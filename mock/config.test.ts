// Config loading: the defaults are valid, files and objects merge over them, and a bad config
// stops with a message naming the field and the rule (schema rules from the generated JSON Schema,
// cross references checked in code). Also the CLI: a bad file exits 1 with that message.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfig, mergeConfig } from './config.ts';
import { startMock } from './server.ts';

const dir = mkdtempSync(join(tmpdir(), 'mock-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('defaults carry the demo keys and plans of D7/D11', () => {
    const c = loadConfig();
    expect(c.keys.map((k) => k.key)).toEqual(['cc_test_demo_free', 'cc_test_demo_pro', 'cc_test_demo_team', 'cc_live_demo_enterprise', 'cc_test_demo_readonly', 'cc_test_demo_restricted']);
    expect(c.plans.pro).toEqual({ perMinute: 60, perDay: 10_000, burst: 100 });
    expect(c.plans.enterprise.perDay).toBeNull();
  });

  it('merges objects deeply and replaces arrays', () => {
    const c = loadConfig({ plans: { pro: { burst: 5 } }, keys: [{ key: 'cc_test_only_this_one', account: 'pro', type: 'development' }] });
    expect(c.plans.pro).toEqual({ perMinute: 60, perDay: 10_000, burst: 5 });
    expect(c.plans.free.burst).toBe(20);
    expect(c.keys).toHaveLength(1);
    expect(mergeConfig({ a: { b: 1, c: 2 } }, { a: { c: 3 } })).toEqual({ a: { b: 1, c: 3 } });
  });

  it('loads a file', () => {
    expect(loadConfig(file('ok.json', JSON.stringify({ latencyMs: 25, agentDurationMs: 100 }))).latencyMs).toBe(25);
  });

  it.each([
    [{ plans: { pro: { burst: 0 } } }, 'config: /plans/pro/burst must be >= 1 (minimum)'],
    [{ plans: { pro: { perMinute: 1.5 } } }, 'config: /plans/pro/perMinute must be integer (type)'],
    [{ plans: { gold: { perMinute: 1, perDay: 1, burst: 1 } } }, 'config: /plans/gold is not a known field (additionalProperties)'],
    [{ latencyMs: -1 }, 'config: /latencyMs must be >= 0 (minimum)'],
    [{ stream: { deltaDelayMs: 'fast' } }, 'config: /stream/deltaDelayMs must be integer (type)'],
    [{ keys: [{ key: 'nope', account: 'pro', type: 'development' }] }, 'config: /keys/0/key must match pattern "^cc_(live|test)_[A-Za-z0-9_]{8,}$" (pattern)'],
    [{ keys: [{ key: 'cc_test_abcdefgh', account: 'pro', type: 'admin' }] }, 'config: /keys/0/type must be equal to one of the allowed values (enum)'],
    [{ keys: [{ key: 'cc_test_abcdefgh', account: 'nobody', type: 'development' }] }, 'config: /keys/0/account must name an account of /accounts ("nobody" is not one)'],
    [{ keys: [{ key: 'cc_test_abcdefgh', account: 'pro', type: 'production' }] }, 'config: /keys/0/key must start with cc_live_ for a production key'],
    [{ keys: [{ key: 'cc_test_abcdefgh', account: 'pro', type: 'restricted' }] }, 'config: /keys/0/scopes must list at least one scope for a restricted key'],
    [{ accounts: { pro: { plan: 'gold' } } }, 'config: /accounts/pro/plan must be equal to one of the allowed values (enum)'],
    [{ colour: 'blue' }, 'config: /colour is not a known field (additionalProperties)'],
  ])('%j -> %s', (input, message) => {
    expect(() => loadConfig(input as never)).toThrow(new ConfigError(message));
  });

  it('refuses a file that is not JSON, or not an object, or missing', () => {
    expect(() => loadConfig(file('bad.json', '{ plans: '))).toThrow(/is not JSON/);
    expect(() => loadConfig(file('array.json', '[]'))).toThrow('config: / must be a JSON object (type)');
    expect(() => loadConfig(join(dir, 'missing.json'))).toThrow(/cannot read/);
  });

  it('startMock refuses a bad config before listening', async () => {
    await expect(startMock({ port: 0, quiet: true, config: file('burst.json', '{"plans":{"pro":{"burst":0}}}') })).rejects.toThrow('config: /plans/pro/burst must be >= 1');
  });

  it('the defaults validate as a whole config (the file form of them is accepted)', () => {
    const c = defaultConfig();
    expect(loadConfig(file('full.json', JSON.stringify(c)))).toEqual(c);
  });
});

describe('npm start (mock/cli.ts)', () => {
  it('exits 1 with the field and the rule for a bad config file', () => {
    const bad = file('cli-bad.json', '{"plans":{"free":{"perDay":0}}}');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'mock/cli.ts', '--port', '0', '--config', bad], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('config: /plans/free/perDay must be >= 1 (minimum)');
  });

  it('starts, prints the URLs and the demo keys, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'mock/cli.ts'], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!/Try: curl/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const base = /API\s+(http:\/\/127\.0\.0\.1:\d+\/v2)/.exec(out)?.[1];
      expect(base, out).toBeDefined();
      expect(out).toContain('/docs/');
      expect(out).toContain('/openapi.json');
      for (const key of ['cc_test_demo_free', 'cc_test_demo_pro', 'cc_test_demo_team', 'cc_live_demo_enterprise', 'cc_test_demo_readonly', 'cc_test_demo_restricted']) expect(out).toContain(key);
      const res = await fetch(`${base}/models`, { headers: { authorization: 'Bearer cc_test_demo_pro' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('60');
      const anonymous = await fetch(`${base}/models`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
