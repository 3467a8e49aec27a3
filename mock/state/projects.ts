// One account's projects (D10): CRUD with names unique per account (exact comparison, 409 on a
// clash), oldest-first listing with opaque cursors (base64url of the last id of the page).
// Limits: a cursor is valid while the project it points after exists; otherwise 422 field cursor.
import { ApiError } from '../pipeline/errors.ts';
import { randomAlnum } from '../pipeline/request-id.ts';
import { isoSeconds } from '../time.ts';

export interface Project {
  id: string;
  name: string;
  description: string;
  settings: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export type ProjectPatch = Partial<Pick<Project, 'name' | 'description' | 'settings'>>;

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ after: id })).toString('base64url');
}

function decodeCursor(cursor: string): string | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof value.after === 'string' ? value.after : undefined;
  } catch {
    return undefined;
  }
}

export class ProjectStore {
  // Insertion order is creation order, which is the listing order (createdAt, then id).
  private readonly projects = new Map<string, Project>();

  constructor(private readonly now: () => number) {}

  private assertNameFree(name: string, except?: string): void {
    for (const p of this.projects.values()) {
      if (p.name === name && p.id !== except) {
        throw new ApiError('CONFLICT', `A project named '${name}' already exists`, { field: 'name' });
      }
    }
  }

  create(input: { name: string; description?: string; settings?: Record<string, unknown> }): Project {
    this.assertNameFree(input.name);
    const at = isoSeconds(this.now());
    const p: Project = {
      id: `proj_${randomAlnum(16)}`,
      name: input.name,
      description: input.description ?? '',
      settings: input.settings ?? {},
      createdAt: at,
      updatedAt: at,
    };
    this.projects.set(p.id, p);
    return p;
  }

  get(id: string): Project {
    const p = this.projects.get(id);
    if (!p) throw new ApiError('NOT_FOUND', `Project '${id}' not found`);
    return p;
  }

  update(id: string, patch: ProjectPatch): { project: Project; changed: string[] } {
    const p = this.get(id);
    if (patch.name !== undefined) this.assertNameFree(patch.name, id);
    const changed = (['name', 'description', 'settings'] as const).filter((k) => patch[k] !== undefined);
    if (patch.name !== undefined) p.name = patch.name;
    if (patch.description !== undefined) p.description = patch.description;
    if (patch.settings !== undefined) p.settings = patch.settings;
    p.updatedAt = isoSeconds(this.now());
    return { project: p, changed };
  }

  delete(id: string): void {
    this.get(id);
    this.projects.delete(id);
  }

  list(limit: number, cursor?: string): { projects: Project[]; nextCursor: string | null } {
    const all = [...this.projects.values()];
    let start = 0;
    if (cursor !== undefined) {
      const after = decodeCursor(cursor);
      const index = after === undefined ? -1 : all.findIndex((p) => p.id === after);
      if (index < 0) {
        throw new ApiError('VALIDATION_ERROR', 'The cursor is malformed or no longer valid; start again without it', {
          field: 'cursor',
          reason: 'cursor',
          violations: [{ field: 'cursor', reason: 'cursor', message: 'The cursor is malformed or no longer valid' }],
        });
      }
      start = index + 1;
    }
    const page = all.slice(start, start + limit);
    const more = start + limit < all.length;
    return { projects: page, nextCursor: more ? encodeCursor(page[page.length - 1].id) : null };
  }
}
