// Loading the mock's config: a file or object holds any subset of MockConfig; objects merge deeply
// over the defaults, arrays (the key ring) replace them. The merged result is validated with ajv
// against the generated schema (generated/mock-config.schema.json), plus the cross references JSON
// Schema cannot express (a key's account, unique keys, key prefix by type, restricted scopes).
// Limits: the schema file must exist (it is committed; `npm run build` rewrites it).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { defaultConfig, type MockConfig, type MockConfigInput } from './config.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** A config that cannot be used; the message names the field and the rule. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const configSchemaPath = fileURLToPath(new URL('../generated/mock-config.schema.json', import.meta.url));

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge deeply; arrays and scalars from `over` replace. */
export function mergeConfig(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeConfig(base[k], v);
  return out;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return `config: ${e.instancePath}/${extra} is not a known field (additionalProperties)`;
  }
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return `config: ${e.instancePath}/${missing} is required`;
  }
  return `config: ${at} ${e.message ?? 'is invalid'} (${e.keyword})`;
}

let compiled: ((data: unknown) => ErrorObject[] | null) | undefined;

function schemaValidator(): (data: unknown) => ErrorObject[] | null {
  if (compiled) return compiled;
  if (!existsSync(configSchemaPath)) {
    throw new ConfigError(`config: schema ${configSchemaPath} is missing; run \`npm run build\``);
  }
  const schema = JSON.parse(readFileSync(configSchemaPath, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const { $schema: _ignored, ...rest } = schema;
  const validate = ajv.compile(rest);
  compiled = (data) => (validate(data) ? null : (validate.errors ?? []));
  return compiled;
}

function checkReferences(cfg: MockConfig): void {
  const seen = new Set<string>();
  cfg.keys.forEach((k, i) => {
    if (!cfg.accounts[k.account]) {
      throw new ConfigError(`config: /keys/${i}/account must name an account of /accounts ("${k.account}" is not one)`);
    }
    if (seen.has(k.key)) throw new ConfigError(`config: /keys/${i}/key must be unique (it repeats an earlier key)`);
    seen.add(k.key);
    const prefix = k.type === 'production' ? 'cc_live_' : 'cc_test_';
    if (!k.key.startsWith(prefix)) {
      throw new ConfigError(`config: /keys/${i}/key must start with ${prefix} for a ${k.type} key`);
    }
    if (k.type === 'restricted' && !(k.scopes && k.scopes.length > 0)) {
      throw new ConfigError(`config: /keys/${i}/scopes must list at least one scope for a restricted key`);
    }
  });
}

/** Checks a whole config; throws ConfigError naming the first broken field and rule. */
export function validateConfig(cfg: unknown): MockConfig {
  const errors = schemaValidator()(cfg);
  if (errors && errors.length > 0) throw new ConfigError(describe(errors[0]));
  checkReferences(cfg as MockConfig);
  return cfg as MockConfig;
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`config: cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config: ${file} is not JSON: ${(err as Error).message}`);
  }
}

/** Defaults merged with an object or a JSON file, validated. */
export function loadConfig(input?: MockConfigInput | string): MockConfig {
  const over = typeof input === 'string' ? readConfigFile(input) : (input ?? {});
  if (!isPlainObject(over)) throw new ConfigError('config: / must be a JSON object (type)');
  return validateConfig(mergeConfig(defaultConfig(), over));
}
