// Handlers of the agents area (D10): spawn (202 running), get (lazy transition to completed or
// failed), cancel (409 once finished), types. Each transition emits agent.completed or
// agent.failed exactly once, whoever observes it first: a read, the sweep the pipeline runs on every
// request of the account, or a timer at the agent's end time (real clock). Cancelling emits nothing.
// Limits: with an injected clock the timer finds nothing due; the reads and the sweep do the work.
import type { components } from '../../generated/api.d.ts';
import { AGENT_TYPES } from '../fixtures/catalog.ts';
import type { AccountState } from '../state/accounts.ts';
import type { AgentTransition } from '../state/agents.ts';
import type { HandlerTable, MockServices } from './types.ts';

type S = components['schemas'];

/** Emits the webhook events of transitions and counts the agents' tokens in the usage ledger. */
export function emitAgentTransitions(services: MockServices, account: AccountState, transitions: AgentTransition[]): void {
  for (const t of transitions) {
    const view = account.agents.view(t.agent);
    if (t.status === 'completed' && 'result' in view) {
      account.usage.recordTokens(Math.ceil(t.agent.prompt.length / 4), Math.max(0, view.usage.tokens - Math.ceil(t.agent.prompt.length / 4)));
      services.emit(account, 'agent.completed', { agentId: view.agentId, type: view.type, duration: view.duration, result: view.result, usage: view.usage });
    } else if (t.status === 'failed' && 'error' in view) {
      services.emit(account, 'agent.failed', { agentId: view.agentId, type: view.type, error: view.error });
    }
  }
}

export const agentHandlers: HandlerTable = {
  spawnAgent: (ctx) => {
    const body = ctx.body as S['AgentSpawnRequest'];
    const { services, account } = ctx;
    const model = body.model ?? AGENT_TYPES.find((t) => t.id === body.type)?.defaultModel ?? 'gpt-4';
    const agent = account.agents.spawn({
      type: body.type,
      prompt: body.prompt,
      model,
      timeout: body.timeout ?? 300,
      outcome: services.fixtures.agentOutcome(body.type, body.prompt, model),
    });
    const createdAt = account.agents.view(agent).createdAt;
    services.emit(account, 'agent.started', { agentId: agent.agentId, type: agent.type, createdAt });
    services.schedule(agent.endsAtMs - services.now(), () => {
      const t = account.agents.observe(agent);
      if (t) emitAgentTransitions(services, account, [t]);
    });
    const out: S['AgentSpawnResponse'] = { agentId: agent.agentId, type: body.type, status: 'running', createdAt };
    return { status: 202, body: out };
  },

  getAgent: (ctx) => {
    const { agent, transition } = ctx.account.agents.get(ctx.params.agentId);
    if (transition) emitAgentTransitions(ctx.services, ctx.account, [transition]);
    return { status: 200, body: ctx.account.agents.view(agent) as S['Agent'] };
  },

  cancelAgent: (ctx) => {
    const { agents } = ctx.account;
    const current = agents.get(ctx.params.agentId);
    if (current.transition) emitAgentTransitions(ctx.services, ctx.account, [current.transition]);
    const { agent } = agents.cancel(ctx.params.agentId);
    return { status: 200, body: agents.view(agent) as S['Agent'] };
  },

  listAgentTypes: (ctx) => ({ status: 200, json: ctx.services.fixtures.agentTypesJson }),
};
