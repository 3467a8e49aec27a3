// `npm run check:generated`: rebuilds everything into a temporary folder and compares it with
// generated/, byte for byte. Exit 0 with one line when they match; exit 1 naming every file that
// differs, is missing or is extra; exit 2 when the rebuild itself fails.
// Flags: --openapi <dir> (contract folder, default openapi/), --generated <dir> (default
// generated/): the tests point them at modified copies. Lint is not re-run (it is its own step).
// Limits: compares files only (empty folders are ignored); the rebuild takes ~10 s.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { BuildError, buildAll } from './build-pipeline.ts';
import { scratchDir } from './build-steps.ts';
import { listFiles, repoRoot } from './repo.ts';

export interface DriftReport {
  differ: { file: string; line: number }[];
  missing: string[];
  extra: string[];
  checked: number;
}

/** 1-based number of the first line where the two texts differ. */
function firstDifferentLine(a: Buffer, b: Buffer): number {
  const limit = Math.min(a.length, b.length);
  let line = 1;
  for (let i = 0; i < limit; i += 1) {
    if (a[i] !== b[i]) return line;
    if (a[i] === 0x0a) line += 1;
  }
  return line;
}

/** Compares the files of `expectedDir` (fresh build) with those of `actualDir` (generated/). */
export async function compareDirs(expectedDir: string, actualDir: string): Promise<DriftReport> {
  const expected = await listFiles(expectedDir);
  const actual = await listFiles(actualDir);
  const actualSet = new Set(actual);
  const expectedSet = new Set(expected);
  const report: DriftReport = { differ: [], missing: [], extra: [], checked: expected.length };
  for (const rel of expected) {
    if (!actualSet.has(rel)) {
      report.missing.push(rel);
      continue;
    }
    const [want, have] = await Promise.all([readFile(path.join(expectedDir, rel)), readFile(path.join(actualDir, rel))]);
    if (!want.equals(have)) report.differ.push({ file: rel, line: firstDifferentLine(want, have) });
  }
  report.extra = actual.filter((rel) => !expectedSet.has(rel));
  return report;
}

/** Rebuilds from `openapiDir` into a scratch folder and compares it with `generatedDir`. */
export async function checkGenerated(opts: { openapiDir: string; generatedDir: string }): Promise<DriftReport> {
  const scratch = await scratchDir('cc-check-generated-');
  try {
    await buildAll({ outDir: scratch.dir, openapiDir: opts.openapiDir, skipLint: true });
    return await compareDirs(scratch.dir, opts.generatedDir);
  } finally {
    await scratch.cleanup();
  }
}

export function formatReport(report: DriftReport, generatedDir: string): string {
  const shown = path.relative(process.cwd(), generatedDir) || '.';
  const name = (rel: string) => `${shown}/${rel}`;
  if (report.differ.length + report.missing.length + report.extra.length === 0) {
    return `check:generated: ${shown}/ is up to date (${report.checked} files)`;
  }
  const lines = [`check:generated: ${shown}/ is out of date; run \`npm run build\` and commit the result.`];
  for (const d of report.differ) lines.push(`  differs: ${name(d.file)} (from line ${d.line})`);
  for (const m of report.missing) lines.push(`  missing: ${name(m)}`);
  for (const e of report.extra) lines.push(`  extra:   ${name(e)} (not written by the build)`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const opts = new Command()
    .name('check-generated')
    .description('Fail when generated/ differs from a fresh build of the contract.')
    .option('--openapi <dir>', 'folder of the contract, holding openapi.yaml (default: openapi/)')
    .option('--generated <dir>', 'folder to check (default: generated/)')
    .parse(argv)
    .opts<{ openapi?: string; generated?: string }>();
  const generatedDir = path.resolve(opts.generated ?? path.join(repoRoot, 'generated'));
  const openapiDir = path.resolve(opts.openapi ?? path.join(repoRoot, 'openapi'));
  try {
    const report = await checkGenerated({ openapiDir, generatedDir });
    const text = formatReport(report, generatedDir);
    const clean = report.differ.length + report.missing.length + report.extra.length === 0;
    (clean ? console.log : console.error)(text);
    return clean ? 0 : 1;
  } catch (error) {
    const message = error instanceof BuildError ? error.message : String((error as Error)?.stack ?? error);
    console.error(`check:generated: could not rebuild: ${message}`);
    return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
