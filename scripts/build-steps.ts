// The build's contract steps, each a small function: lint and bundle the contract with the
// Redocly CLI, render the bundle as JSON and YAML with the do-not-edit banner, and generate the
// TypeScript types (openapi-typescript). The docs and JSON Schema steps live in
// build-pipeline.ts and build-schemas.ts; scripts/build.ts and check-generated.ts drive them.
// Limits: output is deterministic only as far as the tools are (none of them adds timestamps).
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { DO_NOT_EDIT, cleanCliOutput, runRedocly, repoRoot } from './repo.ts';

export const PARTS = ['spec', 'types', 'docs', 'schemas'] as const;
export type Part = (typeof PARTS)[number];

export interface BuildOptions {
  /** Folder written to (default: <repo>/generated). */
  outDir: string;
  /** The contract's folder, holding openapi.yaml (default: <repo>/openapi). */
  openapiDir?: string;
  /** Parts to build (default: all). */
  only?: Part[];
  /** Skip `redocly lint` before bundling (the drift check does: lint is its own step). */
  skipLint?: boolean;
  /** Progress lines go here (default: silent). */
  log?: (line: string) => void;
}

export class BuildError extends Error {}

const configFile = path.join(repoRoot, 'redocly.yaml');

interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  location?: { source?: { ref?: string }; start?: { line?: number; col?: number } }[];
}

/** Lints the contract with the project's redocly.yaml; any error or warning fails the build. */
export async function lintSpec(rootFile: string): Promise<void> {
  const result = await runRedocly(['lint', rootFile, '--config', configFile, '--format', 'json', '--max-problems', '1000']);
  let report: { totals: { errors: number; warnings: number }; problems: LintProblem[] };
  try {
    report = JSON.parse(result.stdout);
  } catch {
    throw new BuildError(`redocly lint could not run for ${path.relative(repoRoot, rootFile)}:\n${cleanCliOutput(result.stderr)}`);
  }
  const { errors, warnings } = report.totals;
  if (errors + warnings === 0) return;
  const lines = report.problems.map((p) => {
    const at = p.location?.[0];
    const where = `${at?.source?.ref ?? '?'}:${at?.start?.line ?? 0}:${at?.start?.col ?? 0}`;
    return `  ${where} ${p.severity} ${p.ruleId}: ${p.message}`;
  });
  throw new BuildError(`redocly lint: ${errors} error(s), ${warnings} warning(s); fix them before building:\n${lines.join('\n')}`);
}

/** Bundles the split contract into one document (components named by file names, not dereferenced). */
export async function bundleSpec(rootFile: string): Promise<Record<string, unknown>> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'cc-bundle-'));
  try {
    const out = path.join(tmp, 'openapi.json');
    const result = await runRedocly([
      'bundle', rootFile, '--config', configFile, '--output', out, '--ext', 'json',
      '--component-renaming-conflicts-severity', 'error', '--lint-config', 'off',
    ]);
    if (result.code !== 0) {
      throw new BuildError(`redocly bundle failed for ${path.relative(repoRoot, rootFile)}:\n${cleanCliOutput(result.stderr)}`);
    }
    const bundled = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>;
    return { 'x-generated': DO_NOT_EDIT, ...bundled };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export function specAsJson(spec: Record<string, unknown>): string {
  return `${JSON.stringify(spec, null, 2)}\n`;
}

export function specAsYaml(spec: Record<string, unknown>): string {
  const body = stringify(spec, { lineWidth: 0, aliasDuplicateObjects: false });
  return `# ${DO_NOT_EDIT}\n${body}`;
}

/** TypeScript types of the bundle: `paths`, `components`, `operations`, `webhooks`. */
export async function generateTypes(spec: Record<string, unknown>): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(spec as never, { defaultNonNullable: false, silent: true });
  return `// ${DO_NOT_EDIT}\n${astToString(ast)}`;
}

/** Writes `text` to `file`, creating its folder. */
export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

/** A scratch folder removed by the returned cleanup. */
export async function scratchDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
