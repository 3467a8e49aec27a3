// Per-account state (D11: state is per account, rate limits per key): each account gets its own
// memories, projects, webhooks, agents and usage ledger on first use. reset() forgets them all.
// Limits: in memory, unbounded across accounts (the key ring bounds the number of accounts).
import type { AccountConfig, MockConfig } from '../config.ts';
import { AgentStore } from './agents.ts';
import { MemoryStore } from './memory-store.ts';
import { ProjectStore } from './projects.ts';
import { UsageLedger } from './usage.ts';
import { WebhookStore } from './webhooks.ts';
import { createHash } from 'node:crypto';
import { DAY_MS, isoSeconds, utcDayStart } from '../time.ts';

export interface AccountState {
  name: string;
  config: AccountConfig;
  userId: string;
  memories: MemoryStore;
  projects: ProjectStore;
  webhooks: WebhookStore;
  agents: AgentStore;
  usage: UsageLedger;
  /** Profile changes made with PATCH /user/me. */
  profile: { name: string; email: string };
  /** When the account was created: 90 days before the mock first saw it. */
  createdAt: string;
  /** Chat histories by conversation id (POST /query/chat). */
  conversations: Map<string, { role: 'system' | 'user' | 'assistant'; content: string }[]>;
}

export class AccountRegistry {
  private readonly states = new Map<string, AccountState>();

  constructor(
    private readonly config: MockConfig,
    private readonly now: () => number,
  ) {}

  get(name: string): AccountState {
    let state = this.states.get(name);
    if (!state) {
      const config = this.config.accounts[name];
      const digest = createHash('sha256').update(`account:${name}`).digest('base64').replace(/[^A-Za-z0-9]/g, '');
      state = {
        name,
        config,
        userId: `user_${digest.slice(0, 16)}`,
        memories: new MemoryStore(this.now),
        projects: new ProjectStore(this.now),
        webhooks: new WebhookStore(this.now),
        agents: new AgentStore(this.now, this.config.agentDurationMs, this.config.agentFailWord),
        usage: new UsageLedger(this.now),
        profile: { name: config.name, email: config.email },
        createdAt: isoSeconds(utcDayStart(this.now()) - 90 * DAY_MS),
        conversations: new Map(),
      };
      this.states.set(name, state);
    }
    return state;
  }

  reset(): void {
    this.states.clear();
  }
}
