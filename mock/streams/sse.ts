// Server-Sent Events writer for query completions (decision D8): `start`, token-sized `delta`s,
// then one terminal `done` or `error`, each written with res.write as it is made (never buffered).
// Pacing: first event at once, then one delta per `deltaDelayMs` (0 still yields to the event loop
// between events); `: keep-alive` comments every `keepAliveMs`; waits for 'drain' when the client
// reads slowly. A client that goes away stops generation and leaves no timer or listener behind.
// Limits: one process-wide active-stream count; no `event:`/`id:` fields, no resume (Last-Event-ID).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { splitIntoTokens } from './tokens.ts';

export interface StreamPlan {
  id: string;
  model: string;
  createdAt: string;
  text: string;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number };
  finishReason: string;
}

export interface StreamOptions {
  requestId: string;
  headers: Record<string, string | number>;
  deltaDelayMs: number;
  keepAliveMs: number;
  /** After this many deltas, send an `error` event instead of continuing (a failing backend). */
  failAfterDeltas?: number;
}

const active = new Set<StreamRun>();

/** Streams currently being written, across every server in this process. */
export function activeStreamCount(): number {
  return active.size;
}

/** Writes the 200 head, then streams the plan; returns at once (the stream runs on the event loop). */
export function writeQueryStream(_req: IncomingMessage, res: ServerResponse, plan: StreamPlan, opts: StreamOptions): void {
  res.writeHead(200, {
    ...opts.headers,
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    'X-Request-Id': opts.requestId,
  });
  const run = new StreamRun(res, plan, opts);
  run.begin();
}

type Step = { event: object; last: boolean };

/** One stream in flight: the steps still to send, its timers and its listeners. */
class StreamRun {
  private readonly steps: Step[];
  private next = 0;
  private stepTimer: NodeJS.Timeout | null = null;
  private stepImmediate: NodeJS.Immediate | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private waitingForDrain = false;
  private stopped = false;

  constructor(
    private readonly res: ServerResponse,
    plan: StreamPlan,
    private readonly opts: StreamOptions,
  ) {
    this.steps = planSteps(plan, opts);
  }

  begin(): void {
    active.add(this);
    this.res.on('close', this.onClose);
    this.res.on('error', this.onClose);
    const keepAliveMs = this.opts.keepAliveMs;
    if (Number.isFinite(keepAliveMs) && keepAliveMs > 0) {
      this.keepAliveTimer = setInterval(this.onKeepAlive, keepAliveMs);
    }
    this.sendNext();
  }

  private readonly onClose = (): void => {
    // 'close' after a normal end is harmless; before it, the client went away: stop generating.
    this.stop();
  };

  private readonly onDrain = (): void => {
    this.waitingForDrain = false;
    this.scheduleNext();
  };

  private readonly onKeepAlive = (): void => {
    if (this.stopped || this.waitingForDrain) return;
    this.res.write(': keep-alive\n\n');
  };

  private readonly onStepDue = (): void => {
    this.stepTimer = null;
    this.stepImmediate = null;
    this.sendNext();
  };

  private sendNext(): void {
    if (this.stopped) return;
    if (this.res.destroyed || this.res.writableEnded) return this.stop();
    const step = this.steps[this.next++];
    const flushed = this.res.write(`data: ${JSON.stringify(step.event)}\n\n`);
    if (step.last) {
      this.res.end();
      this.stop();
      return;
    }
    if (!flushed) {
      this.waitingForDrain = true;
      this.res.once('drain', this.onDrain);
      return;
    }
    this.scheduleNext();
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const delay = this.opts.deltaDelayMs;
    if (Number.isFinite(delay) && delay > 0) this.stepTimer = setTimeout(this.onStepDue, delay);
    else this.stepImmediate = setImmediate(this.onStepDue);
  }

  /** Idempotent: clears every timer and listener this run added. */
  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.stepTimer) clearTimeout(this.stepTimer);
    if (this.stepImmediate) clearImmediate(this.stepImmediate);
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.stepTimer = null;
    this.stepImmediate = null;
    this.keepAliveTimer = null;
    this.res.off('close', this.onClose);
    this.res.off('error', this.onClose);
    this.res.off('drain', this.onDrain);
    active.delete(this);
  }
}

/** The whole event sequence, decided up front so that its arithmetic can be checked. */
function planSteps(plan: StreamPlan, opts: StreamOptions): Step[] {
  const tokens = splitIntoTokens(plan.text);
  const failAt = opts.failAfterDeltas;
  const failing = typeof failAt === 'number' && Number.isFinite(failAt) && failAt >= 0;
  const deltaCount = failing ? Math.min(Math.floor(failAt), tokens.length) : tokens.length;
  const steps: Step[] = [
    { last: false, event: { type: 'start', id: plan.id, model: plan.model, createdAt: plan.createdAt } },
  ];
  for (const content of tokens.slice(0, deltaCount)) steps.push({ last: false, event: { type: 'delta', content } });
  steps.push({ last: true, event: failing ? errorEvent(opts.requestId) : doneEvent(plan) });
  return steps;
}

function doneEvent(plan: StreamPlan): object {
  const { promptTokens, completionTokens } = plan.usage;
  return {
    type: 'done',
    finishReason: plan.finishReason,
    usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
  };
}

function errorEvent(requestId: string): object {
  return {
    type: 'error',
    error: {
      code: 'INTERNAL_ERROR',
      message: 'The model backend stopped responding part-way through the completion; retry the request',
      requestId,
    },
  };
}
