// Configuration of the load scripts, read from k6's `__ENV` (passed in, so this module is pure and
// testable in Node): target, keys, plan, durations and rate scaling. Defaults target the mock at
// http://127.0.0.1:4010/v2 with the demo keys of D11.
// Limits: the plan table is D7's; a deployment with other limits sets PLAN_LIMITS (JSON) instead.

export type PlanName = 'free' | 'pro' | 'team' | 'enterprise';

export interface PlanLimits {
  perMinute: number;
  /** `null`: no daily quota. */
  perDay: number | null;
  burst: number;
}

/** D7's table (enterprise: the contract values the mock uses). */
export const PLAN_LIMITS: Record<PlanName, PlanLimits> = {
  free: { perMinute: 10, perDay: 100, burst: 20 },
  pro: { perMinute: 60, perDay: 10000, burst: 100 },
  team: { perMinute: 300, perDay: 100000, burst: 500 },
  enterprise: { perMinute: 1000, perDay: null, burst: 2000 },
};

export const PLAN_NAMES: PlanName[] = ['free', 'pro', 'team', 'enterprise'];

/** The demo keys of D11, one per plan, plus the readonly one (pro account). */
export const DEMO_KEYS = {
  free: 'cc_test_demo_free',
  pro: 'cc_test_demo_pro',
  team: 'cc_test_demo_team',
  enterprise: 'cc_live_demo_enterprise',
  readonly: 'cc_test_demo_readonly',
} as const;

export type Env = { [name: string]: string | undefined };

export interface LoadConfig {
  /** API base, e.g. http://127.0.0.1:4010/v2 (no trailing slash). */
  baseUrl: string;
  /** scheme://host:port of baseUrl: the mock's control endpoints live there, outside /v2. */
  origin: string;
  /** True when the target is on loopback (the mock, or a local build of the API). */
  local: boolean;
  /** The key the script sends. */
  key: string;
  /** The plan of `key`, which sizes request rates so that the script stays under its limits. */
  plan: PlanName;
  limits: PlanLimits;
  /** One key per plan (rate-limits.ts); '' skips that plan. */
  planKeys: Record<PlanName, string>;
  /** A readonly key for the 403 probe of smoke.ts; '' skips the probe. */
  readonlyKey: string;
  /** Where testWebhook deliveries go. */
  webhookUrl: string;
  /** DURATION override (k6 duration string such as `90s`, `10m`), or the script's default. */
  duration: string;
  /** VUS override, or the script's default. */
  vus: number;
  /** RATE_SCALE multiplier on every arrival rate (after the plan budget). */
  rateScale: number;
  /** RESET: `auto` (reset when local), `true`, `false`. */
  reset: 'auto' | 'true' | 'false';
  /** Folder of the handleSummary JSON files, relative to the working directory. */
  resultsDir: string;
}

export interface ScriptDefaults {
  key: string;
  plan: PlanName;
  duration: string;
  vus: number;
}

/** A configuration value that cannot be used; k6 prints the message and stops in the init stage. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/** Splits `http://host:port/v2` into origin and path; refuses anything that is not an http(s) URL. */
export function parseBaseUrl(raw: string): { baseUrl: string; origin: string; host: string } {
  const m = /^(https?):\/\/([^/?#]+)(\/[^?#]*)?$/i.exec(raw.trim());
  if (!m) throw new ConfigError(`BASE_URL must be an http(s) URL such as http://127.0.0.1:4010/v2 (got "${raw}")`);
  const hostPort = m[2];
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':')[0];
  const path = (m[3] ?? '').replace(/\/+$/, '');
  return { baseUrl: `${m[1].toLowerCase()}://${hostPort}${path}`, origin: `${m[1].toLowerCase()}://${hostPort}`, host };
}

function pick(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined ? fallback : v.trim();
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${name} must be a positive number (got "${raw}")`);
  return n;
}

function planName(raw: string, what: string): PlanName {
  if ((PLAN_NAMES as string[]).includes(raw)) return raw as PlanName;
  throw new ConfigError(`${what} must be one of ${PLAN_NAMES.join(', ')} (got "${raw}")`);
}

function limitsFor(env: Env, plan: PlanName): PlanLimits {
  const raw = env.PLAN_LIMITS;
  if (raw === undefined || raw.trim() === '') return PLAN_LIMITS[plan];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('PLAN_LIMITS must be JSON such as {"perMinute":60,"perDay":10000,"burst":100}');
  }
  const p = parsed as Partial<PlanLimits>;
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
  if (!ok(p.perMinute) || !ok(p.burst) || !(p.perDay === null || ok(p.perDay))) {
    throw new ConfigError('PLAN_LIMITS needs integer perMinute and burst (> 0) and perDay (> 0 or null)');
  }
  return { perMinute: p.perMinute, perDay: p.perDay as number | null, burst: p.burst };
}

/** Reads the whole configuration; throws ConfigError naming the variable on bad input. */
export function readConfig(env: Env, defaults: ScriptDefaults): LoadConfig {
  const { baseUrl, origin, host } = parseBaseUrl(pick(env, 'BASE_URL', 'http://127.0.0.1:4010/v2'));
  const plan = planName(pick(env, 'PLAN', defaults.plan), 'PLAN');
  const duration = pick(env, 'DURATION', defaults.duration);
  if (!DURATION.test(duration)) throw new ConfigError(`DURATION must be a k6 duration such as 90s, 10m or 1h30m (got "${duration}")`);
  const reset = pick(env, 'RESET', 'auto');
  if (reset !== 'auto' && reset !== 'true' && reset !== 'false') throw new ConfigError(`RESET must be auto, true or false (got "${reset}")`);
  const local = LOOPBACK.test(host);
  return {
    baseUrl,
    origin,
    local,
    key: pick(env, 'KEY', defaults.key),
    plan,
    limits: limitsFor(env, plan),
    planKeys: {
      free: pick(env, 'KEY_FREE', DEMO_KEYS.free),
      pro: pick(env, 'KEY_PRO', DEMO_KEYS.pro),
      team: pick(env, 'KEY_TEAM', DEMO_KEYS.team),
      enterprise: pick(env, 'KEY_ENTERPRISE', DEMO_KEYS.enterprise),
    },
    readonlyKey: pick(env, 'KEY_READONLY', local ? DEMO_KEYS.readonly : ''),
    // Port 9 (discard) on loopback refuses at once: testWebhook answers 200 with delivered=false.
    webhookUrl: pick(env, 'WEBHOOK_URL', local ? 'http://127.0.0.1:9/k6-webhook' : 'https://example.com/chaozcode-k6-webhook'),
    duration,
    vus: Math.round(positiveNumber(env, 'VUS', defaults.vus)),
    rateScale: positiveNumber(env, 'RATE_SCALE', 1),
    reset,
    resultsDir: pick(env, 'RESULTS_DIR', 'load/results').replace(/\/+$/, ''),
  };
}

/** Whole seconds of a k6 duration string (`1m30s` -> 90). */
export function durationSeconds(d: string): number {
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(d)) !== null) total += Number(m[1]) * units[m[2]];
  return total;
}

/**
 * Largest steady request rate (per second) that a key of `limits` can keep for `seconds`
 * without a 429, with `headroom` (0..1) kept back: (burst + refill over the run) / run length.
 */
export function budgetPerSecond(limits: PlanLimits, seconds: number, headroom = 0.8): number {
  const perSecond = limits.perMinute / 60;
  const fromBucket = (limits.burst + perSecond * seconds) / Math.max(seconds, 1);
  const fromDay = limits.perDay === null ? Infinity : limits.perDay / Math.max(seconds, 1);
  return Math.min(fromBucket, fromDay) * headroom;
}

/** Masks a secret for logs: the first 8 characters and an ellipsis. */
export function mask(secret: string): string {
  return secret.length <= 8 ? `${secret.slice(0, 2)}…` : `${secret.slice(0, 8)}…`;
}

/**
 * The p95 latency budget of an area in ms: `P95_<AREA>_MS`, else `P95_MS`, else the script's
 * default (sized for the mock; a real model backend answers queries in seconds, so raise it there).
 */
export function p95Budget(env: Env, area: string, fallbackMs: number): number {
  const specific = `P95_${area.toUpperCase()}_MS`;
  if (env[specific] !== undefined && env[specific] !== '') return positiveNumber(env, specific, fallbackMs);
  return positiveNumber(env, 'P95_MS', fallbackMs);
}

/**
 * Scale factor for a script whose base mix sends `basePerSecond` requests a second for `seconds`:
 * at most 1, less when the plan's budget is smaller, times RATE_SCALE.
 */
export function planScale(cfg: LoadConfig, basePerSecond: number, seconds: number): number {
  return Math.min(1, budgetPerSecond(cfg.limits, seconds) / basePerSecond) * cfg.rateScale;
}

/** A k6 arrival rate per minute (integer, at least 1) for `perSecond` scaled by `scale`. */
export function perMinute(perSecond: number, scale: number): number {
  return Math.max(1, Math.round(perSecond * 60 * scale));
}
