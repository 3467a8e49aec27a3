// Tests of the build (scripts/build.ts): `--only spec --out <tmp>` writes exactly the bundle as
// JSON and YAML, each opening with its do-not-edit line, equal in content, bundled (named
// components, local `$ref`s) but not dereferenced; a wrong `--only` part and a missing JSON
// Schema source fail with a message naming them. Every file in generated/ carries the banner.
// Limits: the full build (docs, schemas) is exercised by check-generated.test.ts.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateSchemas } from './build-schemas.ts';
import { BuildError } from './build-steps.ts';
import { listFiles, repoRoot, scratch } from './repo.ts';

const dir = scratch('build-test-');
afterAll(() => dir.remove());

function runBuild(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, 'scripts/build.ts', ...args], { cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('build --only spec', () => {
  const out = path.join(dir.path, 'spec-only');
  let result: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    result = await runBuild(['--only', 'spec', '--out', out, '--skip-lint', '--quiet']);
  }, 60_000);

  it('writes exactly openapi.json and openapi.yaml', async () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await listFiles(out)).toEqual(['openapi.json', 'openapi.yaml']);
  });

  it('opens each file with a do-not-edit line, and both hold the same document', () => {
    const json = readFileSync(path.join(out, 'openapi.json'), 'utf8');
    const yaml = readFileSync(path.join(out, 'openapi.yaml'), 'utf8');
    expect(json.split('\n')[1]).toMatch(/^ {2}"x-generated": ".*Do not edit/);
    expect(yaml.split('\n')[0]).toMatch(/^# .*Do not edit/);
    expect(parse(yaml)).toEqual(JSON.parse(json));
  });

  it('is bundled, not dereferenced: components named by file name, only local refs', () => {
    const text = readFileSync(path.join(out, 'openapi.json'), 'utf8');
    const spec = JSON.parse(text);
    expect(Object.keys(spec.components.schemas)).toContain('ErrorResponse');
    expect(Object.keys(spec.components.responses)).toEqual(expect.arrayContaining(['Unauthorized', 'RateLimited']));
    const refs = [...text.matchAll(/"\$ref": "([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(100);
    expect(refs.filter((r) => !r.startsWith('#/components/'))).toEqual([]);
  });
});

describe('build errors', () => {
  it('refuses an unknown --only part, naming it', async () => {
    const result = await runBuild(['--only', 'spec,pdf', '--out', path.join(dir.path, 'never')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown part "pdf"/);
    expect(await listFiles(path.join(dir.path, 'never'))).toEqual([]);
  }, 60_000);

  it('names a missing JSON Schema source', async () => {
    const missing = { source: 'mock/no-such-file.ts', type: 'Nope', out: 'generated/nope.schema.json' };
    await expect(generateSchemas([missing])).rejects.toThrow(BuildError);
    await expect(generateSchemas([missing])).rejects.toThrow(/mock\/no-such-file\.ts \(type Nope/);
  });
});

describe('generated/', () => {
  it('every file opens with a do-not-edit line in its own syntax', async () => {
    const generated = path.join(repoRoot, 'generated');
    const files = await listFiles(generated);
    expect(files.length).toBeGreaterThan(5);
    const firstLines = files
      .filter((f) => /\.(json|ya?ml|ts|html|js|css)$/.test(f))
      .map((f) => [f, readFileSync(path.join(generated, f), 'utf8').split('\n').slice(0, 2).join('\n')] as const);
    const unmarked = firstLines.filter(([, head]) => !/do not edit/i.test(head)).map(([f]) => f);
    expect(unmarked).toEqual([]);
  });
});
