// One account's Memory Spine (D10): store (version 1), get, update (version + 1), soft delete
// (recoverable 30 days; the id stays taken meanwhile), TF-IDF search and context assembly.
// Limits: in memory; a soft-deleted memory older than 30 days frees its id lazily on the next store.
import { ApiError } from '../pipeline/errors.ts';
import { randomAlnum } from '../pipeline/request-id.ts';
import { DAY_MS, isoSeconds } from '../time.ts';
import { rank, termCounts, tokenize } from './text-index.ts';

export type Importance = 'low' | 'medium' | 'high' | 'critical';

export interface StoredMemory {
  id: string;
  vectorId: string;
  content: string;
  tags: string[];
  importance: Importance;
  metadata: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAtMs?: number;
  terms: Map<string, number>;
}

export interface MemoryInput {
  id: string;
  content: string;
  tags?: string[];
  importance?: Importance;
  metadata?: Record<string, unknown>;
}

export type MemoryPatch = Partial<Pick<StoredMemory, 'content' | 'tags' | 'importance' | 'metadata'>>;

export interface SearchOptions {
  query: string;
  limit?: number;
  tags?: string[];
  minScore?: number;
}

/** Vector storage counted per memory by the stats: 1,536 float32 dimensions. */
export const VECTOR_BYTES = 1536 * 4;
const RECOVERABLE_MS = 30 * DAY_MS;

/** Tokens are estimated as ceil(characters / 4), as the contract says. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function memoryView(m: StoredMemory) {
  return {
    id: m.id,
    content: m.content,
    tags: m.tags,
    importance: m.importance,
    metadata: m.metadata,
    version: m.version,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

export class MemoryStore {
  private readonly memories = new Map<string, StoredMemory>();
  private opTimeTotal = 0;
  private opCount = 0;

  constructor(private readonly now: () => number) {}

  store(input: MemoryInput): StoredMemory {
    const existing = this.memories.get(input.id);
    if (existing) {
      const stillRecoverable = existing.deletedAtMs !== undefined && this.now() - existing.deletedAtMs < RECOVERABLE_MS;
      if (existing.deletedAtMs === undefined || stillRecoverable) {
        const why = existing.deletedAtMs === undefined ? 'already exists' : 'was deleted less than 30 days ago and is still recoverable';
        throw new ApiError('CONFLICT', `Memory '${input.id}' ${why}`, { field: 'id' });
      }
    }
    const at = isoSeconds(this.now());
    const m: StoredMemory = {
      id: input.id,
      vectorId: `vec_${randomAlnum(16)}`,
      content: input.content,
      tags: input.tags ?? [],
      importance: input.importance ?? 'medium',
      metadata: input.metadata ?? {},
      version: 1,
      createdAt: at,
      updatedAt: at,
      terms: termCounts(tokenize(input.content + ' ' + (input.tags ?? []).join(' '))),
    };
    this.memories.set(m.id, m);
    return m;
  }

  /** A live memory, or 404. */
  get(id: string): StoredMemory {
    const m = this.memories.get(id);
    if (!m || m.deletedAtMs !== undefined) throw new ApiError('NOT_FOUND', `Memory '${id}' not found`);
    return m;
  }

  update(id: string, patch: MemoryPatch): { memory: StoredMemory; changed: string[] } {
    const m = this.get(id);
    const changed = (['content', 'tags', 'importance', 'metadata'] as const).filter((k) => patch[k] !== undefined);
    if (patch.content !== undefined) m.content = patch.content;
    if (patch.tags !== undefined) m.tags = patch.tags;
    if (patch.importance !== undefined) m.importance = patch.importance;
    if (patch.metadata !== undefined) m.metadata = patch.metadata;
    m.terms = termCounts(tokenize(m.content + ' ' + m.tags.join(' ')));
    m.version += 1;
    m.updatedAt = isoSeconds(this.now());
    return { memory: m, changed };
  }

  softDelete(id: string): { id: string; deletedAt: string; recoverableUntil: string } {
    const m = this.get(id);
    const now = this.now();
    m.deletedAtMs = Math.floor(now / 1000) * 1000;
    return { id, deletedAt: isoSeconds(m.deletedAtMs), recoverableUntil: isoSeconds(m.deletedAtMs + RECOVERABLE_MS) };
  }

  live(): StoredMemory[] {
    return [...this.memories.values()].filter((m) => m.deletedAtMs === undefined);
  }

  /** Matches (score > 0, >= minScore, ANY-of tags) best first, with the total before the limit. */
  search(opts: SearchOptions): { results: { memory: StoredMemory; score: number }[]; total: number; took: number } {
    const started = performance.now();
    const wanted = opts.tags && opts.tags.length > 0 ? new Set(opts.tags) : undefined;
    const pool = this.live().filter((m) => !wanted || m.tags.some((t) => wanted.has(t)));
    const ranked = rank(opts.query, pool.map((m) => ({ id: m.id, terms: m.terms }))).filter((r) => r.score >= (opts.minScore ?? 0));
    const results = ranked.slice(0, opts.limit ?? 10).map((r) => ({ memory: this.memories.get(r.id)!, score: r.score }));
    const took = performance.now() - started;
    this.recordOp(took);
    return { results, total: ranked.length, took: Math.round(took) };
  }

  recordOp(ms: number): void {
    this.opTimeTotal += ms;
    this.opCount += 1;
  }

  stats() {
    const live = this.live();
    const bytes = live.reduce(
      (sum, m) => sum + Buffer.byteLength(m.content) + Buffer.byteLength(JSON.stringify(m.tags)) + Buffer.byteLength(JSON.stringify(m.metadata)) + VECTOR_BYTES,
      0,
    );
    const avg = this.opCount === 0 ? 0 : this.opTimeTotal / this.opCount;
    return {
      vectorCount: live.length,
      storageBytes: bytes,
      version: '0.4.0',
      avgResponseMs: Math.round(avg * 100) / 100,
      status: 'healthy' as const,
    };
  }

  /** Best matches assembled into blocks `[id]\ncontent`, blank-line separated, within maxTokens. */
  context(opts: SearchOptions & { maxTokens: number }) {
    const { results, total } = this.search({ ...opts, limit: Number.MAX_SAFE_INTEGER });
    const parts: string[] = [];
    const memories: { id: string; score: number; tokens: number }[] = [];
    let used = 0;
    let truncated = false;
    for (const { memory, score } of results) {
      const block = (parts.length > 0 ? '\n\n' : '') + `[${memory.id}]\n${memory.content}`;
      const tokens = estimateTokens(block);
      if (used + tokens <= opts.maxTokens) {
        parts.push(block);
        memories.push({ id: memory.id, score, tokens });
        used += tokens;
        continue;
      }
      truncated = true;
      const budgetChars = (opts.maxTokens - used) * 4;
      const header = (parts.length > 0 ? '\n\n' : '') + `[${memory.id}]\n`;
      if (budgetChars > header.length) {
        const cut = block.slice(0, budgetChars);
        const cutTokens = estimateTokens(cut);
        parts.push(cut);
        memories.push({ id: memory.id, score, tokens: cutTokens });
        used += cutTokens;
      }
      break;
    }
    if (memories.length < total) truncated = true;
    return { query: opts.query, context: parts.join(''), memories, tokenCount: used, maxTokens: opts.maxTokens, truncated };
  }
}
