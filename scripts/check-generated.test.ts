// Tests of the drift check (scripts/check-generated.ts): the comparison on tiny folders
// (differs, missing, extra), then the real CLI: it passes on the repository as built, and an
// edit to a copy of openapi/ without rebuilding makes it fail naming the generated files.
// The real openapi/ and generated/ are never modified.
// Limits: the two CLI runs rebuild everything (~5-10 s each); they assume generated/ is current.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compareDirs, formatReport } from './check-generated.ts';
import { repoRoot, scratch } from './repo.ts';

const dir = scratch('check-generated-test-');
afterAll(() => dir.remove());

function write(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function runCheck(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, 'scripts/check-generated.ts', ...args], { cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('compareDirs', () => {
  const expected = write(path.join(dir.path, 'expected'), { 'a.json': '{}\n', 'docs/index.html': '<p>x</p>\n', 'same.txt': 'same\n' });
  const cases: { name: string; files: Record<string, string>; want: object }[] = [
    { name: 'identical', files: { 'a.json': '{}\n', 'docs/index.html': '<p>x</p>\n', 'same.txt': 'same\n' }, want: { differ: [], missing: [], extra: [] } },
    { name: 'one byte off', files: { 'a.json': '{ }\n', 'docs/index.html': '<p>x</p>\n', 'same.txt': 'same\n' }, want: { differ: [{ file: 'a.json', line: 1 }], missing: [], extra: [] } },
    { name: 'second line off', files: { 'a.json': '{}\n', 'docs/index.html': '<p>x</p>\n\n', 'same.txt': 'same\n' }, want: { differ: [{ file: 'docs/index.html', line: 2 }], missing: [], extra: [] } },
    { name: 'missing and extra', files: { 'a.json': '{}\n', 'same.txt': 'same\n', 'stray.txt': '?' }, want: { differ: [], missing: ['docs/index.html'], extra: ['stray.txt'] } },
  ];
  it.each(cases)('$name', async ({ name, files, want }) => {
    const actual = write(path.join(dir.path, name.replaceAll(' ', '-')), files);
    const report = await compareDirs(expected, actual);
    expect({ differ: report.differ, missing: report.missing, extra: report.extra }).toEqual(want);
    expect(report.checked).toBe(3);
  });

  it('names every problem file in the report text', () => {
    const text = formatReport({ differ: [{ file: 'openapi.json', line: 3 }], missing: ['api.d.ts'], extra: ['old.txt'], checked: 3 }, path.join(process.cwd(), 'generated'));
    expect(text).toMatch(/differs: generated\/openapi\.json \(from line 3\)/);
    expect(text).toMatch(/missing: generated\/api\.d\.ts/);
    expect(text).toMatch(/extra: +generated\/old\.txt/);
  });
});

describe('npm run check:generated', () => {
  it('passes, with one line, on the repository as built', async () => {
    const result = await runCheck([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(/generated\/ is up to date/);
  }, 120_000);

  it('fails after an unbuilt edit to the contract, naming the stale files', async () => {
    const copy = path.join(dir.path, 'openapi');
    cpSync(path.join(repoRoot, 'openapi'), copy, { recursive: true });
    // A split file, not the root: the check must follow the `$ref`s.
    const pathFile = path.join(copy, 'paths', 'health.yaml');
    const pathItem = parse(readFileSync(pathFile, 'utf8'));
    pathItem.get.summary = `${pathItem.get.summary} (edited)`;
    writeFileSync(pathFile, stringify(pathItem));
    const result = await runCheck(['--openapi', copy]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/out of date/);
    expect(result.stderr).toMatch(/differs: generated\/openapi\.json/);
    expect(result.stderr).toMatch(/differs: generated\/openapi\.yaml/);
    expect(result.stderr).toMatch(/differs: generated\/api\.d\.ts/);
    expect(result.stderr).toMatch(/differs: generated\/docs\//);
    expect(result.stderr).not.toMatch(/schema\.json/);
  }, 120_000);
});
