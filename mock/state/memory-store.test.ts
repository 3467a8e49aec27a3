// The memory store on its own: versions, soft delete and the 30-day hold on ids, search options,
// stats arithmetic and context assembly within maxTokens (tokens = ceil(chars / 4)).
import { describe, expect, it } from 'vitest';
import { ApiError } from '../pipeline/errors.ts';
import { estimateTokens, MemoryStore, VECTOR_BYTES } from './memory-store.ts';

function store() {
  const clock = { t: Date.parse('2026-03-10T12:00:00Z') };
  return { clock, s: new MemoryStore(() => clock.t) };
}

describe('MemoryStore', () => {
  it('stores version 1 with defaults and bumps the version on update', () => {
    const { s, clock } = store();
    const m = s.store({ id: 'a', content: 'hello' });
    expect(m).toMatchObject({ version: 1, importance: 'medium', tags: [], metadata: {}, createdAt: '2026-03-10T12:00:00Z' });
    expect(m.vectorId).toMatch(/^vec_[A-Za-z0-9]{16}$/);
    clock.t += 60_000;
    const { memory, changed } = s.update('a', { tags: ['x'], importance: 'high' });
    expect(memory).toMatchObject({ version: 2, tags: ['x'], importance: 'high', updatedAt: '2026-03-10T12:01:00Z', createdAt: '2026-03-10T12:00:00Z' });
    expect(changed).toEqual(['tags', 'importance']);
  });

  it('keeps a deleted id for 30 days, then frees it', () => {
    const { s, clock } = store();
    s.store({ id: 'a', content: 'x' });
    const d = s.softDelete('a');
    expect(d).toEqual({ id: 'a', deletedAt: '2026-03-10T12:00:00Z', recoverableUntil: '2026-04-09T12:00:00Z' });
    expect(() => s.get('a')).toThrow(ApiError);
    expect(() => s.store({ id: 'a', content: 'y' })).toThrow(/still recoverable/);
    clock.t += 30 * 86_400_000;
    expect(s.store({ id: 'a', content: 'y' }).version).toBe(1);
  });

  it('stats count live memories and their bytes', () => {
    const { s } = store();
    s.store({ id: 'a', content: 'abcd', tags: ['t'] });
    s.store({ id: 'b', content: 'zz' });
    s.softDelete('b');
    expect(s.stats()).toMatchObject({ vectorCount: 1, storageBytes: 4 + '["t"]'.length + 2 + VECTOR_BYTES, status: 'healthy' });
  });

  it('context takes best matches first, cuts the first one that does not fit, and says so', () => {
    const { s } = store();
    s.store({ id: 'best', content: 'queue migration plan' });
    s.store({ id: 'long', content: `queue ${'details '.repeat(50)}` });
    const c = s.context({ query: 'queue migration', maxTokens: 20 });
    expect(c.memories.map((m) => m.id)).toEqual(['best', 'long']);
    expect(c.tokenCount).toBe(20);
    expect(c.truncated).toBe(true);
    expect(c.context.startsWith('[best]\nqueue migration plan\n\n[long]\nqueue')).toBe(true);
    expect(estimateTokens(c.context)).toBeLessThanOrEqual(20);
    const roomy = s.context({ query: 'queue migration', maxTokens: 4_000 });
    expect(roomy.truncated).toBe(false);
  });
});
