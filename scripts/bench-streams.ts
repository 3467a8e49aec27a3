// Stream benchmark (issue 4): N concurrent `POST /v2/query/stream` requests (default 500) from one
// client process over one undici Agent, each read incrementally with eventsource-parser and checked
// (order, JSON, StreamEvent schema, usage arithmetic). Prints time to first event (p50/p99), total
// time, and the mock's memory before, at peak and after.
// Memory: the mock exposes no memory endpoint, so the mock runs where it can be measured. Standalone
// (`npx tsx scripts/bench-streams.ts`, or runStreamBench()) this file forks itself as a child that
// calls startMock (ephemeral port; 5 ms delta delay, or BENCH_DELTA_DELAY_MS) and reports that
// process's memoryUsage() over IPC: the figures are the mock's alone, and the mock gets its own
// core instead of sharing the client's event loop. benchStreams(baseUrl) alone measures its own
// process (right when the caller started the mock in-process; otherwise the client's figures).
// BENCH_STREAMS sets N. Limits: loopback only; each stream is bounded by `timeoutMs`; the demo
// enterprise key is used because its burst (2,000) admits 500 simultaneous requests; other load on
// the machine skews the figures; 20 warm-up streams run first and are not counted.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Agent } from 'undici';
import { checkStreamSequence } from '../mock/streams/check-sequence.ts';
import { contractSchema } from '../mock/streams/contract-schemas.ts';
import { readEventStream } from '../mock/streams/read-event-stream.ts';
import { activeStreamCount } from '../mock/streams/sse.ts';

export interface MemorySample { rssMB: number; heapUsedMB: number }

/** Where the mock's figures come from: its memory and its count of open streams. */
export interface MockProbe {
  label: string;
  sample(settle: boolean): Promise<{ memory: MemorySample; activeStreams: number }>;
}

export interface StreamBenchOptions {
  streams?: number;
  key?: string;
  timeoutMs?: number;
  /** Default: this process (right when the mock runs in it). */
  probe?: MockProbe;
  /** Streams run (and checked) before measuring, so that JIT warm-up is not counted (default 20). */
  warmup?: number;
}

export interface StreamBenchResult {
  streams: number;
  valid: number;
  failures: string[];
  timeToFirstEventMs: { p50: number; p99: number; max: number };
  totalMs: number;
  eventsReceived: number;
  memoryOf: string;
  memory: { before: MemorySample; peak: MemorySample; after: MemorySample };
  /** Streams still open in the mock after the run (0 unless something leaked). */
  activeStreamsAfter: number;
  warmup: number;
}

export async function benchStreams(baseUrl: string, opts: StreamBenchOptions = {}): Promise<StreamBenchResult> {
  const streams = opts.streams ?? 500;
  const probe = opts.probe ?? inProcessProbe;
  const checkEvent = contractSchema('StreamEvent');
  const agent = new Agent({ connections: streams, pipelining: 1, keepAliveTimeout: 1_000 });
  const warmup = await Promise.all(Array.from({ length: opts.warmup ?? 20 }, (_, i) => oneStream(baseUrl, -1 - i, opts, agent, checkEvent)));
  const warmupFailure = warmup.find((o) => o.problem);
  if (warmupFailure) throw new Error(`warm-up failed: ${warmupFailure.problem}`);
  const before = (await probe.sample(true)).memory;
  const peak = { ...before };
  const sampler = setInterval(() => void probe.sample(false).then((s) => raisePeak(peak, s.memory), () => undefined), 50);
  try {
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: streams }, (_, i) => oneStream(baseUrl, i, opts, agent, checkEvent)));
    const totalMs = performance.now() - started;
    clearInterval(sampler);
    await agent.close();
    const after = await probe.sample(true);
    raisePeak(peak, after.memory);
    const firsts = outcomes.filter((o) => o.firstEventMs !== null).map((o) => o.firstEventMs as number).sort((a, b) => a - b);
    const failures = outcomes.filter((o) => o.problem).map((o) => o.problem as string);
    return {
      streams,
      valid: outcomes.length - failures.length,
      failures,
      timeToFirstEventMs: { p50: percentile(firsts, 50), p99: percentile(firsts, 99), max: firsts[firsts.length - 1] ?? NaN },
      totalMs,
      eventsReceived: outcomes.reduce((n, o) => n + o.events, 0),
      memoryOf: probe.label,
      memory: { before, peak, after: after.memory },
      activeStreamsAfter: after.activeStreams,
      warmup: warmup.length,
    };
  } finally {
    clearInterval(sampler);
    await agent.destroy().catch(() => undefined);
  }
}

interface Outcome { firstEventMs: number | null; events: number; problem?: string }

async function oneStream(baseUrl: string, i: number, opts: StreamBenchOptions, agent: Agent, checkEvent: (v: unknown) => string[]): Promise<Outcome> {
  try {
    const read = await readEventStream(`${baseUrl}/query/stream`, {
      method: 'POST',
      dispatcher: agent,
      timeoutMs: opts.timeoutMs ?? 60_000,
      headers: { authorization: `Bearer ${opts.key ?? 'cc_live_demo_enterprise'}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: `Explain the difference between REST and GraphQL (${i})`, model: 'gpt-4' }),
    });
    const firstEventMs = read.events[0]?.atMs ?? null;
    if (read.status !== 200) return { firstEventMs, events: 0, problem: `stream ${i}: status ${read.status} ${read.body?.slice(0, 120) ?? ''}` };
    const seq = checkStreamSequence(read.events.map((e) => e.data));
    const problems = [...read.parseErrors, ...seq.problems, ...seq.events.flatMap((e) => checkEvent(e))];
    if (seq.terminal !== 'done') problems.push(`ended with ${seq.terminal ?? 'nothing'}, not done`);
    return { firstEventMs, events: read.events.length, ...(problems.length ? { problem: `stream ${i}: ${problems.slice(0, 3).join('; ')}` } : {}) };
  } catch (err) {
    return { firstEventMs: null, events: 0, problem: `stream ${i}: ${(err as Error).message}` };
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function memoryNow(): MemorySample {
  const m = process.memoryUsage();
  return { rssMB: m.rss / 2 ** 20, heapUsedMB: m.heapUsed / 2 ** 20 };
}

function raisePeak(peak: MemorySample, now: MemorySample): void {
  peak.rssMB = Math.max(peak.rssMB, now.rssMB);
  peak.heapUsedMB = Math.max(peak.heapUsedMB, now.heapUsedMB);
}

/** This process's figures; `settle` waits briefly and collects garbage when node runs with --expose-gc. */
async function sampleHere(settle: boolean): Promise<{ memory: MemorySample; activeStreams: number }> {
  if (settle) {
    await new Promise((r) => setTimeout(r, 200));
    (globalThis as { gc?: () => void }).gc?.();
  }
  return { memory: memoryNow(), activeStreams: activeStreamCount() };
}

const inProcessProbe: MockProbe = { label: 'this process (client and mock)', sample: sampleHere };

export function formatStreamBench(r: StreamBenchResult): string[] {
  const mb = (m: MemorySample) => `rss ${m.rssMB.toFixed(1)} MB, heap ${m.heapUsedMB.toFixed(1)} MB`;
  return [
    `streams: ${r.valid}/${r.streams} complete with valid event sequences (${r.eventsReceived} events; after ${r.warmup} warm-up streams)`,
    `time to first event: p50 ${r.timeToFirstEventMs.p50.toFixed(1)} ms, p99 ${r.timeToFirstEventMs.p99.toFixed(1)} ms, max ${r.timeToFirstEventMs.max.toFixed(1)} ms`,
    `total time: ${r.totalMs.toFixed(0)} ms`,
    `memory of ${r.memoryOf}: before ${mb(r.memory.before)}; peak ${mb(r.memory.peak)}; after ${mb(r.memory.after)}`,
    `active streams after: ${r.activeStreamsAfter}`,
    ...r.failures.slice(0, 5).map((f) => `FAIL ${f}`),
  ];
}

type ChildMessage = { type: 'ready'; baseUrl: string } | { type: 'sample'; id: number; memory: MemorySample; activeStreams: number } | { type: 'failed'; error: string };

/** Forks this file as a mock process (startMock, ephemeral port, 5 ms delta delay by default), benches it, stops it. */
export async function runStreamBench(opts: Omit<StreamBenchOptions, 'probe'> = {}): Promise<StreamBenchResult> {
  const child = fork(fileURLToPath(import.meta.url), ['--mock-child'], { execArgv: [...process.execArgv, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  try {
    const first = await Promise.race([
      once(child, 'message').then(([m]) => m as ChildMessage),
      exited.then(([code]) => ({ type: 'failed', error: `exited with code ${String(code)} before it was ready` }) as ChildMessage),
    ]);
    if (first.type !== 'ready') throw new Error(`mock process did not start: ${first.type === 'failed' ? first.error : first.type}`);
    return await benchStreams(first.baseUrl, { ...opts, probe: childProbe(child) });
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill(), 5_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

function childProbe(child: ChildProcess): MockProbe {
  let next = 0;
  return {
    label: 'the mock process',
    sample: (settle) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        const onExit = () => reject(new Error('the mock process exited during the bench'));
        const onMessage = (m: ChildMessage) => {
          if (m.type !== 'sample' || m.id !== id) return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve({ memory: m.memory, activeStreams: m.activeStreams });
        };
        if (!child.connected) return onExit();
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ type: 'sample', id, settle });
      }),
  };
}

/** The forked side: runs the mock and answers memory samples until told to stop. */
async function mockChild(): Promise<void> {
  const send = (m: ChildMessage) => process.send?.(m);
  try {
    const { startMock } = await import('../mock/server.ts');
    const mock = await startMock({ port: 0, quiet: true, config: { stream: { deltaDelayMs: deltaDelayMs(), keepAliveMs: 15_000 } } });
    const stop = () => void mock.close().finally(() => process.exit(0));
    process.on('message', (m: { type: string; id?: number; settle?: boolean }) => {
      if (m.type === 'sample') void sampleHere(Boolean(m.settle)).then((s) => send({ type: 'sample', id: m.id as number, ...s }));
      if (m.type === 'stop') stop();
    });
    process.on('disconnect', stop); // the bench process went away: never leave an orphan mock
    send({ type: 'ready', baseUrl: mock.baseUrl });
  } catch (err) {
    send({ type: 'failed', error: (err as Error).stack ?? String(err) });
    process.exit(1);
  }
}

/** BENCH_DELTA_DELAY_MS (default 5): the mock's pause between deltas. */
function deltaDelayMs(): number {
  const value = Number(process.env.BENCH_DELTA_DELAY_MS ?? 5);
  return Number.isInteger(value) && value >= 0 && value <= 60_000 ? value : 5;
}

async function main(): Promise<void> {
  const streams = Number(process.env.BENCH_STREAMS ?? 500);
  if (!Number.isInteger(streams) || streams < 1 || streams > 5_000) throw new Error('BENCH_STREAMS must be an integer from 1 to 5000');
  console.log(`bench-streams: ${streams} concurrent streams, mock in a child process (delta delay ${deltaDelayMs()} ms)`);
  const result = await runStreamBench({ streams });
  for (const line of formatStreamBench(result)) console.log(line);
  if (result.failures.length > 0 || result.activeStreamsAfter !== 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const run = process.argv.includes('--mock-child') ? mockChild() : main();
  run.catch((err: unknown) => {
    console.error(`bench-streams: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  });
}
