// resource-lifecycle (D10): create, read, update, delete, then 404, for each resource:
// memory (version bump on update, 409 on storing a deleted id again), projects (the list
// contains it, duplicate name 409 on create and on rename, delete 204), API keys (the new key
// works, the revoked one gets 401), agents (spawn 202, get, cancel or already finished) and
// webhooks (the list hides the secret, delete removes it). Ids and names sent carry
// `conf-lifecycle-<runId>`.
// Limits: agents are cancelled right away, so a long-running agent's result is not awaited.
import type { Check, CheckContext } from '../types.ts';
import { anyValidBody } from '../request-builder.ts';
import { Scenario } from './scenario.ts';
import { cheapGet } from './util.ts';

function bodyFor(ctx: CheckContext, operationId: string, overrides: Record<string, unknown>): Record<string, unknown> {
  const op = ctx.spec.operation(operationId);
  const base = op ? anyValidBody(ctx.spec, op, ctx.runId, 'lifecycle', ctx.resources.webhookUrl) : undefined;
  return { ...((base as Record<string, unknown>) ?? {}), ...overrides };
}

async function memory(ctx: CheckContext): Promise<void> {
  const s = new Scenario(ctx, 'memory');
  await s.run(async () => {
    const id = `conf-lifecycle-${ctx.runId}-memory`;
    const body = bodyFor(ctx, 'storeMemory', { id, content: `Stored by the conformance run ${ctx.runId}` });
    await s.step('store', { ...s.path('storeMemory'), json: body }, [201], (_e, b) => (b?.version !== undefined && b.version !== 1 ? `a new memory has version ${b.version}, D10 says 1` : undefined));
    const got = await s.step('get after store', s.path('getMemory', { id }), [200], (_e, b) => (b?.id !== id ? `id is ${JSON.stringify(b?.id)}, expected ${id}` : b?.content !== body.content ? 'content differs from what was stored' : undefined));
    const before = got.body?.version;
    const content = `Updated by the conformance run ${ctx.runId}`;
    await s.step('update', { ...s.path('updateMemory', { id }), json: { content } }, [200]);
    await s.step('get after update', s.path('getMemory', { id }), [200], (_e, b) => {
      if (b?.content !== content) return 'content is not the updated one';
      if (typeof before === 'number' && b?.version !== before + 1) return `version is ${b?.version} after an update of version ${before}; D10: the update bumps it by one`;
      return undefined;
    });
    await s.step('delete', s.path('deleteMemory', { id }), [200]);
    await s.step('get after delete', s.path('getMemory', { id }), [404]);
    await s.step('store the deleted id again', { ...s.path('storeMemory'), json: body }, [409]);
  });
}

async function projects(ctx: CheckContext): Promise<void> {
  const s = new Scenario(ctx, 'projects');
  await s.run(async () => {
    const name = `conf-lifecycle-${ctx.runId}-project`;
    const created = await s.step('create', { ...s.path('createProject'), json: bodyFor(ctx, 'createProject', { name }) }, [201], (_e, b) => (typeof b?.id !== 'string' ? 'the answer has no id' : undefined));
    const projectId: string = created.body.id;
    await s.step('get', s.path('getProject', { projectId }), [200], (_e, b) => (b?.name !== name ? `name is ${JSON.stringify(b?.name)}, expected ${name}` : undefined));
    const description = `Changed by the conformance run ${ctx.runId}`;
    await s.step('patch', { ...s.path('updateProject', { projectId }), json: { description } }, [200], (_e, b) => (b?.description !== description ? 'the answer does not show the new description' : undefined));
    let cursor: string | undefined;
    let found = false;
    let last;
    for (let page = 0; page < 50 && !found; page++) {
      const q = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { path, ...rest } = s.path('listProjects');
      const { ex, body } = await s.step(`list page ${page + 1}`, { ...rest, path: path + q }, [200]);
      last = ex;
      found = Array.isArray(body?.projects) && body.projects.some((p: { id?: string }) => p?.id === projectId);
      cursor = typeof body?.nextCursor === 'string' ? body.nextCursor : undefined;
      if (!cursor) break;
    }
    if (!found) s.fail(`listProjects does not contain the project ${projectId} just created (all pages read)`, last);
    await s.step('create a duplicate name', { ...s.path('createProject'), json: { name } }, [409]);
    const other = await s.step('create a second project', { ...s.path('createProject'), json: { name: `${name}-2` } }, [201]);
    ctx.resources.adopt('createProject', undefined, other.body);
    await s.step('rename the second to the first one\'s name', { ...s.path('updateProject', { projectId: other.body?.id }), json: { name } }, [409]);
    await s.step('delete the second', s.path('deleteProject', { projectId: other.body?.id }), [204]);
    await s.step('delete', s.path('deleteProject', { projectId }), [204]);
    await s.step('get after delete', s.path('getProject', { projectId }), [404]);
  });
}

async function apiKeys(ctx: CheckContext): Promise<void> {
  const s = new Scenario(ctx, 'api-keys');
  const probe = cheapGet(ctx.spec.operations);
  await s.run(async () => {
    const created = await s.step('create', { ...s.path('createApiKey'), json: { name: `conf-lifecycle-${ctx.runId}-key`, type: 'development' } }, [201], (_e, b) => (typeof b?.key !== 'string' || typeof b?.id !== 'string' ? 'the answer lacks key or id' : undefined));
    const { key, id: keyId } = created.body as { key: string; id: string };
    ctx.secrets.add(key);
    if (!probe) return;
    await s.step('use the new key', { method: 'GET', path: probe.path, operationId: probe.operationId, auth: 'created', key }, [200]);
    await s.step('revoke', s.path('revokeApiKey', { keyId }), [204]);
    await s.step('use the revoked key', { method: 'GET', path: probe.path, operationId: probe.operationId, auth: 'created', key }, [401]);
  });
}

async function agents(ctx: CheckContext): Promise<void> {
  const s = new Scenario(ctx, 'agents');
  await s.run(async () => {
    const spawned = await s.step('spawn', { ...s.path('spawnAgent'), json: bodyFor(ctx, 'spawnAgent', {}) }, [202], (_e, b) => (typeof b?.agentId !== 'string' ? 'the answer has no agentId' : undefined));
    const agentId: string = spawned.body.agentId;
    const states = ['running', 'completed', 'failed', 'cancelled'];
    await s.step('get', s.path('getAgent', { agentId }), [200], (_e, b) => (!states.includes(b?.status) ? `status ${JSON.stringify(b?.status)} is not one of ${states.join(', ')}` : undefined));
    const cancel = await s.step('cancel', s.path('cancelAgent', { agentId }), [200, 409]);
    const want = cancel.ex.response!.status === 200 ? ['cancelled'] : ['completed', 'failed'];
    await s.step(cancel.ex.response!.status === 200 ? 'get after cancel' : 'get after a 409 cancel (finished)', s.path('getAgent', { agentId }), [200], (_e, b) => (!want.includes(b?.status) ? `status is ${JSON.stringify(b?.status)}, expected ${want.join(' or ')}` : undefined));
  });
}

async function webhooks(ctx: CheckContext): Promise<void> {
  const s = new Scenario(ctx, 'webhooks');
  await s.run(async () => {
    const body = bodyFor(ctx, 'createWebhook', { url: ctx.resources.webhookUrl });
    const created = await s.step('create', { ...s.path('createWebhook'), json: body }, [201], (_e, b) => (typeof b?.id !== 'string' ? 'the answer has no id' : typeof b?.secret !== 'string' ? 'the create answer must show the secret once (D9)' : undefined));
    const webhookId: string = created.body.id;
    ctx.secrets.add(created.body.secret);
    await s.step('list', s.path('listWebhooks'), [200], (_e, b) => {
      const list = Array.isArray(b?.webhooks) ? b.webhooks : [];
      if (!list.some((w: { id?: string }) => w?.id === webhookId)) return 'the list does not contain the new webhook';
      if (list.some((w: object) => w && 'secret' in w)) return 'the list shows secrets; D9: the secret is shown only in the create answer';
      return undefined;
    });
    await s.step('delete', s.path('deleteWebhook', { webhookId }), [204]);
    await s.step('list after delete', s.path('listWebhooks'), [200], (_e, b) => (Array.isArray(b?.webhooks) && b.webhooks.some((w: { id?: string }) => w?.id === webhookId) ? 'the deleted webhook is still listed' : undefined));
  });
}

const SCENARIOS: Record<string, { ops: string[]; run: (ctx: CheckContext) => Promise<void> }> = {
  memory: { ops: ['storeMemory', 'getMemory', 'updateMemory', 'deleteMemory'], run: memory },
  projects: { ops: ['createProject', 'getProject', 'updateProject', 'listProjects', 'deleteProject'], run: projects },
  'api-keys': { ops: ['createApiKey', 'revokeApiKey'], run: apiKeys },
  agents: { ops: ['spawnAgent', 'getAgent', 'cancelAgent'], run: agents },
  webhooks: { ops: ['createWebhook', 'listWebhooks', 'deleteWebhook'], run: webhooks },
};

export const resourceLifecycle: Check = {
  id: 'resource-lifecycle',
  title: 'Resources live and die as documented',
  description: 'Create, read, update, delete then 404 for memories, projects, API keys, agents and webhooks; duplicate 409s; a revoked key gets 401 (D10).',
  needs: ['full'],
  async run(ctx) {
    const wanted = new Set(ctx.operations().map((o) => o.operationId));
    await Promise.all(Object.values(SCENARIOS).filter((sc) => !ctx.filtered || sc.ops.some((o) => wanted.has(o))).map((sc) => sc.run(ctx)));
  },
};
