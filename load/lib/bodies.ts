// Realistic request bodies for every operation that takes one, valid against the contract's request
// schemas (closed objects, enums, lengths). Pure (no k6 imports), so the Node harness test sends the
// very same bodies to the mock. Variety comes from small pools picked with `rand`.
// Limits: the pools are small and English-only; bodies stay a few KiB (no 413 testing here).

export type Rand = () => number;

export function pickOne<T>(items: readonly T[], rand: Rand = Math.random): T {
  return items[Math.floor(rand() * items.length) % items.length];
}

const MODELS = ['gpt-4', 'claude-3-sonnet', 'gemini-pro'] as const;

const PROMPTS = [
  'Explain the difference between REST and GraphQL',
  'Summarise the trade-offs of optimistic locking for a REST API in five bullet points.',
  'Write a TypeScript function that retries a fetch with exponential backoff and jitter.',
  'What are the common causes of N+1 queries in an ORM, and how do I find them?',
  'Draft a short changelog entry for a release that adds rate-limit headers to every response.',
] as const;

const SEARCHES = [
  'how did we implement OAuth2 login',
  'rate limiting decisions for the public API',
  'database migration checklist',
  'frontend state management conventions',
  'incident postmortem for the March outage',
] as const;

const TAG_POOL = ['auth', 'security', 'api', 'frontend', 'database', 'ops', 'design', 'k6'] as const;

const SNIPPETS = [
  { language: 'typescript', code: 'export async function getUser(id: string) {\n  const res = await fetch(`/api/users/${id}`);\n  return res.json();\n}\n' },
  { language: 'javascript', code: 'const q = `SELECT * FROM users WHERE id = ${req.params.id}`;\ndb.query(q);\n' },
  { language: 'python', code: 'def total(items):\n    return sum(i["price"] for i in items) / len(items)\n' },
] as const;

export function queryBody(rand: Rand = Math.random): Record<string, unknown> {
  return {
    prompt: pickOne(PROMPTS, rand),
    model: pickOne(MODELS, rand),
    temperature: Math.round(rand() * 10) / 10,
    maxTokens: 256 + Math.floor(rand() * 4) * 128,
  };
}

export function streamBody(rand: Rand = Math.random): Record<string, unknown> {
  return { ...queryBody(rand), systemPrompt: 'You are a concise senior engineer.' };
}

export function chatBody(rand: Rand = Math.random): Record<string, unknown> {
  return {
    messages: [
      { role: 'system', content: 'You are a helpful coding assistant.' },
      { role: 'user', content: 'How do I create a React hook?' },
      { role: 'assistant', content: "Here's how to create a custom React hook: name it useSomething and call other hooks inside it." },
      { role: 'user', content: pickOne(['Can you show an example with useState?', 'And one that debounces a value?'], rand) },
    ],
    model: pickOne(MODELS, rand),
  };
}

/** Two pool tags plus `k6`, without duplicates (tags are `uniqueItems`). */
function tags(rand: Rand): string[] {
  const all = [pickOne(TAG_POOL, rand), pickOne(TAG_POOL, rand), 'k6'];
  return all.filter((t, i) => all.indexOf(t) === i);
}

/** `id` must be unique per account (a reused id is 409, also after a soft delete). */
export function memoryStoreBody(id: string, rand: Rand = Math.random): Record<string, unknown> {
  return {
    id,
    content: `Load-test note: ${pickOne(SEARCHES, rand)}. Decided to keep tokens in httpOnly cookies and rotate refresh tokens daily.`,
    tags: tags(rand),
    importance: pickOne(['low', 'medium', 'high', 'critical'], rand),
    metadata: { source: 'k6', script: 'load', ticket: `LOAD-${Math.floor(rand() * 1000)}` },
  };
}

export function memoryUpdateBody(rand: Rand = Math.random): Record<string, unknown> {
  return { importance: pickOne(['medium', 'high'], rand), tags: tags(rand) };
}

export function memorySearchBody(rand: Rand = Math.random): Record<string, unknown> {
  return { query: pickOne(SEARCHES, rand), limit: pickOne([5, 10, 20], rand), minScore: pickOne([0, 0.2, 0.5], rand) };
}

export function memoryContextBody(rand: Rand = Math.random): Record<string, unknown> {
  return { query: pickOne(SEARCHES, rand), maxTokens: pickOne([1000, 2000, 4000], rand) };
}

export function analyzeBody(rand: Rand = Math.random): Record<string, unknown> {
  const s = pickOne(SNIPPETS, rand);
  return {
    files: [
      { path: 'src/hooks/useAuth.ts', content: 'export function useAuth() {\n  return useContext(AuthContext);\n}\n' },
      { path: `src/lib/example.${s.language === 'python' ? 'py' : 'ts'}`, content: s.code },
      { path: 'package.json', content: '{"name":"web","dependencies":{"react":"^18.3.0"}}\n' },
    ],
    depth: pickOne(['basic', 'standard'], rand),
  };
}

export function generateBody(rand: Rand = Math.random): Record<string, unknown> {
  return {
    task: pickOne(['Create a React hook that debounces a value', 'Write an Express middleware that adds X-Request-Id'], rand),
    language: 'typescript',
    style: { indent: 2, quotes: 'single', semicolons: true },
  };
}

export function reviewBody(rand: Rand = Math.random): Record<string, unknown> {
  const s = pickOne(SNIPPETS, rand);
  return { code: s.code, language: s.language, focus: ['security', 'bugs'] };
}

export function fixBody(): Record<string, unknown> {
  return {
    code: 'function total(items) {\n  return items.reduce((s, i) => s + i.price);\n}\n',
    error: 'TypeError: total([]) throws: Reduce of empty array with no initial value',
    context: 'Called from the checkout page with the cart items.',
  };
}

export function spawnAgentBody(rand: Rand = Math.random): Record<string, unknown> {
  return {
    type: pickOne(['explore', 'task', 'code-review', 'general-purpose'], rand),
    prompt: 'Find every file that handles authentication and explain the login flow.',
    timeout: 300,
  };
}

/** Project names are unique per account: pass a unique suffix. */
export function projectCreateBody(unique: string): Record<string, unknown> {
  return {
    name: `k6 ${unique}`,
    description: 'Created by a k6 load script; deleted at the end of the run.',
    settings: { defaultModel: 'claude-3-sonnet', memoryTags: ['k6'], reviewOnPush: false },
  };
}

export function projectUpdateBody(): Record<string, unknown> {
  return { description: 'Updated by a k6 load script.', settings: { reviewOnPush: true } };
}

/** Sends back the current name, so the account is left as it was. */
export function userUpdateBody(currentName: string): Record<string, unknown> {
  return { name: currentName };
}

export function apiKeyCreateBody(unique: string): Record<string, unknown> {
  return { name: `k6 ${unique}`, type: 'restricted', scopes: ['memory', 'query'] };
}

export function webhookCreateBody(url: string): Record<string, unknown> {
  return { url, events: ['memory.stored', 'agent.completed'] };
}
