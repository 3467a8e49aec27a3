// One account's agents (D10): spawn answers `running`; the outcome is decided at spawn and takes
// effect lazily when the (injected) clock passes createdAt + agentDurationMs: `completed` with a
// result, or `failed` when the prompt contains the configured fail word (MODEL_ERROR) or when the
// agent's own `timeout` is shorter than the duration (TIMEOUT). Cancel is 409 once finished.
// Transitions are observed on every read and by a sweep the server runs on each request of the
// account (and by an unref'd timer with the real clock); each transition is reported once, so the
// caller can emit its webhook event. Limits: in memory; usage grows linearly while running.
import { ApiError } from '../pipeline/errors.ts';
import { randomAlnum } from '../pipeline/request-id.ts';
import { isoSeconds } from '../time.ts';

export type AgentStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface AgentOutcome {
  result: { summary: string; files: { path: string; reason?: string }[]; confidence: number };
  usage: { tokens: number; cost: number };
}

export interface AgentRecord {
  agentId: string;
  type: string;
  prompt: string;
  model: string;
  timeout: number;
  createdAtMs: number;
  endsAtMs: number;
  planned: { status: 'completed' } | { status: 'failed'; error: { code: string; message: string } };
  outcome: AgentOutcome;
  status: AgentStatus;
  completedAtMs?: number;
  updatedAtMs: number;
}

export interface AgentTransition {
  agent: AgentRecord;
  status: 'completed' | 'failed';
}

export interface SpawnInput {
  type: string;
  prompt: string;
  model: string;
  timeout: number;
  outcome: AgentOutcome;
}

const NONE: AgentTransition[] = [];

export class AgentStore {
  private readonly agents = new Map<string, AgentRecord>();
  /** The agents still running: the per-request sweep visits only these, not every agent ever spawned. */
  private readonly running = new Set<AgentRecord>();

  constructor(
    private readonly now: () => number,
    private readonly durationMs: number,
    private readonly failWord: string,
  ) {}

  spawn(input: SpawnInput): AgentRecord {
    const now = this.now();
    const timeoutMs = input.timeout * 1000;
    const fails = input.prompt.toLowerCase().includes(this.failWord.toLowerCase());
    const timesOut = timeoutMs < this.durationMs;
    const planned: AgentRecord['planned'] = timesOut
      ? { status: 'failed', error: { code: 'TIMEOUT', message: `The agent ran past its timeout of ${input.timeout} s` } }
      : fails
        ? { status: 'failed', error: { code: 'MODEL_ERROR', message: 'The model provider refused the task; rephrase the prompt and spawn a new agent' } }
        : { status: 'completed' };
    const agent: AgentRecord = {
      agentId: `agent_${randomAlnum(16)}`,
      type: input.type,
      prompt: input.prompt,
      model: input.model,
      timeout: input.timeout,
      createdAtMs: now,
      endsAtMs: now + (timesOut ? timeoutMs : this.durationMs),
      planned,
      outcome: input.outcome,
      status: 'running',
      updatedAtMs: now,
    };
    this.agents.set(agent.agentId, agent);
    this.running.add(agent);
    return agent;
  }

  /** Applies a due transition; returns it the first time it is observed. */
  observe(agent: AgentRecord): AgentTransition | undefined {
    if (agent.status !== 'running' || this.now() < agent.endsAtMs) return undefined;
    agent.status = agent.planned.status;
    this.running.delete(agent);
    agent.completedAtMs = agent.endsAtMs;
    agent.updatedAtMs = agent.endsAtMs;
    return { agent, status: agent.planned.status };
  }

  /** Observes the running agents; returns the transitions that happened. */
  sweep(): AgentTransition[] {
    if (this.running.size === 0) return NONE;
    const out: AgentTransition[] = [];
    for (const a of [...this.running]) {
      const t = this.observe(a);
      if (t) out.push(t);
    }
    return out;
  }

  get(id: string): { agent: AgentRecord; transition?: AgentTransition } {
    const agent = this.agents.get(id);
    if (!agent) throw new ApiError('NOT_FOUND', `Agent '${id}' not found`);
    return { agent, transition: this.observe(agent) };
  }

  cancel(id: string): { agent: AgentRecord; transition?: AgentTransition } {
    const { agent, transition } = this.get(id);
    if (agent.status !== 'running') {
      throw new ApiError('CONFLICT', `Agent '${id}' has already finished (${agent.status}) and cannot be cancelled`, { status: agent.status });
    }
    const now = this.now();
    agent.status = 'cancelled';
    this.running.delete(agent);
    agent.completedAtMs = now;
    agent.updatedAtMs = now;
    return { agent, transition };
  }

  /** The contract's Agent view at the current time. */
  view(agent: AgentRecord) {
    const end = agent.completedAtMs ?? this.now();
    const elapsed = Math.max(0, end - agent.createdAtMs);
    const total = Math.max(1, agent.endsAtMs - agent.createdAtMs);
    const share = agent.status === 'completed' ? 1 : Math.min(1, elapsed / total);
    const tokens = Math.round(agent.outcome.usage.tokens * share);
    const base = {
      agentId: agent.agentId,
      type: agent.type,
      status: agent.status,
      prompt: agent.prompt,
      model: agent.model,
      timeout: agent.timeout,
      createdAt: isoSeconds(agent.createdAtMs),
      updatedAt: isoSeconds(agent.updatedAtMs),
      ...(agent.completedAtMs !== undefined ? { completedAt: isoSeconds(agent.completedAtMs) } : {}),
      usage: { tokens, cost: Math.round(agent.outcome.usage.cost * share * 10_000) / 10_000 },
      duration: Math.round(elapsed / 100) / 10,
    };
    if (agent.status === 'completed') return { ...base, result: agent.outcome.result };
    if (agent.status === 'failed' && agent.planned.status === 'failed') return { ...base, error: agent.planned.error };
    return base;
  }
}
