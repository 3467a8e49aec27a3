// Handlers of the memory area (D10): store, get, update, soft delete, search, stats, context, with
// their webhook events (memory.stored, memory.updated, memory.deleted).
// Limits: see mock/state/memory-store.ts.
import type { components } from '../../generated/api.d.ts';
import { memoryView, type Importance } from '../state/memory-store.ts';
import type { HandlerTable } from './types.ts';

type S = components['schemas'];

export const memoryHandlers: HandlerTable = {
  storeMemory: (ctx) => {
    const body = ctx.body as S['MemoryStoreRequest'];
    const started = performance.now();
    const m = ctx.account.memories.store({ ...body, importance: body.importance as Importance | undefined });
    ctx.account.memories.recordOp(performance.now() - started);
    ctx.services.emit(ctx.account, 'memory.stored', { memoryId: m.id, tags: m.tags, importance: m.importance });
    const out: S['MemoryStoreResponse'] = { ok: true, id: m.id, vectorId: m.vectorId, version: 1, createdAt: m.createdAt };
    return { status: 201, body: out };
  },

  getMemory: (ctx) => ({ status: 200, body: memoryView(ctx.account.memories.get(ctx.params.id)) satisfies S['Memory'] }),

  updateMemory: (ctx) => {
    const { memory, changed } = ctx.account.memories.update(ctx.params.id, ctx.body as S['MemoryUpdateRequest']);
    ctx.services.emit(ctx.account, 'memory.updated', {
      memoryId: memory.id,
      version: memory.version,
      tags: memory.tags,
      importance: memory.importance,
      changed,
    });
    return { status: 200, body: memoryView(memory) };
  },

  deleteMemory: (ctx) => {
    const deleted = ctx.account.memories.softDelete(ctx.params.id);
    ctx.services.emit(ctx.account, 'memory.deleted', { memoryId: deleted.id, deletedAt: deleted.deletedAt, recoverableUntil: deleted.recoverableUntil });
    const out: S['MemoryDeleteResponse'] = { ok: true, ...deleted };
    return { status: 200, body: out };
  },

  searchMemories: (ctx) => {
    const body = ctx.body as S['MemorySearchRequest'];
    const { results, total, took } = ctx.account.memories.search(body);
    const out: S['MemorySearchResponse'] = {
      results: results.map(({ memory, score }) => ({
        id: memory.id,
        content: memory.content,
        score,
        tags: memory.tags,
        importance: memory.importance,
        createdAt: memory.createdAt,
      })),
      total,
      took,
    };
    return { status: 200, body: out };
  },

  getMemoryStats: (ctx) => ({ status: 200, body: ctx.account.memories.stats() satisfies S['MemoryStats'] }),

  buildMemoryContext: (ctx) => {
    const body = ctx.body as S['MemoryContextRequest'];
    const out: S['MemoryContextResponse'] = ctx.account.memories.context({ ...body, maxTokens: body.maxTokens ?? 4000 });
    return { status: 200, body: out };
  },
};
