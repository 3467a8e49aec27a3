// The mock's own surface outside /v2 (D11): the offline docs (generated/docs, read into memory at
// start, served by exact file name, so no path can escape the folder), the bundled spec
// (/openapi.json, /openapi.yaml), and the control endpoints POST /__mock/reset and
// GET /__mock/deliveries. None needs a key. Limits: the docs are whatever the last build wrote;
// without a build, /docs answers 404 with a hint.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { HandlerResult } from './handlers/types.ts';
import { ApiError } from './pipeline/errors.ts';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  json: 'application/json',
  yaml: 'application/yaml; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  map: 'application/json',
};

interface Asset {
  bytes: Buffer;
  type: string;
}

function contentType(name: string): string {
  return TYPES[name.slice(name.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
}

/** Every file under `dir`, keyed by its `/`-separated relative path. */
export function readAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else assets.set(relative(dir, full).split(sep).join('/'), { bytes: readFileSync(full), type: contentType(name) });
    }
  };
  walk(dir);
  return assets;
}

export interface SurfaceOptions {
  docsDir: string;
  specJsonFile: string;
  specYamlFile: string;
  reset(): string[];
  deliveries(): unknown[];
}

function asset(a: Asset | undefined, what: string): HandlerResult {
  if (!a) throw new ApiError('NOT_FOUND', `${what} not found; run \`npm run build\` to generate the docs and the bundled spec`);
  return { status: 200, headers: { 'Content-Type': a.type }, raw: a.bytes };
}

function allow(method: string, allowed: string[], path: string): void {
  if (!allowed.includes(method) && !(method === 'HEAD' && allowed.includes('GET'))) {
    throw new ApiError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`, undefined, { Allow: allowed.join(', ') });
  }
}

export function createSurface(opts: SurfaceOptions) {
  const docs = readAssets(opts.docsDir);
  const readOptional = (file: string, type: string): Asset | undefined => (existsSync(file) ? { bytes: readFileSync(file), type } : undefined);
  const specJson = readOptional(opts.specJsonFile, TYPES.json);
  const specYaml = readOptional(opts.specYamlFile, TYPES.yaml);
  return (method: string, path: string, _req: IncomingMessage): HandlerResult | undefined => {
    if (path === '/') {
      allow(method, ['GET'], path);
      return { status: 200, body: { name: 'ChaozCode API v2 mock', api: '/v2', docs: '/docs/', openapi: ['/openapi.json', '/openapi.yaml'], control: ['POST /__mock/reset', 'GET /__mock/deliveries'] } };
    }
    if (path === '/docs') {
      allow(method, ['GET'], path);
      return { status: 301, body: { location: '/docs/' }, headers: { Location: '/docs/' } };
    }
    if (path.startsWith('/docs/')) {
      allow(method, ['GET'], path);
      let name: string;
      try {
        name = decodeURIComponent(path.slice('/docs/'.length)) || 'index.html';
      } catch {
        name = '';
      }
      return asset(docs.get(name), `Docs file '${path}'`);
    }
    if (path === '/openapi.json') {
      allow(method, ['GET'], path);
      return asset(specJson, 'generated/openapi.json');
    }
    if (path === '/openapi.yaml') {
      allow(method, ['GET'], path);
      return asset(specYaml, 'generated/openapi.yaml');
    }
    if (path === '/__mock/reset') {
      allow(method, ['POST'], path);
      return { status: 200, body: { ok: true, reset: opts.reset() } };
    }
    if (path === '/__mock/deliveries') {
      allow(method, ['GET'], path);
      return { status: 200, body: { deliveries: opts.deliveries() } };
    }
    return undefined;
  };
}
