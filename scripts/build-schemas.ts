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
    const { $schema, ...rest } = schema;
    const text = JSON.stringify({ $comment: DO_NOT_EDIT, $schema, ...rest }, null, 2);
    return { name: outputName(target), text: `${text}\n` };
  });
}
