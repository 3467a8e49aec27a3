// Agents on their own: lazy transitions against the clock, reported once; fail word; timeouts; cancel.
import { describe, expect, it } from 'vitest';
import { AgentStore } from './agents.ts';

const outcome = { result: { summary: 's', files: [], confidence: 0.9 }, usage: { tokens: 1_000, cost: 0.01 } };

function setup() {
  const clock = { t: Date.parse('2026-03-10T12:00:00Z') };
  return { clock, s: new AgentStore(() => clock.t, 5_000, 'fail') };
}

describe('AgentStore', () => {
  it('reports the completion once, when first observed', () => {
    const { s, clock } = setup();
    const a = s.spawn({ type: 'explore', prompt: 'map it', model: 'gpt-4', timeout: 300, outcome });
    expect(s.sweep()).toEqual([]);
    expect(s.view(a)).toMatchObject({ status: 'running', usage: { tokens: 0 } });
    clock.t += 2_500;
    expect(s.view(a).usage.tokens).toBe(500);
    clock.t += 2_500;
    expect(s.sweep().map((t) => t.status)).toEqual(['completed']);
    expect(s.sweep()).toEqual([]);
    expect(s.get(a.agentId).transition).toBeUndefined();
    expect(s.view(a)).toMatchObject({ status: 'completed', duration: 5, usage: { tokens: 1_000 }, result: outcome.result });
  });

  it('fails on the fail word and on a timeout shorter than the run', () => {
    const { s, clock } = setup();
    const f = s.spawn({ type: 'task', prompt: 'please Fail', model: 'gpt-4', timeout: 300, outcome });
    const t = s.spawn({ type: 'task', prompt: 'ok', model: 'gpt-4', timeout: 2, outcome });
    clock.t += 2_000;
    expect(s.get(t.agentId).agent.status).toBe('failed');
    expect(s.view(t)).toMatchObject({ error: { code: 'TIMEOUT' }, duration: 2 });
    clock.t += 3_000;
    expect(s.view(s.get(f.agentId).agent)).toMatchObject({ status: 'failed', error: { code: 'MODEL_ERROR' } });
  });

  it('cancels only running agents', () => {
    const { s, clock } = setup();
    const a = s.spawn({ type: 'task', prompt: 'x', model: 'gpt-4', timeout: 300, outcome });
    expect(s.cancel(a.agentId).agent.status).toBe('cancelled');
    expect(() => s.cancel(a.agentId)).toThrow(/already finished/);
    clock.t += 10_000;
    expect(s.sweep()).toEqual([]);
  });
});
