// Light shape checks of success bodies, one per operation: the fields a client of each operation
// reads first (ids with their prefixes, list keys, the usage arithmetic, sorted search results), plus
// the D5 error envelope. Not schema validation: that is the conformance runner's job; a load test
// only needs to notice that a fast answer is also a right-looking one. Pure: no k6 imports.
// Limits: fields are checked by presence and type, not against the full schemas.

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, re?: RegExp): boolean => typeof v === 'string' && (re ? re.test(v) : v.length > 0);
const arr = (v: unknown): v is unknown[] => Array.isArray(v);
const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function usageAddsUp(u: unknown): boolean {
  if (!isObj(u) || !int(u.totalTokens)) return false;
  if (u.promptTokens === undefined && u.completionTokens === undefined) return true;
  return int(u.promptTokens) && int(u.completionTokens) && u.totalTokens === u.promptTokens + u.completionTokens;
}

function sortedByScore(results: unknown[]): boolean {
  for (let i = 1; i < results.length; i++) {
    const a = results[i - 1];
    const b = results[i];
    if (!isObj(a) || !isObj(b) || typeof a.score !== 'number' || typeof b.score !== 'number' || a.score < b.score) return false;
  }
  return true;
}

/** For each operation with a JSON success body: what its first fields must look like. */
export const SHAPES: Record<string, (b: Json) => boolean> = {
  getHealth: (b) => str(b.status) && str(b.version),
  createQuery: (b) => str(b.id, /^query_/) && typeof b.text === 'string' && usageAddsUp(b.usage),
  createChatCompletion: (b) => str(b.conversationId, /^conv_/) && isObj(b.message) && usageAddsUp(b.usage),
  listModels: (b) => arr(b.models) && b.models.length > 0,
  storeMemory: (b) => b.ok === true && str(b.id) && str(b.vectorId, /^vec_/),
  searchMemories: (b) => arr(b.results) && int(b.total) && sortedByScore(b.results),
  getMemory: (b) => str(b.id) && typeof b.content === 'string' && int(b.version),
  updateMemory: (b) => str(b.id) && int(b.version) && (b.version as number) >= 2,
  deleteMemory: (b) => b.ok === true && str(b.deletedAt) && str(b.recoverableUntil),
  getMemoryStats: (b) => int(b.vectorCount) && str(b.status),
  buildMemoryContext: (b) => typeof b.context === 'string' && arr(b.memories) && int(b.tokenCount),
  analyzeCodebase: (b) => isObj(b.summary),
  generateCode: (b) => typeof b.code === 'string' && str(b.language),
  reviewCode: (b) => typeof b.score === 'number' && arr(b.issues),
  fixCode: (b) => typeof b.fixedCode === 'string' && arr(b.changes),
  spawnAgent: (b) => str(b.agentId, /^agent_/) && b.status === 'running',
  getAgent: (b) => str(b.agentId, /^agent_/) && str(b.status),
  listAgentTypes: (b) => arr(b.types) && b.types.length > 0,
  cancelAgent: (b) => str(b.agentId, /^agent_/) && b.status === 'cancelled',
  listProjects: (b) => arr(b.projects) && 'nextCursor' in b,
  createProject: (b) => str(b.id, /^proj_/) && str(b.name),
  getProject: (b) => str(b.id, /^proj_/),
  updateProject: (b) => str(b.id, /^proj_/),
  getCurrentUser: (b) => str(b.id, /^user_/) && str(b.plan),
  updateCurrentUser: (b) => str(b.id, /^user_/),
  getUsage: (b) => isObj(b.requests) && isObj(b.tokens) && arr(b.daily),
  listApiKeys: (b) => arr(b.apiKeys),
  createApiKey: (b) => str(b.id, /^key_/) && str(b.key, /^cc_(live|test)_/),
  listWebhooks: (b) => arr(b.webhooks),
  createWebhook: (b) => str(b.id, /^whk_/) && b.active === true && str(b.secret),
  testWebhook: (b) => str(b.eventId, /^evt_/) && typeof b.delivered === 'boolean' && int(b.durationMs),
};

export function parseObject(body: string | null | undefined): Json | null {
  if (typeof body !== 'string' || body === '') return null;
  try {
    const v: unknown = JSON.parse(body);
    return isObj(v) ? v : null;
  } catch {
    return null;
  }
}

/** The D5 envelope: `{error: {code, message, details?, requestId}}`, requestId = X-Request-Id. */
export function envelopeProblem(body: string | null | undefined, requestIdHeader: string | undefined, wantCode?: string): string {
  const b = parseObject(body);
  const e = b && isObj(b.error) ? b.error : null;
  if (!e) return 'body is not {"error": {...}}';
  if (!str(e.code)) return 'error.code missing';
  if (wantCode !== undefined && e.code !== wantCode) return `error.code ${String(e.code)}, want ${wantCode}`;
  if (typeof e.message !== 'string') return 'error.message missing';
  if (!str(e.requestId, /^req_/)) return 'error.requestId is not req_…';
  if (e.requestId !== requestIdHeader) return 'error.requestId differs from X-Request-Id';
  return '';
}

/**
 * Masks secrets in text bound for a log line: API keys (`cc_live_…`/`cc_test_…`) and the values of
 * `key`/`secret` fields are cut to their first 8 characters.
 */
export function redact(text: string): string {
  return text
    .replace(/("(?:key|secret)"\s*:\s*")([^"]*)"/g, (_m, head: string, value: string) => `${head}${value.slice(0, 8)}…"`)
    .replace(/\bcc_(live|test)_[A-Za-z0-9_]+/g, (k: string) => `${k.slice(0, 8)}…`);
}
