// Robustness: tiny misbehaving node:http servers on 127.0.0.1:0 (down, headers that never come,
// a connection closed mid-response, HTML, broken JSON, gzip despite identity, an enormous body, an
// endless stream, a 500 or a redirect loop for everything, a /health body that never completes)
// must give findings or exit code 2 with a clear message, within bounded time: the runner
// never hangs and never crashes.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from './cli-options.ts';
import { resolveConfig } from './config.ts';
import { runConformance } from './runner.ts';

type Mode = 'slow' | 'close' | 'html' | 'garbage' | 'huge' | 'endless' | 'slow-health' | 'refuse' | 'short-health' | 'gzip' | 'redirect';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

let ids = 0;
function head(res: ServerResponse, status: number, type: string): void {
  res.writeHead(status, { 'content-type': type, 'x-request-id': `req_r${++ids}` });
}

async function misbehaving(mode: Mode): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    if (req.url === '/v2/health' && mode === 'short-health') { // Content-Length says more than is sent
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      return res.write('{"status":');
    }
    if (req.url === '/v2/health' && mode !== 'slow-health') {
      head(res, 200, 'application/json');
      return res.end(JSON.stringify({ status: 'ok', version: '2.0.0', time: new Date().toISOString().replace(/\.\d+Z/, 'Z') }));
    }
    switch (mode) {
      case 'redirect': // a loop: 301 to itself (the runner follows no redirect)
        res.writeHead(301, { location: req.url, 'x-request-id': `req_r${++ids}` });
        return res.end();
      case 'refuse': { // every request a 500 in a valid envelope, streams included
        const id = `req_r${++ids}`;
        res.writeHead(500, { 'content-type': 'application/json', 'x-request-id': id });
        return res.end(JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'boom', requestId: id } }));
      }
      case 'slow': case 'slow-health': return; // headers never come
      case 'close':
        head(res, 200, 'application/json');
        res.write('{"models":[{"id":"gpt-4",');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      case 'html': head(res, 200, 'text/html'); return res.end('<html><body>It works!</body></html>');
      case 'gzip': // compressed although the request asked for identity
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-request-id': `req_r${++ids}` });
        return res.end(gzipSync('{"models":[]}'));
      case 'garbage': head(res, 200, 'application/json'); return res.end('{"models": [oops');
      case 'huge': {
        head(res, 200, 'application/json');
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 64 && res.write(chunk)) sent++;
          if (sent < 64) res.once('drain', pump);
          else res.end();
        };
        res.write('{"models":[');
        return pump();
      }
      case 'endless': {
        head(res, 200, 'text/event-stream');
        const t = setInterval(() => res.write(': keep-alive\n\n'), 30);
        res.on('close', () => clearInterval(t));
        return;
      }
    }
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
}

function config(baseUrl: string) {
  return resolveConfig({
    baseUrl, spec: DEFAULT_SPEC, keys: { full: 'cc_test_robustness123' },
    only: ['positive-input', 'transport', 'content-type', 'response-schema'], operations: ['listModels'],
    timeoutMs: 300, streamMaxMs: 500, maxBodyBytes: 1024 * 1024, maxRunMs: 10_000,
  });
}

const table: { mode: Mode; check: string; message: RegExp }[] = [
  { mode: 'slow', check: 'transport', message: /no response headers within 300 ms/ },
  { mode: 'close', check: 'transport', message: /closed before the response was complete/ },
  { mode: 'huge', check: 'transport', message: /larger than 1048576 bytes; connection aborted/ },
  { mode: 'endless', check: 'transport', message: /did not finish within 800 ms/ },
  { mode: 'html', check: 'content-type', message: /"text\/html" is not declared/ },
  { mode: 'garbage', check: 'response-schema', message: /not JSON/ },
  { mode: 'gzip', check: 'response-schema', message: /not JSON \(the body is encoded with Content-Encoding "gzip", though the request asked for identity\)/ },
];

describe('robustness against misbehaving targets', () => {
  it.each(table)('$mode: a $check finding, in bounded time', async ({ mode, check, message }) => {
    const base = await misbehaving(mode);
    const t0 = Date.now();
    const { report, findings } = await runConformance({ config: config(base) });
    const elapsed = Date.now() - t0;
    expect(report.exitCode).toBe(1);
    expect(findings.filter((f) => f.checkId === check).map((f) => f.message).join('\n')).toMatch(message);
    expect(findings.every((f) => f.curl?.startsWith('curl '))).toBe(true);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('a target that is down: exit code 2 with a clear message', async () => {
    const base = await misbehaving('html');
    const port = new URL(base).port;
    const s = servers.pop()!;
    await new Promise((r) => s.close(r));
    const { report } = await runConformance({ config: config(`http://127.0.0.1:${port}/v2`) });
    expect(report.exitCode).toBe(2);
    expect(report.fatal).toMatch(/cannot reach the target .* connection refused/);
  });

  it('a target whose /health never answers: exit code 2 after the probe timeout', async () => {
    const base = await misbehaving('slow-health');
    const t0 = Date.now();
    const { report } = await runConformance({ config: config(base) });
    expect(report.exitCode).toBe(2);
    expect(report.fatal).toMatch(/GET \/health/);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('the whole run is bounded by maxRunMs', async () => {
    const base = await misbehaving('slow');
    const c = { ...config(base), timeoutMs: 5_000, maxRunMs: 1_000, operations: [] };
    const t0 = Date.now();
    const { report, findings } = await runConformance({ config: c });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(report.exitCode).toBe(1);
    expect(findings.some((f) => /maxRunMs/.test(f.message))).toBe(true);
  });

  it('a target that answers only /health: the run stops after a run of silent requests, with one clear finding and no passes', async () => {
    const base = await misbehaving('slow');
    const c = { ...config(base), only: [], operations: [], timeoutMs: 200, maxRunMs: 120_000 };
    const t0 = Date.now();
    const { report, findings } = await runConformance({ config: c });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(report.exitCode).toBe(1);
    expect(findings.some((f) => f.operation === 'run' && /stopped answering: \d+ requests in a row/.test(f.message))).toBe(true);
    // Nothing was answered but /health, so no check may claim a pass on anything else.
    const passedOps = report.checks.flatMap((ch) => ch.cases.filter((k) => k.status === 'passed').map((k) => k.operation));
    expect(passedOps.filter((o) => !/getHealth|health/i.test(o))).toEqual([]);
  });

  it('a stream request refused with a valid envelope: no crash, and the envelope is judged (not an empty body)', async () => {
    const base = await misbehaving('refuse');
    const c = { ...config(base), only: ['sse-stream', 'error-envelope'], operations: ['streamQuery', 'createQuery'] };
    const { report, findings } = await runConformance({ config: c });
    expect(report.exitCode).toBe(1);
    expect(findings.some((f) => f.checkId === 'sse-stream' && /answered 500, not a 200 stream/.test(f.message))).toBe(true);
    expect(findings.filter((f) => f.checkId === 'error-envelope')).toEqual([]);
  });

  it('a /health whose body never completes: exit code 2, saying it answered (not "cannot reach")', async () => {
    const base = await misbehaving('short-health');
    const { report } = await runConformance({ config: config(base) });
    expect(report.exitCode).toBe(2);
    expect(report.fatal).toMatch(/answered GET \/health \(200\) but its body never completed/);
    expect(report.fatal).not.toMatch(/cannot reach|is it running/);
  });

  it('a target refusing everything: passive checks that judge no such answer claim no pass', async () => {
    const base = await misbehaving('refuse');
    const c = { ...config(base), only: ['positive-input', 'content-type', 'error-envelope'] };
    const { report } = await runConformance({ config: c });
    const status = (id: string) => report.checks.find((ch) => ch.id === id)?.status;
    expect(status('positive-input')).toBe('failed');
    expect(status('error-envelope')).toBe('passed'); // it judged every 500 and found it fine
    // content-type judges 2xx only: the one it saw is /health's; no refused operation counts as passed.
    const passed = report.checks.find((ch) => ch.id === 'content-type')!.cases.filter((k) => k.status === 'passed').map((k) => k.operation);
    expect(passed).toEqual(['getHealth']);
  });

  it('a stream request answered by a redirect loop: a finding, no crash (the unread head is dropped safely)', async () => {
    const base = await misbehaving('redirect');
    const c = { ...config(base), only: ['sse-stream'], operations: ['streamQuery'] };
    const t0 = Date.now();
    const { findings } = await runConformance({ config: c });
    expect(findings.some((f) => /answered 301, not a 200 stream/.test(f.message))).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('a read answered 500: key-permissions does not count it as "allowed" (it judged nothing)', async () => {
    const base = await misbehaving('refuse');
    const c = { ...config(base), keys: { full: 'cc_test_robustness123', readonly: 'cc_test_robustness456' }, only: ['key-permissions'] };
    const { report } = await runConformance({ config: c });
    const cases = report.checks.find((ch) => ch.id === 'key-permissions')!.cases;
    expect(cases.find((k) => k.operation.startsWith('listModels'))).toMatchObject({ status: 'skipped', skipReason: expect.stringMatching(/answered 500/) });
    expect(cases.filter((k) => k.status === 'passed')).toEqual([]);
  });
});
