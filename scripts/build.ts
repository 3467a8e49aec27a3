// `npm run build`: lint and bundle the contract, then write generated/ (openapi.json,
// openapi.yaml, api.d.ts, docs/, the JSON Schemas of scripts/schema-targets.ts).
// Flags: --only <part> (spec, types, docs, schemas; repeat or comma-separate), --out <dir>,
// --openapi <dir> (another copy of the contract), --skip-lint.
// Limits: a lint error or warning stops the build before anything is written.
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { BuildError, PARTS, buildAll, type Part } from './build-pipeline.ts';
import { repoRoot } from './repo.ts';

function collectParts(value: string, previous: Part[] = []): Part[] {
  const parts = value.split(',').map((p) => p.trim()).filter(Boolean);
  for (const part of parts) {
    if (!(PARTS as readonly string[]).includes(part)) {
      throw new InvalidArgumentError(`unknown part "${part}"; expected one of ${PARTS.join(', ')}`);
    }
  }
  return [...previous, ...(parts as Part[])];
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('build')
    .description('Build generated/ from the contract in openapi/.')
    .option('--only <part>', `build only this part (${PARTS.join(', ')}); repeatable or comma-separated`, collectParts)
    .option('--out <dir>', 'output folder (default: generated/)')
    .option('--openapi <dir>', 'folder of the contract, holding openapi.yaml (default: openapi/)')
    .option('--skip-lint', 'do not lint before bundling')
    .option('-q, --quiet', 'print only errors');
  program.parse(argv);
  const opts = program.opts<{ only?: Part[]; out?: string; openapi?: string; skipLint?: boolean; quiet?: boolean }>();
  const outDir = path.resolve(opts.out ?? path.join(repoRoot, 'generated'));
  const log = opts.quiet ? () => {} : (line: string) => console.log(line);
  const started = Date.now();
  const written = await buildAll({
    outDir,
    openapiDir: path.resolve(opts.openapi ?? path.join(repoRoot, 'openapi')),
    only: opts.only,
    skipLint: opts.skipLint,
    log,
  });
  log(`wrote ${written.length} files to ${path.relative(process.cwd(), outDir) || '.'} in ${Date.now() - started} ms`);
}

main(process.argv).catch((error: unknown) => {
  if (error instanceof BuildError) {
    console.error(`build failed: ${error.message}`);
  } else {
    console.error('build failed:', error);
  }
  process.exitCode = 1;
});
