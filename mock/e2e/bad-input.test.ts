// Bad input of every kind, sent over raw sockets where a client library would refuse or tidy it:
// invalid UTF-8, bodies that are arrays, numbers, null or empty, `..` and encoded slashes in ids, a
// 50 MB body (declared and chunked), a 100 KB header, a broken request line, bad percent-encoding.
// Each gets the D5 envelope (never a reset socket, HTML or an empty body), and the mock keeps serving.
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { useMock } from '../test-support/use-mock.ts';
import { call } from '../test-support/client.ts';

const PRO = 'cc_test_demo_pro';
const mock = useMock();

interface RawReply {
  status: number;
  head: string;
  body: string;
}

/** Writes `bytes` on a fresh socket and reads until the server closes or a full response arrived. */
function raw(bytes: Buffer | string, timeoutMs = 10_000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(mock().port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer'));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = text.slice(0, split);
      const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? -1);
      resolve({ status: Number(head.slice(9, 12)), head, body: length >= 0 ? text.slice(split + 4, split + 4 + length) : text.slice(split + 4) });
    };
    socket.on('data', (c) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const length = Number(/content-length:\s*(\d+)/i.exec(text.slice(0, split))?.[1] ?? -1);
      if (split >= 0 && length >= 0 && Buffer.byteLength(text, 'latin1') >= split + 4 + length) {
        socket.destroy();
        finish();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => (chunks.length ? finish() : reject(new Error('closed without an answer'))));
    socket.write(bytes);
  });
}

function expectEnvelope(reply: RawReply, status: number, code: string): void {
  expect(reply.status, reply.head).toBe(status);
  expect(reply.head).toMatch(/content-type: application\/json/i);
  const body = JSON.parse(reply.body);
  expect(body.error.code).toBe(code);
  const headerId = /x-request-id: (\S+)/i.exec(reply.head)?.[1];
  expect(body.error.requestId).toBe(headerId);
}

const post = (path: string, body: Buffer | string, extra = '') =>
  Buffer.concat([
    Buffer.from(`POST /v2${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${PRO}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n`),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
  ]);

describe('bodies', () => {
  it.each([
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x70, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['an array', '[1,2,3]'],
    ['a number', '42'],
    ['null', 'null'],
    ['a string', '"prompt"'],
    ['truncated JSON', '{"prompt": "x"'],
    ['empty', ''],
    ['nested 200,000 arrays deep in a free-form field', `{"prompt":"x","context":{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`],
    ['nested 50,000 objects deep', `{"prompt":"x","context":${'{"b":'.repeat(50_000)}1${'}'.repeat(50_000)}}`],
  ])('%s is 400 INVALID_REQUEST', async (_name, body) => {
    expectEnvelope(await raw(post('/query', body)), 400, 'INVALID_REQUEST');
  });

  it('a 50 MB body with Content-Length is 413 at once, without being buffered', async () => {
    const size = 50 * 1024 * 1024;
    const started = Date.now();
    const res = await request(`${mock().baseUrl}/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PRO}`, 'content-type': 'application/json', 'content-length': String(size) },
      body: Readable.from(
        (function* () {
          const chunk = Buffer.alloc(1024 * 1024, 0x61);
          for (let i = 0; i < 50; i++) yield chunk;
        })(),
      ),
    });
    const body = (await res.body.json()) as { error: { code: string; requestId: string } };
    expect(res.statusCode).toBe(413);
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a chunked body growing past the limit is 413 as soon as it crosses it', async () => {
    const res = await request(`${mock().baseUrl}/memory/store`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PRO}`, 'content-type': 'application/json' },
      body: Readable.from(
        (function* () {
          yield Buffer.from('{"id":"big","content":"');
          const chunk = Buffer.alloc(256 * 1024, 0x61);
          for (let i = 0; i < 8; i++) yield chunk;
          yield Buffer.from('"}');
        })(),
      ),
    });
    expect(res.statusCode).toBe(413);
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('paths and ids', () => {
  it.each([
    '/v2/memory/..',
    '/v2/memory/%2E%2E',
    '/v2/memory/..%2F..%2Fetc%2Fpasswd',
    '/v2/memory/%E0%A4%A',
    '/v2/projects/..',
    '/v2/agents/agent_..',
  ])('GET %s is 404 NOT_FOUND', async (path) => {
    expectEnvelope(await raw(`GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${PRO}\r\nConnection: close\r\n\r\n`), 404, 'NOT_FOUND');
  });

  it('docs cannot escape their folder', async () => {
    expectEnvelope(await raw('GET /docs/../package.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), 404, 'NOT_FOUND');
    expectEnvelope(await raw('GET /docs/..%2F..%2Fpackage.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), 404, 'NOT_FOUND');
  });

  it('a malformed query string is refused as the envelope', async () => {
    const r = await raw(`GET /v2/projects?limit=abc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${PRO}\r\nConnection: close\r\n\r\n`);
    expectEnvelope(r, 422, 'VALIDATION_ERROR');
    expect(JSON.parse(r.body).error.details).toMatchObject({ field: 'limit', reason: 'type' });
  });
});

describe('HTTP itself', () => {
  it('a 100 KB header is answered with a 400 envelope, not a reset socket', async () => {
    expectEnvelope(await raw(`GET /v2/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`), 400, 'INVALID_REQUEST');
  });

  it('a broken request line is answered with a 400 envelope', async () => {
    expectEnvelope(await raw('THIS IS NOT HTTP\r\n\r\n'), 400, 'INVALID_REQUEST');
  });

  it('conflicting Content-Length headers are answered with a 400 envelope', async () => {
    expectEnvelope(await raw('POST /v2/query HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'), 400, 'INVALID_REQUEST');
  });

  it('the mock still serves after all of the above', async () => {
    expect((await call(mock().baseUrl, 'GET', '/models', { key: PRO })).status).toBe(200);
  });
});

describe("requests Node would answer with its own defaults", () => {
  it('an unknown Expect gets the envelope, not a bare 417', async () => {
    const reply = await raw(post('/projects', '{"name":"expect"}', 'Expect: something-else\r\n'));
    expectEnvelope(reply, 400, 'INVALID_REQUEST');
    expect((await call(mock().baseUrl, 'GET', '/health')).status).toBe(200);
  });

  it('an HTTP/1.1 request without Host is served, not a bare 400', async () => {
    const reply = await raw('GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n');
    expectEnvelope(reply, 404, 'NOT_FOUND');
  });

  it('CONNECT gets the envelope instead of a silently closed socket', async () => {
    const reply = await raw('CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n');
    expectEnvelope(reply, 405, 'METHOD_NOT_ALLOWED');
    expect((await call(mock().baseUrl, 'GET', '/health')).status).toBe(200);
  });
});
