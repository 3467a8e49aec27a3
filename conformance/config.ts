// The conformance runner's configuration: the file format (`ConformanceConfig`, whose JSON Schema
// is generated into generated/conformance-config.schema.json by typescript-json-schema) and the
// resolved form the runner uses (defaults applied). Merging flags, environment and file is in
// cli-options.ts; this file only declares and resolves.
// Limits: numbers are validated by the schema's bounds only when read from a file; the CLI
// validates its own flags. Self-contained on purpose (no imports), so that the schema generator
// compiles it alone.

/** The roles of the keys a run can be given. */
export type KeyRole = 'full' | 'readonly' | 'restricted' | 'exhaust';

/** Policy level of a check: `error` fails the run, `warning` is reported only, `off` skips it. */
export type Severity = 'error' | 'warning' | 'off';

/** API keys by role. Each is `cc_live_...` or `cc_test_...`; never printed in full. */
export interface ConformanceKeys {
  /** A key with full access and limits high enough for the whole suite (no accidental 429). */
  full?: string;
  /** A `readonly` key: GET only, anything else must be 403. */
  readonly?: string;
  /** A `restricted` key: only the API areas in `restrictedScopes`. */
  restricted?: string;
  /** A key on a small plan that the rate-limit checks may exhaust (used by nothing else). */
  exhaust?: string;
}

/** Where reports are written. */
export interface ConformanceReports {
  /** JUnit XML file (one testsuite per check, one testcase per check and operation). */
  junit?: string;
  /** JSON report file (schema: generated/conformance-report.schema.json). */
  json?: string;
}

/** How the webhook checks receive deliveries. */
export interface ConformanceWebhookOptions {
  /**
   * Host (and optional port) the local receiver binds, e.g. `127.0.0.1` or `127.0.0.1:0`.
   * @default "127.0.0.1"
   */
  receiverHost?: string;
  /**
   * Public URL that forwards to the local receiver, for targets that cannot reach this
   * machine (an `https://` tunnel). Without it the receiver's loopback URL is registered.
   */
  publicUrl?: string;
}

/** Bounds of the rate-limit checks. */
export interface ConformanceRateLimitOptions {
  /**
   * Longest Retry-After the enforcement check waits for before reporting it cannot verify
   * admission (ms).
   * @minimum 0
   * @maximum 120000
   * @default 15000
   */
  maxWaitMs?: number;
}

/** The configuration file of `chaozcode-conformance --config FILE`. Flags override it. */
export interface ConformanceConfig {
  /** JSON Schema reference, for editors. */
  $schema?: string;
  /**
   * Base URL of the implementation under test, including the version prefix,
   * e.g. `http://127.0.0.1:4010/v2`.
   * @pattern ^https?://
   */
  baseUrl?: string;
  /** API keys by role. */
  keys?: ConformanceKeys;
  /**
   * Scopes (API areas, the operation tags) of the restricted key, e.g. `["memory"]`.
   * Without them the restricted-key cases are skipped.
   */
  restrictedScopes?: string[];
  /** Run only these check ids. */
  only?: string[];
  /** Do not run these check ids. */
  skip?: string[];
  /** Limit the run to these operationIds. */
  operations?: string[];
  /**
   * Per-request timeout in ms (time to headers, and between body chunks).
   * @minimum 100
   * @maximum 600000
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Requests in flight at once.
   * @minimum 1
   * @maximum 64
   * @default 4
   */
  concurrency?: number;
  /**
   * Largest response body read, in bytes; a bigger one is a finding and its connection is aborted.
   * @minimum 1024
   * @default 5242880
   */
  maxBodyBytes?: number;
  /**
   * Upper bound of the whole run in ms; when reached the run stops and reports what it has.
   * @minimum 1000
   * @default 300000
   */
  maxRunMs?: number;
  /**
   * Longest time one streamed response is read before it is cut (ms).
   * @minimum 100
   * @default 15000
   */
  streamMaxMs?: number;
  /**
   * Accepted difference between this machine's clock and the target's, for X-RateLimit-Reset (ms).
   * @minimum 0
   * @default 120000
   */
  clockSkewMs?: number;
  /** Include opt-in slow checks. */
  slow?: boolean;
  /** Severity per check id, overriding the preset: `error` fails the run, `warning` reports, `off` skips. */
  severity?: { [checkId: string]: Severity };
  /** Where reports are written. */
  reports?: ConformanceReports;
  /** Webhook receiver options. */
  webhook?: ConformanceWebhookOptions;
  /** Rate-limit check bounds. */
  rateLimit?: ConformanceRateLimitOptions;
  /** Path of the bundled OpenAPI document (default: the package's generated/openapi.json). */
  spec?: string;
}

/** The configuration with every default applied. */
export interface ResolvedConfig {
  baseUrl: string;
  keys: Partial<Record<KeyRole, string>>;
  restrictedScopes?: string[];
  only: string[];
  skip: string[];
  operations: string[];
  timeoutMs: number;
  concurrency: number;
  maxBodyBytes: number;
  maxRunMs: number;
  streamMaxMs: number;
  clockSkewMs: number;
  slow: boolean;
  severity: Record<string, Severity>;
  reports: ConformanceReports;
  webhook: { receiverHost: string; publicUrl?: string };
  rateLimit: { maxWaitMs: number };
  spec: string;
}

export const DEFAULTS = {
  timeoutMs: 10_000,
  concurrency: 4,
  maxBodyBytes: 5 * 1024 * 1024,
  maxRunMs: 300_000,
  streamMaxMs: 15_000,
  clockSkewMs: 120_000,
  rateLimitMaxWaitMs: 15_000,
  receiverHost: '127.0.0.1',
} as const;

/** D11's demo keys of the local mock; `full` is the enterprise key so the suite never hits 429. */
export const DEMO_KEYS: Record<KeyRole, string> = {
  full: 'cc_live_demo_enterprise',
  readonly: 'cc_test_demo_readonly',
  restricted: 'cc_test_demo_restricted',
  exhaust: 'cc_test_demo_free',
};
export const DEMO_RESTRICTED_SCOPES = ['memory'];

export function resolveConfig(c: ConformanceConfig & { baseUrl: string; spec: string }): ResolvedConfig {
  return {
    baseUrl: c.baseUrl.replace(/\/+$/, ''),
    keys: { ...(c.keys ?? {}) },
    restrictedScopes: c.restrictedScopes,
    only: c.only ?? [],
    skip: c.skip ?? [],
    operations: c.operations ?? [],
    timeoutMs: c.timeoutMs ?? DEFAULTS.timeoutMs,
    concurrency: c.concurrency ?? DEFAULTS.concurrency,
    maxBodyBytes: c.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    maxRunMs: c.maxRunMs ?? DEFAULTS.maxRunMs,
    streamMaxMs: c.streamMaxMs ?? DEFAULTS.streamMaxMs,
    clockSkewMs: c.clockSkewMs ?? DEFAULTS.clockSkewMs,
    slow: c.slow ?? false,
    severity: { ...(c.severity ?? {}) },
    reports: { ...(c.reports ?? {}) },
    webhook: { receiverHost: c.webhook?.receiverHost ?? DEFAULTS.receiverHost, publicUrl: c.webhook?.publicUrl },
    rateLimit: { maxWaitMs: c.rateLimit?.maxWaitMs ?? DEFAULTS.rateLimitMaxWaitMs },
    spec: c.spec,
  };
}
