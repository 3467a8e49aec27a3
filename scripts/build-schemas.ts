// Build step: JSON Schemas of the project's own file formats (mock config, conformance config
// and report) from their TypeScript types, listed in scripts/schema-targets.ts, with
// typescript-json-schema's programmatic API. One TypeScript program serves every target.
// Limits: a missing source file or type fails the step with its name; the compiler options
// are the repository's tsconfig.json, so the sources must typecheck.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DO_NOT_EDIT, repoRoot } from './repo.ts';
import { schemaTargets, type SchemaTarget } from './schema-targets.ts';
import { BuildError } from './build-steps.ts';

export interface GeneratedSchema {
  /** Path relative to the generated folder, e.g. `mock-config.schema.json`. */
  name: string;
  text: string;
}

async function missingSources(targets: SchemaTarget[]): Promise<string[]> {
  const missing: string[] = [];
  for (const target of targets) {
    try {
      await access(path.join(repoRoot, target.source));
    } catch {
      missing.push(`${target.source} (type ${target.type}, for ${target.out})`);
    }
  }
  return missing;
}

/** The target's output path relative to `generated/` (targets are declared from the repo root). */
export function outputName(target: SchemaTarget): string {
  const rel = target.out.replace(/^generated\//, '');
  return rel.split(path.sep).join('/');
}

/**
 * typescript-json-schema names definitions of exported types in ES modules after the module's
 * absolute path (`import("/home/u/repo/conformance/config",...).Name`), which differs per checkout.
 * Rename each such definition to its bare type name (keeping a suffix if two would collide) and
 * rewrite the `$ref`s, so the output is the same bytes on every machine.
 */
export function portableDefinitionNames(schema: Record<string, unknown>): Record<string, unknown> {
  const definitions = schema.definitions as Record<string, unknown> | undefined;
  if (!definitions) return schema;
  const renamed = new Map<string, string>();
  const taken = new Set(Object.keys(definitions).filter((k) => !k.startsWith('import(')));
  for (const key of Object.keys(definitions)) {
    const match = /^import\(.*\)\.([A-Za-z0-9_$]+)$/.exec(key);
    if (!match) continue;
    let name = match[1];
    for (let i = 2; taken.has(name); i++) name = `${match[1]}${i}`;
    taken.add(name);
    renamed.set(key, name);
  }
  if (renamed.size === 0) return schema;
  const refs = new Map([...renamed].map(([from, to]) => [`#/definitions/${encodeURIComponent(from).replace(/%28/g, '(').replace(/%29/g, ')')}`, `#/definitions/${to}`]));
  for (const [from, to] of renamed) refs.set(`#/definitions/${from}`, `#/definitions/${to}`);
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const target = refs.get(v) ?? refs.get(decodeURIComponent(v).replace(/^#\/definitions\//, '#/definitions/'));
        if (!target && v.includes('import(')) throw new BuildError(`cannot make $ref portable: ${v}`);
        out[k] = target ?? v;
      } else if (k === 'definitions' && node === schema) {
        out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([dk, dv]) => [renamed.get(dk) ?? dk, walk(dv)]));
      } else out[k] = walk(v);
    }
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}

export async function generateSchemas(targets: SchemaTarget[] = schemaTargets): Promise<GeneratedSchema[]> {
  const missing = await missingSources(targets);
  if (missing.length > 0) {
    throw new BuildError(`JSON Schema sources missing (scripts/schema-targets.ts): ${missing.join('; ')}`);
  }
  const TJS = await import('typescript-json-schema');
  const tsconfig = JSON.parse(await readFile(path.join(repoRoot, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: Record<string, unknown>;
  };
  const files = targets.map((t) => path.join(repoRoot, t.source));
  const program = TJS.getProgramFromFiles(files, tsconfig.compilerOptions, repoRoot);
  const settings = { required: true, noExtraProps: true, strictNullChecks: true, ignoreErrors: false, esModuleInterop: true };
  const generator = TJS.buildGenerator(program, settings, files);
  if (!generator) throw new BuildError('typescript-json-schema: the schema sources do not compile (run npm run typecheck)');
  return targets.map((target) => {
    let schema: Record<string, unknown>;
    try {
      schema = generator.getSchemaForSymbol(target.type) as Record<string, unknown>;
    } catch (error) {
      throw new BuildError(`type ${target.type} not found in ${target.source}: ${(error as Error).message}`);
    }
    const { $schema, ...rest } = portableDefinitionNames(schema);
    const text = JSON.stringify({ $comment: DO_NOT_EDIT, $schema, ...rest }, null, 2);
    return { name: outputName(target), text: `${text}\n` };
  });
}
