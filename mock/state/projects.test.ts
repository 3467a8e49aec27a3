// Projects on their own: unique names, updates, opaque cursors that stay valid while their anchor exists.
import { describe, expect, it } from 'vitest';
import { ProjectStore } from './projects.ts';

describe('ProjectStore', () => {
  it('pages oldest first and invalidates a cursor whose anchor was deleted', () => {
    const s = new ProjectStore(() => 0);
    const ids = ['a', 'b', 'c'].map((name) => s.create({ name }).id);
    const first = s.list(2);
    expect(first.projects.map((p) => p.name)).toEqual(['a', 'b']);
    expect(first.nextCursor).not.toContain(ids[1]);
    expect(s.list(2, first.nextCursor!)).toMatchObject({ projects: [{ name: 'c' }], nextCursor: null });
    s.delete(ids[1]);
    expect(() => s.list(2, first.nextCursor!)).toThrow(/no longer valid/);
    expect(() => s.list(2, 'not-base64-json')).toThrow(/malformed/);
  });

  it('refuses duplicate names exactly (case-sensitive)', () => {
    const s = new ProjectStore(() => 0);
    s.create({ name: 'Web' });
    expect(() => s.create({ name: 'Web' })).toThrow(/already exists/);
    expect(s.create({ name: 'web' }).name).toBe('web');
  });
});
