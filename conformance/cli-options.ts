// Turns flags, environment variables and the config file into one ResolvedConfig.
// Precedence: defaults < config file < environment < flags (and --demo-keys fills only the
// keys still missing). The config file is validated with ajv against
// generated/conformance-config.schema.json (generated from ConformanceConfig); a bad file or
// flag is a UsageError naming the field, which the CLI turns into exit code 2.
// Limits: the schema is generated on the fly (slow, ~2 s) only when the generated file is absent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import {
  DEMO_KEYS, DEMO_RESTRICTED_SCOPES, resolveConfig,
  type ConformanceConfig, type KeyRole, type ResolvedConfig, type Severity,
} from './config.ts';
import { redact } from './redact.ts';

const Ajv: typeof AjvModule.default = (AjvModule as any).default ?? AjvModule;

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SPEC = resolve(PACKAGE_ROOT, 'generated/openapi.json');
const CONFIG_SCHEMA = resolve(PACKAGE_ROOT, 'generated/conformance-config.schema.json');
const ROLES: KeyRole[] = ['full', 'readonly', 'restricted', 'exhaust'];

/** Where the reports go unless told otherwise: CI systems pick up the JUnit file. */
export const DEFAULT_JUNIT = 'conformance-report/junit.xml';
export const DEFAULT_JSON = 'conformance-report/report.json';

export class UsageError extends Error {}

export interface CliFlags {
  baseUrl?: string;
  key?: string[];
  /** true: --demo-keys; false: --no-demo-keys; undefined: use them for a loopback target that accepts them. */
  demoKeys?: boolean;
  /** false: --no-reports (write neither report file). */
  reports?: boolean;
  restrictedScopes?: string;
  config?: string;
  only?: string;
  skip?: string;
  operation?: string[];
  timeout?: string;
  concurrency?: string;
  junit?: string;
  json?: string;
  spec?: string;
  slow?: boolean;
  maxRun?: string;
  severity?: string[];
  webhookPublicUrl?: string;
  receiverHost?: string;
}

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${v}"`);
  return n;
}

export function parseKeys(values: string[] = []): Partial<Record<KeyRole, string>> {
  const out: Partial<Record<KeyRole, string>> = {};
  for (const raw of values) {
    const eq = raw.indexOf('=');
    const role = raw.slice(0, eq) as KeyRole;
    const value = raw.slice(eq + 1).trim();
    if (eq < 0 || !ROLES.includes(role)) throw new UsageError(`--key takes role=value with role one of ${ROLES.join(', ')}; got "${eq < 0 ? redact(raw) : raw.slice(0, eq)}"`);
    if (!value) throw new UsageError(`--key ${role}= is empty`);
    out[role] = value;
  }
  return out;
}

let validator: ((data: unknown) => boolean) & { errors?: any[] | null } | undefined;

async function configValidator() {
  if (validator) return validator;
  let schema: object;
  if (existsSync(CONFIG_SCHEMA)) schema = JSON.parse(readFileSync(CONFIG_SCHEMA, 'utf8'));
  else {
    const tjs = (await import('typescript-json-schema')) as any;
    const api = tjs.default ?? tjs;
    const program = api.getProgramFromFiles([resolve(PACKAGE_ROOT, 'conformance/config.ts')], { strict: true, allowImportingTsExtensions: true, noEmit: true });
    schema = api.generateSchema(program, 'ConformanceConfig', { required: true, noExtraProps: true, ignoreErrors: true });
  }
  const ajv = new Ajv({ allErrors: false, strict: false });
  validator = ajv.compile(schema);
  return validator;
}

export async function loadConfigFile(file: string): Promise<ConformanceConfig> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read the config file ${file}: ${(err as Error).message}`);
  }
  const validate = await configValidator();
  if (!validate(data)) {
    const e = validate.errors?.[0];
    const where = (e?.instancePath || '') + (e?.params?.additionalProperty ? `/${e.params.additionalProperty}` : '') + (e?.params?.missingProperty ? `/${e.params.missingProperty}` : '');
    throw new UsageError(`config file ${file}: field "${where || '/'}" ${e?.message ?? 'is invalid'}`);
  }
  return data as ConformanceConfig;
}

function fromEnv(env: NodeJS.ProcessEnv): ConformanceConfig {
  const keys: Partial<Record<KeyRole, string>> = {};
  for (const r of ROLES) {
    const v = env[`CHAOZCODE_KEY_${r.toUpperCase()}`];
    if (v) keys[r] = v;
  }
  return { baseUrl: env.CHAOZCODE_BASE_URL || undefined, keys, restrictedScopes: list(env.CHAOZCODE_RESTRICTED_SCOPES) };
}

function parseSeverities(values: string[] = []): Record<string, Severity> {
  const out: Record<string, Severity> = {};
  for (const v of values) {
    const [id, level] = v.split('=');
    if (!id || !['error', 'warning', 'off'].includes(level)) throw new UsageError(`--severity takes check=error|warning|off; got "${v}"`);
    out[id] = level as Severity;
  }
  return out;
}

/** Loopback targets only: a local mock is the one place the public demo keys can be right. */
function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** Does the target accept the demo full key? A bounded GET /models; any failure means no. */
async function acceptsDemoKey(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, {
      headers: { authorization: `Bearer ${DEMO_KEYS.full}` },
      signal: AbortSignal.timeout(3_000),
    });
    await res.body?.cancel();
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}

/** Lines for the person running the CLI about choices made on their behalf. */
export const notes: string[] = [];

export async function resolveCli(flags: CliFlags, env: NodeJS.ProcessEnv, knownChecks: string[]): Promise<ResolvedConfig> {
  const file = flags.config ? await loadConfigFile(flags.config) : {};
  const fromEnvironment = fromEnv(env);
  const flagKeys = parseKeys(flags.key);
  const keys = { ...(file.keys ?? {}), ...fromEnvironment.keys, ...flagKeys };
  let restrictedScopes = list(flags.restrictedScopes) ?? fromEnvironment.restrictedScopes ?? file.restrictedScopes;
  const baseUrl = flags.baseUrl ?? fromEnvironment.baseUrl ?? file.baseUrl;
  if (!baseUrl) throw new UsageError('no target: give --base-url URL (or CHAOZCODE_BASE_URL, or baseUrl in --config)');
  const shown = baseUrl.replace(/\/\/[^/]*@/, '//…@'); // user:password@ is a secret: never echoed
  if (!/^https?:\/\/[^/]+/.test(baseUrl) || !URL.canParse(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL, got "${shown}"`);
  // It is printed in the console, the reports and every curl line: no credentials in it.
  if (shown !== baseUrl) throw new UsageError(`--base-url must not carry credentials (user:password@); got "${shown}"`);
  // Request paths are appended to it: a query or fragment would swallow them (`/v2?a=1/health`).
  if (/[?#]/.test(baseUrl)) throw new UsageError(`--base-url must not carry a query string or fragment, got "${shown}"`);
  let demoKeys = flags.demoKeys === true;
  if (!demoKeys && flags.demoKeys !== false && Object.keys(keys).length === 0 && isLoopback(baseUrl) && (await acceptsDemoKey(baseUrl))) {
    demoKeys = true;
    notes.push('no keys given and the loopback target accepts the mock\'s demo keys: using them (give --key role=... to choose your own)');
  }
  if (demoKeys) {
    for (const r of ROLES) keys[r] ??= DEMO_KEYS[r];
    restrictedScopes ??= DEMO_RESTRICTED_SCOPES;
  }
  const only = list(flags.only) ?? file.only ?? [];
  const skip = list(flags.skip) ?? file.skip ?? [];
  const severity = { ...(file.severity ?? {}), ...parseSeverities(flags.severity) };
  for (const id of [...only, ...skip, ...Object.keys(severity)]) {
    if (!knownChecks.includes(id)) throw new UsageError(`unknown check id "${id}"; known: ${knownChecks.join(', ')}`);
  }
  const spec = resolve(flags.spec ?? file.spec ?? DEFAULT_SPEC);
  if (!existsSync(spec)) throw new UsageError(`the OpenAPI document ${spec} does not exist (run npm run build, or give --spec FILE)`);
  return resolveConfig({
    ...file,
    baseUrl,
    keys,
    restrictedScopes,
    only,
    skip,
    severity,
    operations: flags.operation?.length ? flags.operation : file.operations,
    timeoutMs: int('--timeout', flags.timeout, 100, 600_000) ?? file.timeoutMs,
    concurrency: int('--concurrency', flags.concurrency, 1, 64) ?? file.concurrency,
    maxRunMs: int('--max-run', flags.maxRun, 1_000, 3_600_000) ?? file.maxRunMs,
    slow: flags.slow ?? file.slow,
    reports: flags.reports === false
      ? {}
      : { junit: flags.junit ?? file.reports?.junit ?? DEFAULT_JUNIT, json: flags.json ?? file.reports?.json ?? DEFAULT_JSON },
    webhook: { receiverHost: flags.receiverHost ?? file.webhook?.receiverHost, publicUrl: flags.webhookPublicUrl ?? file.webhook?.publicUrl },
    spec,
  });
}
