// The shape of one mutation of the mutating proxy: a rule of the contract broken on purpose,
// named, and mapped to the ONE check meant to catch it. A mutation may rewrite requests on their
// way to the target, buffered responses on their way back, the events of a text/event-stream
// response, or webhook deliveries the target makes (relayed through the proxy, see proxy.ts).
// Limits: hooks see whole bodies (streams event by event); the request, response and delivery
// hooks may return a promise (to add latency); a hook returning undefined leaves the message untouched.

export interface ProxiedRequest {
  method: string;
  /** Path and query below the target's origin, e.g. `/v2/memory/abc?x=1`. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface ProxiedResponse {
  status: number;
  /** Lower-case header names (no hop-by-hop headers, no content-length). */
  headers: Record<string, string>;
  body: Buffer;
}

/** A webhook delivery the target makes, before it reaches the runner's receiver. */
export interface RelayedDelivery {
  headers: Record<string, string>;
  body: Buffer;
  /** The webhook's secret as the target returned it from createWebhook (undefined if unseen). */
  secret?: string;
}

/** Per-stream rewriter of text/event-stream bodies: each `data` payload in, payloads out. */
export interface StreamRewriter {
  event(data: string): string[];
  /** Called when the upstream stream ends; payloads to send before closing. */
  end(): string[];
}

/** State a mutation may keep across exchanges of one proxy instance. */
export interface MutationState {
  [key: string]: unknown;
}

export interface MutationEnv {
  /** Keys by role, as the runner is given them (to swap one key for another). */
  keys: { full: string; readonly: string; restricted: string; exhaust: string; spare: string };
  state: MutationState;
}

export interface Mutation {
  /** Kebab-case name, used to select it. */
  name: string;
  /** The check id meant to catch it; no other check may fail because of it. */
  check: string;
  /** What is broken, in one sentence. */
  description: string;
  request?(req: ProxiedRequest, env: MutationEnv): Awaitable<ProxiedRequest | ProxiedResponse | undefined>;
  response?(res: ProxiedResponse, req: ProxiedRequest, env: MutationEnv): Awaitable<ProxiedResponse | undefined>;
  stream?(req: ProxiedRequest, env: MutationEnv): StreamRewriter | undefined;
  delivery?(d: RelayedDelivery, env: MutationEnv): Awaitable<RelayedDelivery | undefined>;
}

type Awaitable<T> = T | Promise<T>;

/** True for a response object (a request hook short-circuiting the target). */
export function isResponse(x: ProxiedRequest | ProxiedResponse): x is ProxiedResponse {
  return 'status' in x;
}
