// Slow clients (slowloris): a request whose headers or body trickle in must be cut off with the D5
// envelope once the mock's request timeout has passed, rather than held open for Node's default five
// minutes; a prompt request on another connection is served meanwhile. The timeout is shortened here
// through StartMockOptions.requestTimeoutMs so that the test is quick. Clients that hang up mid-body
// or during a `Prefer: delay` are neither logged as 500s nor carried out.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../server.ts';
import { call } from '../test-support/client.ts';

let mock: RunningMock;

beforeAll(async () => {
  mock = await startMock({ port: 0, quiet: true, requestTimeoutMs: 600 });
});
afterAll(async () => {
  await mock?.close();
});

/** Opens a socket, writes `first`, then one byte of `drip` every 100 ms; resolves with what came back and when. */
function trickle(first: string, drip: string): Promise<{ text: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(mock.port, '127.0.0.1');
    let text = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < drip.length && !socket.destroyed) socket.write(drip[i++]);
    }, 100);
    const done = () => {
      clearInterval(timer);
      resolve({ text, ms: Date.now() - started });
    };
    const guard = setTimeout(() => socket.destroy(), 20_000);
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(guard);
      done();
    });
    socket.write(first);
  });
}

describe('slow clients', () => {
  it('cuts off a request whose headers never finish, with the error envelope', async () => {
    const slow = trickle('GET /v2/models HTTP/1.1\r\nHost: x\r\n', 'X-Slow: ' + 'a'.repeat(400));
    const ok = await call(mock.baseUrl, 'GET', '/health');
    expect(ok.status).toBe(200);
    const { text, ms } = await slow;
    expect(ms).toBeLessThan(10_000);
    expect(text).toMatch(/^HTTP\/1\.1 4\d\d /);
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
    expect(body.error.requestId).toMatch(/^req_/);
  });

  it('cuts off a request whose body trickles in, with the error envelope', async () => {
    const head = 'POST /v2/projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer cc_test_demo_pro\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n';
    const { text, ms } = await trickle(head, '{"name":"' + 'a'.repeat(390));
    expect(ms).toBeLessThan(10_000);
    expect(text).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(text).toMatch(/"requestId":"req_/);
  });
});

describe('clients that go away', () => {
  it('a client that hangs up mid-body is not logged as a 500 and the mock keeps serving', async () => {
    const loud = await startMock({ port: 0 });
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      lines.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof process.stderr.write;
    try {
      await new Promise<void>((resolve) => {
        const socket = connect(loud.port, '127.0.0.1');
        socket.write('POST /v2/projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer cc_test_demo_pro\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na');
        setTimeout(() => socket.destroy(), 100);
        socket.on('close', () => resolve());
      });
      await new Promise((r) => setTimeout(r, 100));
      expect((await call(loud.baseUrl, 'GET', '/health')).status).toBe(200);
      expect(lines.filter((l) => l.startsWith('500 '))).toEqual([]);
    } finally {
      process.stderr.write = write;
      await loud.close();
    }
  });
});

describe('Prefer: delay and a client that leaves', () => {
  it('a request abandoned during its delay is never carried out', async () => {
    const body = '{"id":"abandoned","content":"x"}';
    await new Promise<void>((resolve) => {
      const socket = connect(mock.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        `POST /v2/memory/store HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer cc_test_demo_pro\r\nContent-Type: application/json\r\nPrefer: delay=800\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      setTimeout(() => socket.destroy(), 150);
      socket.on('close', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 1_200));
    const reply = await call(mock.baseUrl, 'GET', '/memory/abandoned', { key: 'cc_test_demo_pro' });
    expect(reply.status).toBe(404);
  });
});
