// Static assets of the docs: read by exact relative name with content types; nothing outside the folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from './pipeline/errors.ts';
import { createSurface, readAssets } from './surface.ts';

const dir = mkdtempSync(join(tmpdir(), 'mock-docs-'));
mkdirSync(join(dir, 'docs', 'assets'), { recursive: true });
writeFileSync(join(dir, 'docs', 'index.html'), '<h1>x</h1>');
writeFileSync(join(dir, 'docs', 'assets', 'a.js'), 'let a;');
writeFileSync(join(dir, 'secret.txt'), 'outside');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const surface = createSurface({ docsDir: join(dir, 'docs'), specJsonFile: join(dir, 'missing.json'), specYamlFile: join(dir, 'missing.yaml'), reset: () => ['state'], deliveries: () => [] });
const fake = {} as never;

describe('surface', () => {
  it('reads every file under the folder with its content type', () => {
    const assets = readAssets(join(dir, 'docs'));
    expect([...assets.keys()].sort()).toEqual(['assets/a.js', 'index.html']);
    expect(assets.get('assets/a.js')?.type).toBe('text/javascript; charset=utf-8');
  });

  it('serves /docs/ as index.html and nested files by name', () => {
    expect(surface('GET', '/docs/', fake)).toMatchObject({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    expect(surface('GET', '/docs/assets/a.js', fake)).toMatchObject({ status: 200 });
  });

  it.each(['/docs/../secret.txt', '/docs/..%2Fsecret.txt', '/docs/%2e%2e/secret.txt', '/docs/assets/../../secret.txt'])('%s is 404', (path) => {
    expect(() => surface('GET', path, fake)).toThrow(ApiError);
  });

  it('a missing spec file is a 404 with a hint; unknown paths are left to the caller', () => {
    expect(() => surface('GET', '/openapi.json', fake)).toThrow(/npm run build/);
    expect(surface('GET', '/elsewhere', fake)).toBeUndefined();
  });
});
