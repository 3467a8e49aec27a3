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

const Ajv: typeof AjvModule.default = (AjvModule as any).default ?? AjvModule;

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SPEC = resolve(PACKAGE_ROOT, 'generated/openapi.json');
const CONFIG_SCHEMA = resolve(PACKAGE_ROOT, 'generated/conformance-config.schema.json');
const ROLES: KeyRole[] = ['full', 'readonly', 'restricted', 'exhaust'];

export class UsageError extends Error {}

export interface CliFlags {
  baseUrl?: string;
  key?: string[];
  demoKeys?: boolean;
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
    if (eq < 0 || !ROLES.includes(role)) throw new UsageError(`--key takes role=value with role one of ${ROLES.join(', ')}; got "${raw.slice(0, Math.max(eq, 0)) || raw.slice(0, 12)}"`);
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

export async function resolveCli(flags: CliFlags, env: NodeJS.ProcessEnv, knownChecks: string[]): Promise<ResolvedConfig> {
  const file = flags.config ? await loadConfigFile(flags.config) : {};
  const fromEnvironment = fromEnv(env);
  const flagKeys = parseKeys(flags.key);
  const keys = { ...(file.keys ?? {}), ...fromEnvironment.keys, ...flagKeys };
  let restrictedScopes = list(flags.restrictedScopes) ?? fromEnvironment.restrictedScopes ?? file.restrictedScopes;
  if (flags.demoKeys) {
    for (const r of ROLES) keys[r] ??= DEMO_KEYS[r];
    restrictedScopes ??= DEMO_RESTRICTED_SCOPES;
  }
  const baseUrl = flags.baseUrl ?? fromEnvironment.baseUrl ?? file.baseUrl;
  if (!baseUrl) throw new UsageError('no target: give --base-url URL (or CHAOZCODE_BASE_URL, or baseUrl in --config)');
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL, got "${baseUrl}"`);
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
    reports: { junit: flags.junit ?? file.reports?.junit, json: flags.json ?? file.reports?.json },
    webhook: { receiverHost: flags.receiverHost ?? file.webhook?.receiverHost, publicUrl: flags.webhookPublicUrl ?? file.webhook?.publicUrl },
    spec,
  });
}
