// `npm run bench`: requests a second and latency of the mock (every stage on) against raw
// `prism mock` (logging off: `-v silent`) on the same bundled spec, and against a plain node:http
// server answering the same bytes, on GET /v2/models and POST /v2/query; 50 connections, ~5 s per
// target (`--quick`: ~2 s). Each server runs in its own process; autocannon runs in this one.
// Then the stream bench of scripts/bench-streams.ts, when present. Prints the machine, the figures,
// the ratios and the targets (mock >= 5x Prism, mock p99 < 10 ms).
// Limits: loopback on the machine it runs on; other load on the machine skews every figure.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, startPlainServer } from './bench-plain.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const DURATION_S = quick ? 2 : 5;
const WARMUP_S = quick ? 0.5 : 1;
const CONNECTIONS = 50;
const KEY = 'cc_live_demo_enterprise';
const QUERY_BODY = JSON.stringify({ prompt: 'Explain the difference between REST and GraphQL', model: 'gpt-4', maxTokens: 1000 });

interface Route {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}
const ROUTES: Route[] = [
  { name: 'GET /v2/models', method: 'GET', path: '/v2/models' },
  { name: 'POST /v2/query', method: 'POST', path: '/v2/query', body: QUERY_BODY },
];

// Children must not outlive the bench, however it ends (Ctrl-C, a closed pipe, an error).
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => process.exit(130));
process.stdout.on('error', () => process.exit(1));

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

async function waitUntilUp(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server process exited (${child.exitCode})`);
    try {
      await fetch(url, { headers: { authorization: `Bearer ${KEY}` } });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function measure(base: string, route: Route, seconds: number): Promise<AutocannonResult> {
  return autocannon({
    url: base + route.path,
    method: route.method,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: route.body,
  });
}

interface Row {
  target: string;
  route: string;
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

async function benchTarget(target: string, base: string, routes: Route[], prefix = '/v2'): Promise<Row[]> {
  const rows: Row[] = [];
  for (const route of routes) {
    const r = { ...route, path: prefix + route.path.slice(3) };
    await measure(base, r, WARMUP_S);
    const res = await measure(base, r, DURATION_S);
    rows.push({ target, route: route.name, rps: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, bad: res.non2xx + res.errors + res.timeouts });
    process.stdout.write(`  ${target.padEnd(6)} ${route.name.padEnd(16)} ${res.requests.average.toFixed(0).padStart(7)} req/s  p50 ${res.latency.p50} ms  p99 ${res.latency.p99} ms  non-2xx/errors ${res.non2xx + res.errors + res.timeouts}\n`);
  }
  return rows;
}

/** The mock as a child process, with a bench plan that never limits the run (the limiter still runs). */
async function startMockProcess(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const config = join(dir, 'bench-config.json');
  writeFileSync(config, JSON.stringify({ plans: { enterprise: { perMinute: 1_000_000_000, perDay: null, burst: 1_000_000_000 } } }));
  const port = await freePort();
  const child = track(spawn(process.execPath, ['--import', 'tsx', join(root, 'mock/cli.ts'), '--port', String(port), '--quiet', '--config', config], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${url}/v2/health`, child);
  return { child, url };
}

async function startPrismProcess(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const cli = join(root, 'node_modules/@stoplight/prism-cli/dist/index.js');
  // -v silent: no per-request log lines (Prism's default logging roughly halves its throughput).
  const child = track(spawn(process.execPath, [cli, 'mock', '-p', String(port), '-h', '127.0.0.1', '-v', 'silent', '--errors=false', join(root, 'generated/openapi.json')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${url}/health`, child);
  return { child, url };
}

/** Prism routes the spec's paths without the server's /v2 base; find which form it answers 200. */
async function prismPrefix(url: string): Promise<string> {
  const r = await fetch(`${url}/v2/models`, { headers: { authorization: `Bearer ${KEY}` } }).catch(() => undefined);
  return r?.status === 200 ? '/v2' : '';
}

async function captured(url: string, route: Route): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const r = await fetch(url + route.path, { method: route.method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: route.body });
  const body = await r.text();
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => {
    if (k !== 'date' && k !== 'connection' && k !== 'keep-alive' && k !== 'content-length' && k !== 'transfer-encoding') headers[k] = v;
  });
  return { status: r.status, headers, body };
}

function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a';
}

async function streamBench(): Promise<void> {
  const file = join(root, 'scripts/bench-streams.ts');
  if (!existsSync(file)) return;
  const mod = (await import(pathToFileURL(file).href)) as {
    runStreamBench?: (o?: object) => Promise<unknown>;
    formatStreamBench?: (r: unknown) => string[];
  };
  if (!mod.runStreamBench) return;
  process.stdout.write('\nStreams (scripts/bench-streams.ts):\n');
  const result = await mod.runStreamBench(quick ? { streams: 100 } : {});
  for (const line of mod.formatStreamBench?.(result) ?? [JSON.stringify(result)]) process.stdout.write(`  ${line}\n`);
}

async function main(): Promise<void> {
  const cpu = cpus();
  process.stdout.write(`Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  process.stdout.write(`${CONNECTIONS} connections, ${DURATION_S} s per target and route (after ${WARMUP_S} s warm-up)${quick ? ' [--quick]' : ''}\n\n`);
  const dir = mkdtempSync(join(tmpdir(), 'chaozcode-bench-'));
  const rows: Row[] = [];
  try {
    const mock = await startMockProcess(dir);
    const answers = await Promise.all(ROUTES.map((r) => captured(mock.url, r)));
    rows.push(...(await benchTarget('mock', mock.url, ROUTES)));
    await stop(mock.child);

    const plain = await startPlainServer(ROUTES.map((r, i) => ({ method: r.method, path: r.path, ...answers[i] })), track);
    rows.push(...(await benchTarget('plain', plain.url, ROUTES)));
    await stop(plain.child);

    const prism = await startPrismProcess();
    const prefix = await prismPrefix(prism.url);
    rows.push(...(await benchTarget('prism', prism.url, ROUTES, prefix)));
    await stop(prism.child);
  } finally {
    await Promise.all([...live].map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write('\n| route | mock req/s | p50 / p99 ms | prism req/s | p50 / p99 ms | plain req/s | p50 / p99 ms | mock/prism | mock/plain |\n|---|---|---|---|---|---|---|---|---|\n');
  let pass = true;
  for (const route of ROUTES) {
    const get = (t: string) => rows.find((r) => r.target === t && r.route === route.name)!;
    const [m, p, n] = [get('mock'), get('prism'), get('plain')];
    process.stdout.write(`| ${route.name} | ${m.rps.toFixed(0)} | ${m.p50} / ${m.p99} | ${p.rps.toFixed(0)} | ${p.p50} / ${p.p99} | ${n.rps.toFixed(0)} | ${n.p50} / ${n.p99} | ${ratio(m.rps, p.rps)} | ${ratio(m.rps, n.rps)} |\n`);
    if (m.rps < 5 * p.rps || m.p99 >= 10 || m.bad > 0) pass = false;
  }
  process.stdout.write(`\nTarget (issue 3): mock >= 5x prism req/s on both routes, mock p99 < 10 ms, no mock errors: ${pass ? 'MET' : 'NOT MET'}\n`);
  await streamBench();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
