// The CLI's exit codes, by spawning the package's bin as a user would: 0 against the mock,
// 1 against a target that breaks the contract (with JUnit and JSON reports written, the JSON
// valid against its generated schema), 2 for bad usage, a bad config file and a target that
// is down. Keys never appear in full in the output.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AjvModule from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../mock/server.ts';
import { PACKAGE_ROOT } from './cli-options.ts';

const Ajv: typeof AjvModule.default = (AjvModule as any).default ?? AjvModule;
const BIN = resolve(PACKAGE_ROOT, 'conformance/bin/chaozcode-conformance.js');
const dir = mkdtempSync(join(tmpdir(), 'conformance-cli-'));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CHAOZCODE_')));
    execFile(process.execPath, [BIN, ...args], { cwd: dir, env: { ...clean, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: `${stdout}\n${stderr}` });
    });
  });
}

describe('chaozcode-conformance exit codes', () => {
  let mock: RunningMock;
  let broken: Server;
  let brokenUrl: string;

  beforeAll(async () => {
    mock = await startMock({ port: 0, quiet: true });
    // Answers /health properly and everything else with HTML: the contract is broken everywhere.
    broken = createServer((req, res) => {
      req.resume();
      const health = req.url === '/v2/health';
      res.writeHead(200, { 'content-type': health ? 'application/json' : 'text/html', 'x-request-id': `req_${Math.random().toString(36).slice(2)}` });
      res.end(health ? JSON.stringify({ status: 'ok', version: '2.0.0', time: '2026-01-01T00:00:00Z' }) : '<html>hello</html>');
    });
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/v2`;
  }, 60_000);

  afterAll(async () => {
    await mock?.close();
    broken?.closeAllConnections();
    await new Promise((r) => broken?.close(r));
  });

  it('--help works', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/--base-url/);
  });

  it('with no key for a loopback mock: uses the demo keys, passes and writes both reports by default', async () => {
    const { code, out } = await run(['--base-url', mock.baseUrl, '--only', 'auth-required,key-permissions,request-id']);
    expect(code, out).toBe(0);
    expect(out).toMatch(/using them/);
    expect(out).not.toMatch(/skipped[^;]*[1-9]/);
    expect(existsSync(join(dir, 'conformance-report', 'junit.xml')), out).toBe(true);
    expect(readFileSync(join(dir, 'conformance-report', 'junit.xml'), 'utf8')).toMatch(/<testsuites/);
    expect(existsSync(join(dir, 'conformance-report', 'report.json'))).toBe(true);
  });

  it('--no-demo-keys: checks that need keys are skipped with the reason, never passed', async () => {
    const { code, out } = await run(['--base-url', mock.baseUrl, '--no-demo-keys', '--no-reports', '--only', 'key-permissions']);
    expect(out).not.toMatch(/using them/);
    expect(out).toMatch(/skip/i);
    expect(code, out).toBe(0);
  });

  it('0 when every required check passes (mock, demo keys), printing its time', async () => {
    const { code, out } = await run(['--base-url', mock.baseUrl, '--demo-keys', '--only', 'status-code-declared,request-id,not-found,method-not-allowed,error-envelope']);
    expect(code, out).toBe(0);
    expect(out).toMatch(/PASS: 5 checks: 5 passed/);
    expect(out).toMatch(/elapsed \d+\.\d+ s/);
    expect(out).not.toContain('cc_live_demo_enterprise');
    expect(out).toContain('cc_live_…');
  });

  it('1 on failures, with JUnit XML and a JSON report valid against its schema', async () => {
    const junit = join(dir, 'out/junit.xml');
    const json = join(dir, 'out/report.json');
    const { code, out } = await run(['--base-url', brokenUrl, '--only', 'positive-input,content-type', '--operation', 'listModels', '--junit', junit, '--json', json], { CHAOZCODE_KEY_FULL: 'cc_test_secretsecret123' });
    expect(code, out).toBe(1);
    expect(out).toMatch(/content-type/);
    expect(out).not.toContain('cc_test_secretsecret123');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="content-type"/);
    expect(xml).toMatch(/<failure message="Content-Type &quot;text\/html&quot;/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const schema = JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'generated/conformance-report.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.exitCode).toBe(1);
    expect(JSON.stringify(report)).not.toContain('cc_test_secretsecret123');
  });

  it('2 when the target is down', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const { code, out } = await run(['--base-url', `http://127.0.0.1:${port}/v2`, '--demo-keys']);
    expect(code).toBe(2);
    expect(out).toMatch(/cannot reach the target .*connection refused/);
  });

  const usage: { name: string; args: string[]; message: RegExp }[] = [
    { name: 'unknown option', args: ['--bogus'], message: /unknown option '--bogus'/ },
    { name: 'no base URL', args: ['--demo-keys'], message: /no target: give --base-url/ },
    { name: 'bad key role', args: ['--base-url', 'http://127.0.0.1:1/v2', '--key', 'admin=cc_test_x'], message: /--key takes role=value/ },
    { name: 'unknown check id', args: ['--base-url', 'http://127.0.0.1:1/v2', '--only', 'nope'], message: /unknown check id "nope"/ },
    { name: 'unknown operation', args: ['--base-url', 'http://127.0.0.1:1/v2', '--operation', 'nope'], message: /unknown operationId nope/ },
    { name: 'base URL with a query string', args: ['--base-url', 'http://127.0.0.1:1/v2?tenant=a'], message: /--base-url must not carry a query string or fragment/ },
    { name: 'base URL with credentials (never echoed)', args: ['--base-url', 'http://bob:hunter2secret@127.0.0.1:1/v2'], message: /--base-url must not carry credentials \(user:password@\); got "http:\/\/…@127\.0\.0\.1:1\/v2"/ },
    { name: 'base URL that does not parse', args: ['--base-url', 'http://exa mple/v2'], message: /--base-url must be an http\(s\) URL/ },
    { name: 'key without a role (only its redacted start is echoed)', args: ['--base-url', 'http://127.0.0.1:1/v2', '--key', 'cc_live_secretsecret'], message: /--key takes role=value .*; got "cc_live_…"$/m },
    { name: 'bad timeout', args: ['--base-url', 'http://127.0.0.1:1/v2', '--timeout', 'soon'], message: /--timeout must be an integer/ },
  ];
  it.concurrent.each(usage)('2 on bad usage: $name', async ({ args, message }) => {
    const { code, out } = await run(args);
    expect(code).toBe(2);
    expect(out).toMatch(message);
  });

  it('2 on a bad config file, naming the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ baseUrl: 'http://127.0.0.1:1/v2', concurrency: 0 }));
    const { code, out } = await run(['--config', file]);
    expect(code).toBe(2);
    expect(out).toMatch(/config file .*bad\.json: field "\/concurrency" must be >= 1/);
  });

  it('Ctrl-C during a run: stops promptly, writes partial reports, exits 130', async () => {
    const hang = createServer((req, res) => {
      req.resume();
      if (req.url !== '/v2/health') return; // every other request hangs
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/v2`;
    const json = join(dir, 'sigint/report.json');
    const child = spawn(process.execPath, [BIN, '--base-url', base, '--key', 'full=cc_test_secretsecret123', '--timeout', '20000', '--json', json, '--junit', join(dir, 'sigint/junit.xml')], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (/^target /m.test(out) && !child.killed) setTimeout(() => child.kill('SIGINT'), 500); });
    child.stderr.on('data', (d) => { out += d; });
    const t0 = Date.now();
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    hang.closeAllConnections();
    await new Promise((r) => hang.close(r));
    expect(code, out).toBe(130);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(JSON.stringify(report.findings)).toMatch(/the run was interrupted \(SIGINT\); results are partial/);
  }, 30_000);
});
