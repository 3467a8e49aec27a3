// The whole build as one function: lint, bundle, then write the parts asked for into an
// output folder (spec: openapi.json + openapi.yaml; types: api.d.ts; docs: docs/; schemas:
// the JSON Schemas of scripts/schema-targets.ts). scripts/build.ts is its CLI; the drift check
// (scripts/check-generated.ts) runs it into a temporary folder.
// Limits: the docs are built by scripts/build-docs.ts (owned by the docs step); this file only
// makes sure each text file it wrote opens with a do-not-edit comment.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSchemas } from './build-schemas.ts';
import {
  PARTS, bundleSpec, generateTypes, lintSpec, scratchDir, specAsJson, specAsYaml, writeText,
  type BuildOptions, type Part,
} from './build-steps.ts';
import { DO_NOT_EDIT, listFiles, repoRoot } from './repo.ts';

export { BuildError, PARTS, type BuildOptions, type Part } from './build-steps.ts';

const COMMENT_SYNTAX: Record<string, (text: string) => string> = {
  '.html': (t) => `<!-- ${t} -->`,
  '.htm': (t) => `<!-- ${t} -->`,
  '.js': (t) => `/* ${t} */`,
  '.mjs': (t) => `/* ${t} */`,
  '.css': (t) => `/* ${t} */`,
};

/** Prefixes a do-not-edit comment to every docs file whose format has comments and lacks one. */
async function stampDocs(docsDir: string): Promise<void> {
  for (const rel of await listFiles(docsDir)) {
    const comment = COMMENT_SYNTAX[path.extname(rel).toLowerCase()];
    if (!comment) continue;
    const file = path.join(docsDir, rel);
    const text = await readFile(file, 'utf8');
    const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
    if (/do not edit/i.test(firstLine)) continue;
    await writeFile(file, `${comment(DO_NOT_EDIT)}\n${text}`);
  }
}

async function buildDocsPart(specText: string, outDir: string): Promise<void> {
  const docsDir = path.join(outDir, 'docs');
  const scratch = await scratchDir('cc-docs-');
  try {
    const specFile = path.join(scratch.dir, 'openapi.json');
    await writeFile(specFile, specText);
    await rm(docsDir, { recursive: true, force: true });
    const { buildDocs } = await import('./build-docs.ts');
    await buildDocs({ specFile, outDir: docsDir });
    await stampDocs(docsDir);
  } finally {
    await scratch.cleanup();
  }
}

/** Runs the build; returns the written files, relative to `outDir`. */
export async function buildAll(options: BuildOptions): Promise<string[]> {
  const log = options.log ?? (() => {});
  const parts = new Set<Part>(options.only && options.only.length > 0 ? options.only : PARTS);
  const outDir = path.resolve(options.outDir);
  const rootFile = path.join(path.resolve(options.openapiDir ?? path.join(repoRoot, 'openapi')), 'openapi.yaml');
  const written: string[] = [];
  const needsSpec = parts.has('spec') || parts.has('types') || parts.has('docs');

  if (needsSpec && !options.skipLint) {
    log('lint: redocly lint');
    await lintSpec(rootFile);
  }
  // Generated before anything is written, so a missing source leaves the output folder alone.
  let schemas: Awaited<ReturnType<typeof generateSchemas>> = [];
  if (parts.has('schemas')) {
    log('schemas: typescript-json-schema');
    schemas = await generateSchemas();
  }
  if (needsSpec) {
    log('spec: redocly bundle');
    const spec = await bundleSpec(rootFile);
    const specText = specAsJson(spec);
    if (parts.has('spec')) {
      await writeText(path.join(outDir, 'openapi.json'), specText);
      await writeText(path.join(outDir, 'openapi.yaml'), specAsYaml(spec));
      written.push('openapi.json', 'openapi.yaml');
    }
    if (parts.has('types')) {
      log('types: openapi-typescript');
      await writeText(path.join(outDir, 'api.d.ts'), await generateTypes(spec));
      written.push('api.d.ts');
    }
    if (parts.has('docs')) {
      log('docs: scripts/build-docs.ts');
      await buildDocsPart(specText, outDir);
      written.push(...(await listFiles(path.join(outDir, 'docs'))).map((f) => `docs/${f}`));
    }
  }
  for (const schema of schemas) {
    await writeText(path.join(outDir, schema.name), schema.text);
    written.push(schema.name);
  }
  return written;
}
