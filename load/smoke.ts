// Smoke test: one virtual user calls each of the 35 operations once, in an order that creates
// resources, uses them and cleans them up (memory deleted, agent cancelled, project, key and webhook
// deleted, the user's name written back unchanged), then probes the error envelope (401, 400, 422,
// 403, 404). Checks status, content type, X-Request-Id, the rate-limit headers and the envelope.
// Run: k6 run load/smoke.ts   (BASE_URL, KEY, KEY_READONLY, WEBHOOK_URL; see load/README.md)
// Limits: about 45 requests, so the key needs a burst of at least 50 (pro or above; the default is
// the enterprise demo key, so repeated runs never meet a 429); no 429 is tolerated here.
import http from 'k6/http';
import { group } from 'k6';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { DEMO_KEYS, readConfig } from './lib/config.ts';
import { OPERATIONS, uniqueSuffix } from './lib/operations.ts';
import type { OpContext } from './lib/operations.ts';
import { checkAnswer, errorChecks, field, record, send } from './lib/api.ts';
import type { Res } from './lib/api.ts';
import { checkStreamAnswer } from './lib/stream-checks.ts';
import { header } from './lib/rate-rules.ts';
import { summaryOutputs } from './lib/summary.ts';
import type { SummaryData } from './lib/summary.ts';

const cfg = readConfig(__ENV, { key: DEMO_KEYS.enterprise, plan: 'enterprise', duration: '30s', vus: 1 });

export const options: Options = {
  scenarios: {
    smoke: { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '30s', exec: 'smoke' },
  },
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
    'http_req_duration{expected_response:true}': ['p(95)<2000'],
    'checks{probe:error}': ['rate==1'],
  },
};

const called: { [op: string]: boolean } = {};

/** Sends one operation, checks it, remembers that it was called; returns the response. */
function call(opId: string, ctx: OpContext): Res {
  const sent = send(cfg, opId, ctx);
  called[opId] = true;
  if (sent.spec.kind === 'sse') checkStreamAnswer(sent, cfg, false);
  else checkAnswer(sent, cfg);
  return sent.res;
}

/** A dependent step whose id is missing is a failed check, not a silent skip. */
function need(id: string, what: string): boolean {
  record([{ name: `smoke: got ${what}`, ok: id !== '', detail: `no ${what} in the create response` }], {}, 'smoke');
  return id !== '';
}

function queryArea(ctx: OpContext): void {
  call('listModels', ctx);
  call('createQuery', ctx);
  call('streamQuery', ctx);
  call('createChatCompletion', ctx);
}

function memoryArea(ctx: OpContext): void {
  const memoryId = field(call('storeMemory', ctx), 'id');
  if (need(memoryId, 'memory id')) {
    const m = { ...ctx, memoryId };
    call('getMemory', m);
    call('updateMemory', m);
    call('searchMemories', m);
    call('buildMemoryContext', m);
    call('getMemoryStats', m);
    call('deleteMemory', m);
    const gone = send(cfg, 'getMemory', m, { expect: [404], extraTags: { probe: 'error' } });
    checkAnswer(gone, cfg, { status: 404, code: 'NOT_FOUND' });
  }
}

function codebaseArea(ctx: OpContext): void {
  for (const op of ['analyzeCodebase', 'generateCode', 'reviewCode', 'fixCode']) call(op, ctx);
}

function agentsArea(ctx: OpContext): void {
  call('listAgentTypes', ctx);
  const agentId = field(call('spawnAgent', ctx), 'agentId');
  if (need(agentId, 'agent id')) {
    call('getAgent', { ...ctx, agentId });
    call('cancelAgent', { ...ctx, agentId });
  }
}

function projectsArea(ctx: OpContext): void {
  const projectId = field(call('createProject', ctx), 'id');
  call('listProjects', ctx);
  if (need(projectId, 'project id')) {
    const p = { ...ctx, projectId };
    call('getProject', p);
    call('updateProject', p);
    call('deleteProject', p);
  }
}

function userArea(ctx: OpContext): void {
  const userName = field(call('getCurrentUser', ctx), 'name');
  if (need(userName, 'user name')) call('updateCurrentUser', { ...ctx, userName });
  call('getUsage', ctx);
  // The new key is never logged: only its id is kept, and it is revoked at once.
  const keyId = field(call('createApiKey', ctx), 'id');
  call('listApiKeys', ctx);
  if (need(keyId, 'api key id')) call('revokeApiKey', { ...ctx, keyId });
}

function webhooksArea(ctx: OpContext): void {
  const webhookId = field(call('createWebhook', ctx), 'id');
  call('listWebhooks', ctx);
  if (need(webhookId, 'webhook id')) {
    call('testWebhook', { ...ctx, webhookId });
    call('deleteWebhook', { ...ctx, webhookId });
  }
}

/** Refusals: each must be the D5 envelope with the right code; none counts as a failed request. */
function errorProbes(ctx: OpContext): void {
  const tags = { probe: 'error' };
  const noKey = send(cfg, 'getCurrentUser', ctx, { key: null, expect: [401], extraTags: tags });
  checkAnswer(noKey, cfg, { status: 401, code: 'UNAUTHORIZED' });
  record(
    [
      { name: '401: WWW-Authenticate Bearer', ok: /^Bearer/i.test(header(noKey.res.headers, 'WWW-Authenticate') ?? ''), detail: 'no WWW-Authenticate: Bearer' },
      { name: '401: no rate-limit headers', ok: header(noKey.res.headers, 'X-RateLimit-Limit') === undefined, detail: 'X-RateLimit-Limit on a 401' },
    ],
    noKey.tags,
    '401',
  );
  const unknown = send(cfg, 'getCurrentUser', ctx, { key: 'cc_test_k6_unknown_key', expect: [401], extraTags: tags });
  checkAnswer(unknown, cfg, { status: 401, code: 'UNAUTHORIZED' });
  const missing = send(cfg, 'createQuery', ctx, { rawBody: '{}', expect: [400], extraTags: tags });
  checkAnswer(missing, cfg, { status: 400, code: 'INVALID_REQUEST' });
  const invalid = send(cfg, 'createQuery', ctx, { rawBody: JSON.stringify({ prompt: 'hi', temperature: 5 }), expect: [422], extraTags: tags });
  checkAnswer(invalid, cfg, { status: 422, code: 'VALIDATION_ERROR' });
  const notFound = send(cfg, 'getProject', { ...ctx, projectId: 'proj_k6DoesNotExist0' }, { expect: [404], extraTags: tags });
  checkAnswer(notFound, cfg, { status: 404, code: 'NOT_FOUND' });
  if (cfg.readonlyKey !== '') {
    const readonly = send(cfg, 'storeMemory', { ...ctx, memoryId: `k6-ro-${ctx.unique}` }, { key: cfg.readonlyKey, expect: [403], extraTags: tags });
    checkAnswer(readonly, cfg, { status: 403, code: 'FORBIDDEN' });
  }
  const unknownPath = http.get(`${cfg.baseUrl}/k6-no-such-path`, {
    headers: { Authorization: `Bearer ${cfg.key}` },
    tags: { ...tags, area: 'none', name: 'GET /k6-no-such-path' },
    responseCallback: http.expectedStatuses(404),
    responseType: 'text',
  });
  record([{ name: 'unknown path: 404', ok: unknownPath.status === 404, detail: `status ${unknownPath.status}` }, ...errorChecks(unknownPath, 'unknown path')], tags, 'unknown path');
}

export function smoke(): void {
  const ctx: OpContext = { unique: `smoke-${uniqueSuffix(Date.now(), exec.vu.idInTest, exec.vu.iterationInScenario)}`, webhookUrl: cfg.webhookUrl };
  ctx.memoryId = `k6-${ctx.unique}`;
  group('health', () => {
    const res = call('getHealth', ctx);
    record([{ name: 'getHealth: no rate-limit headers', ok: header(res.headers, 'X-RateLimit-Limit') === undefined, detail: 'X-RateLimit-Limit present on /health' }], {}, 'health');
  });
  group('query', () => queryArea(ctx));
  group('memory', () => memoryArea(ctx));
  group('codebase', () => codebaseArea(ctx));
  group('agents', () => agentsArea(ctx));
  group('projects', () => projectsArea(ctx));
  group('user', () => userArea(ctx));
  group('webhooks', () => webhooksArea(ctx));
  group('errors', () => errorProbes(ctx));
  const missed = OPERATIONS.filter((o) => !called[o.id]).map((o) => o.id);
  record([{ name: `smoke: all ${OPERATIONS.length} operations called`, ok: missed.length === 0, detail: `not called: ${missed.join(', ')}` }], {}, 'smoke');
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs('smoke', cfg.resultsDir, data);
}
