// Handlers of the projects area (D10): cursor-paginated list, create (unique names), get, update
// (emits project.updated with the fields given), delete (204, for good).
// Limits: see mock/state/projects.ts.
import type { components } from '../../generated/api.d.ts';
import type { HandlerTable } from './types.ts';

type S = components['schemas'];

export const projectHandlers: HandlerTable = {
  listProjects: (ctx) => {
    const limit = (ctx.query.limit as number | undefined) ?? 20;
    const cursor = ctx.query.cursor as string | undefined;
    const out: S['ProjectList'] = ctx.account.projects.list(limit, cursor);
    return { status: 200, body: out };
  },
  createProject: (ctx) => ({ status: 201, body: ctx.account.projects.create(ctx.body as S['ProjectCreateRequest']) satisfies S['Project'] }),
  getProject: (ctx) => ({ status: 200, body: ctx.account.projects.get(ctx.params.projectId) satisfies S['Project'] }),
  updateProject: (ctx) => {
    const { project, changed } = ctx.account.projects.update(ctx.params.projectId, ctx.body as S['ProjectUpdateRequest']);
    ctx.services.emit(ctx.account, 'project.updated', { projectId: project.id, name: project.name, changed });
    return { status: 200, body: project };
  },
  deleteProject: (ctx) => {
    ctx.account.projects.delete(ctx.params.projectId);
    return { status: 204 };
  },
};
