// Body reading: Content-Type, the size limit (from Content-Length, or while reading a chunked
// body), UTF-8, JSON and object checks; over a real loopback server so streams behave as in use.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJsonContentType, parseJsonObject, readJsonBody } from './body.ts';
import { ApiError } from './errors.ts';

let server: Server;
let url = '';
const LIMIT = 1024;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    readJsonBody(req, LIMIT).then(
      (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      (err: ApiError) => res.writeHead(err.status ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ code: err.code, message: err.message })),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function send(body: string | Buffer | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await request(url, { method: 'POST', headers, body });
  return { status: res.statusCode, json: (await res.body.json()) as { code?: string; message?: string } };
}

describe('readJsonBody', () => {
  it('returns the object', async () => {
    expect(await send('{"a":1}')).toEqual({ status: 200, json: { a: 1 } });
  });

  it.each([
    ['no body', undefined, /required/],
    ['text/plain', '{"a":1}', /Content-Type/],
  ])('%s is 400', async (_name, body, message) => {
    const r = await send(body, body === undefined ? {} : { 'content-type': 'text/plain' });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(message);
  });

  it('refuses a declared oversized body at once (413)', async () => {
    const r = await send('x'.repeat(LIMIT + 1));
    expect(r).toMatchObject({ status: 413, json: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('refuses a chunked body when it crosses the limit (413)', async () => {
    const { Readable } = await import('node:stream');
    const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Readable.from([Buffer.alloc(700, 0x20), Buffer.alloc(700, 0x20)]) });
    expect(res.statusCode).toBe(413);
    await res.body.dump();
  });

  it('accepts exactly the limit', async () => {
    const body = `{"a":"${'x'.repeat(LIMIT - 8)}"}`;
    expect(Buffer.byteLength(body)).toBe(LIMIT);
    expect((await send(body)).status).toBe(200);
  });
});

describe('parseJsonObject', () => {
  it.each([
    [Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), /UTF-8/],
    [Buffer.from('{"a":'), /not valid JSON/],
    [Buffer.from('[]'), /not an array/],
    [Buffer.from('3'), /not a number/],
    [Buffer.from('null'), /not null/],
    [Buffer.from(''), /required/],
    [Buffer.from(`{"a":${'['.repeat(65)}${']'.repeat(65)}}`), /deeper than 64/],
  ])('%# refuses with 400', (raw, message) => {
    try {
      parseJsonObject(raw);
      throw new Error('accepted');
    } catch (e) {
      expect((e as ApiError).status).toBe(400);
      expect((e as ApiError).message).toMatch(message);
    }
  });

  it('takes 64 levels of nesting, and brackets inside strings do not count', () => {
    const deep = `{"a":${'['.repeat(63)}${']'.repeat(63)},"s":"${'['.repeat(500)}\\"{{"}`;
    expect(parseJsonObject(Buffer.from(deep)).s).toBe(`${'['.repeat(500)}"{{`);
  });

  it('takes a UTF-8 object with non-ASCII text', () => {
    expect(parseJsonObject(Buffer.from('{"name":"Zoë ✓"}'))).toEqual({ name: 'Zoë ✓' });
  });
});

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    ['application/merge-patch+json', true],
    ['text/json', false],
    ['application/x-www-form-urlencoded', false],
    [undefined, false],
  ])('%s -> %s', (value, ok) => expect(isJsonContentType(value)).toBe(ok));
});
