// The mock's configuration: its TypeScript type (the source of generated/mock-config.schema.json,
// produced by typescript-json-schema) and the defaults (the demo keys and plans of D7/D11).
// Loading and validation live in config-load.ts (re-exported here).
// Limits: every field is documented here, since the JSDoc becomes the schema's descriptions.

/** API areas (the contract's tags) a restricted key can be scoped to. */
type Scope = 'query' | 'memory' | 'codebase' | 'agents' | 'projects' | 'user' | 'webhooks';

/** Plan names of the contract (`UserPlan`). */
export type PlanName = 'free' | 'pro' | 'team' | 'enterprise';

/** Key types of the API reference (D4). */
export type KeyType = 'development' | 'production' | 'readonly' | 'restricted';

/**
 * One key of the key ring.
 * @additionalProperties false
 */
interface Key {
  /**
   * The full bearer key.
   * @pattern ^cc_(live|test)_[A-Za-z0-9_]{8,}$
   */
  key: string;
  /**
   * Name of the account (a key of `accounts`) the key belongs to; state is per account.
   * @minLength 1
   */
  account: string;
  /** Key type: `readonly` keys may only GET, `restricted` keys only their `scopes`. */
  type: KeyType;
  /** API areas a `restricted` key may use; ignored for other types. */
  scopes?: Scope[];
  /**
   * Display name shown in `GET /user/api-keys`.
   * @minLength 1
   * @maxLength 100
   */
  name?: string;
}

/**
 * Rate-limit plan (D7): a token bucket of `burst` refilled at `perMinute / 60` a second, plus a daily quota.
 * @additionalProperties false
 */
interface Plan {
  /**
   * Refill rate of the bucket in requests a minute; also the `X-RateLimit-Limit` header.
   * @TJS-type integer
   * @minimum 1
   */
  perMinute: number;
  /**
   * Requests a day per key, reset at 00:00 UTC; `null` means unlimited.
   * @TJS-type ["integer", "null"]
   * @minimum 1
   */
  perDay: number | null;
  /**
   * Capacity of the token bucket (the largest burst).
   * @TJS-type integer
   * @minimum 1
   */
  burst: number;
}

/**
 * The four plans of the contract (D7).
 * @additionalProperties false
 */
interface Plans {
  /** The free plan. */
  free: Plan;
  /** The pro plan. */
  pro: Plan;
  /** The team plan. */
  team: Plan;
  /** The enterprise plan. */
  enterprise: Plan;
}

/**
 * An account: the owner of state (memories, projects, ...) and of keys.
 * @additionalProperties false
 */
interface Account {
  /** The account's plan. */
  plan: PlanName;
  /**
   * The user's display name (`GET /user/me`).
   * @minLength 1
   */
  name: string;
  /**
   * The user's e-mail address (`GET /user/me`).
   * @format email
   */
  email: string;
}

/**
 * Pacing of Server-Sent Event streams.
 * @additionalProperties false
 */
interface StreamPacing {
  /**
   * Pause between two `delta` events, in milliseconds.
   * @TJS-type integer
   * @minimum 0
   * @maximum 60000
   */
  deltaDelayMs: number;
  /**
   * Interval of `: keep-alive` comment lines while a stream is open, in milliseconds.
   * @TJS-type integer
   * @minimum 100
   * @maximum 600000
   */
  keepAliveMs: number;
}

/**
 * Webhook delivery policy (D9).
 * @additionalProperties false
 */
interface WebhookDelivery {
  /**
   * First retry delay in milliseconds; attempt n waits `backoffBaseMs * 2^(n-1)`.
   * @TJS-type integer
   * @minimum 1
   */
  backoffBaseMs: number;
  /**
   * Attempts per event, the first included.
   * @TJS-type integer
   * @minimum 1
   * @maximum 20
   */
  maxAttempts: number;
  /**
   * Time a receiver has to answer one attempt, in milliseconds.
   * @TJS-type integer
   * @minimum 1
   */
  timeoutMs: number;
}

/**
 * Request body size limits (D5): larger bodies get 413 PAYLOAD_TOO_LARGE.
 * @additionalProperties false
 */
interface BodyLimits {
  /**
   * Largest JSON body in bytes on all paths but `/codebase/*`.
   * @TJS-type integer
   * @minimum 1024
   */
  jsonBytes: number;
  /**
   * Largest JSON body in bytes on `/codebase/*`.
   * @TJS-type integer
   * @minimum 1024
   */
  codebaseBytes: number;
}

/**
 * The mock's configuration file (`npm start -- --config FILE`). Every field is optional in the file.
 * @additionalProperties false
 */
export interface MockConfig {
  /** Optional link to this schema, for editors. */
  $schema?: string;
  /** The key ring (D11). A config file that sets it replaces the demo keys. */
  keys: Key[];
  /** Accounts by name. */
  accounts: { [name: string]: Account };
  /** Rate-limit plans (D7), by the contract's plan names. */
  plans: Plans;
  /**
   * Latency added to every API response, in milliseconds (`Prefer: delay=<ms>` overrides it per request).
   * @TJS-type integer
   * @minimum 0
   * @maximum 60000
   */
  latencyMs: number;
  /**
   * Time an agent stays `running` before it is `completed` (or `failed`), in milliseconds.
   * @TJS-type integer
   * @minimum 0
   */
  agentDurationMs: number;
  /**
   * An agent whose prompt contains this word (case-insensitive) ends `failed` instead of `completed`.
   * @minLength 1
   */
  agentFailWord: string;
  /** Pacing of SSE streams. */
  stream: StreamPacing;
  /** Webhook delivery policy. */
  webhooks: WebhookDelivery;
  /** Request body size limits. */
  bodyLimits: BodyLimits;
}

// Exported as aliases so that typescript-json-schema names the definitions plainly (exported
// interfaces of an ES module get `import("<path>")`-qualified, machine-specific names).
export type KeyScope = Scope;
export type KeyConfig = Key;
export type PlanConfig = Plan;
export type PlansConfig = Plans;
export type AccountConfig = Account;
export type StreamPacingConfig = StreamPacing;
export type WebhookDeliveryConfig = WebhookDelivery;
export type BodyLimitsConfig = BodyLimits;

/** What a config file or object may hold: any subset, at any depth (arrays are replaced whole). */
export type MockConfigInput = DeepPartial<MockConfig>;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** The defaults: the demo keys, accounts and plans of D7 and D11. */
export function defaultConfig(): MockConfig {
  return {
    keys: [
      { key: 'cc_test_demo_free', account: 'free', type: 'development', name: 'Demo free key' },
      { key: 'cc_test_demo_pro', account: 'pro', type: 'development', name: 'Demo pro key' },
      { key: 'cc_test_demo_team', account: 'team', type: 'development', name: 'Demo team key' },
      { key: 'cc_live_demo_enterprise', account: 'enterprise', type: 'production', name: 'Demo enterprise key' },
      { key: 'cc_test_demo_readonly', account: 'pro', type: 'readonly', name: 'Demo read-only key' },
      { key: 'cc_test_demo_restricted', account: 'pro', type: 'restricted', scopes: ['memory'], name: 'Demo restricted key' },
    ],
    accounts: {
      free: { plan: 'free', name: 'Frida Free', email: 'free@demo.chaozcode.com' },
      pro: { plan: 'pro', name: 'Priya Pro', email: 'pro@demo.chaozcode.com' },
      team: { plan: 'team', name: 'Tomás Team', email: 'team@demo.chaozcode.com' },
      enterprise: { plan: 'enterprise', name: 'Erin Enterprise', email: 'enterprise@demo.chaozcode.com' },
    },
    plans: {
      free: { perMinute: 10, perDay: 100, burst: 20 },
      pro: { perMinute: 60, perDay: 10_000, burst: 100 },
      team: { perMinute: 300, perDay: 100_000, burst: 500 },
      enterprise: { perMinute: 1_000, perDay: null, burst: 2_000 },
    },
    latencyMs: 0,
    agentDurationMs: 5_000,
    agentFailWord: 'fail',
    stream: { deltaDelayMs: 20, keepAliveMs: 15_000 },
    webhooks: { backoffBaseMs: 1_000, maxAttempts: 5, timeoutMs: 10_000 },
    bodyLimits: { jsonBytes: 1_048_576, codebaseBytes: 10_485_760 },
  };
}

export { ConfigError, configSchemaPath, loadConfig, mergeConfig, validateConfig } from './config-load.ts';
