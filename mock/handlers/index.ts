// Every operationId of the contract mapped to its handler; server start fails if one is missing,
// so a new operation in the contract cannot be served silently by nothing.
// Limits: none.
import { isoSeconds } from '../time.ts';
import { agentHandlers } from './agents.ts';
import { codebaseHandlers } from './codebase.ts';
import { memoryHandlers } from './memory.ts';
import { projectHandlers } from './projects.ts';
import { queryHandlers } from './query.ts';
import type { HandlerTable } from './types.ts';
import { userHandlers } from './user.ts';
import { webhookHandlers } from './webhooks.ts';

export const handlers: HandlerTable = {
  getHealth: (ctx) => ({ status: 200, body: ctx.services.fixtures.health(isoSeconds(ctx.services.now())) }),
  ...queryHandlers,
  ...memoryHandlers,
  ...codebaseHandlers,
  ...agentHandlers,
  ...projectHandlers,
  ...userHandlers,
  ...webhookHandlers,
};
