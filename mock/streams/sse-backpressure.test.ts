// Backpressure tests: a client that reads slowly makes the stream wait for 'drain' instead of
// buffering the whole completion in the server, and a client that stops reading and then leaves
// releases the stream that was waiting. Served over a Unix socket (see startUnixStreamServer).
import { mkdtempSync, rmSync } from 'node:fs';
import http, { type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { checkStreamSequence } from './check-sequence.ts';
import { activeStreamCount, writeQueryStream, type StreamPlan } from './sse.ts';
import { options, plan, until } from './test-plans.ts';

describe('backpressure', () => {
  it('waits for drain when the client reads slowly, instead of buffering the whole stream', async () => {
    const text = 'abcdefghijklmno '.repeat(40_000); // 40,000 deltas, ~2 MB on the wire
    const slow = await startUnixStreamServer(plan(text));
    try {
      const received = await slowRead({ socketPath: slow.socketPath, path: '/stream' }, 400);
      expect(slow.seen.refused).toBeGreaterThan(0);
      // Ignoring backpressure, the server would queue most of the 2 MB in memory.
      expect(slow.seen.maxBuffered).toBeLessThan(128 * 1024);
      expect(checkStreamSequence(received, text).problems).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it('a client that stops reading and then goes away releases the stream waiting for drain', async () => {
    const slow = await startUnixStreamServer(plan('abcdefghijklmno '.repeat(40_000)));
    try {
      await new Promise<void>((resolve, reject) => {
        const req = http.request({ socketPath: slow.socketPath, path: '/stream', method: 'POST', agent: false }, (res) => {
          res.pause();
          setTimeout(() => {
            res.destroy();
            resolve();
          }, 300);
        });
        req.on('error', reject);
        req.end('{}');
      });
      expect(slow.seen.refused).toBeGreaterThan(0);
      expect(await until(() => activeStreamCount() === 0)).toBe(true);
      expect(slow.seen.res?.listenerCount('drain')).toBe(0);
      expect(slow.seen.res?.writableEnded).toBe(false);
    } finally {
      await slow.close();
    }
  });
});

interface UnixStreamServer {
  socketPath: string;
  seen: { refused: number; maxBuffered: number; res?: ServerResponse };
  close(): Promise<void>;
}

/**
 * A stream server on a Unix socket, recording how often res.write asked the writer to wait and
 * how much the response buffered. Not loopback TCP: loopback's auto-tuned kernel buffers absorb
 * several MB, which would hide the server's own buffering; a Unix socket's hold ~200 kB.
 */
async function startUnixStreamServer(p: StreamPlan): Promise<UnixStreamServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sse-'));
  const socketPath = path.join(dir, 'slow.sock');
  const seen: UnixStreamServer['seen'] = { refused: 0, maxBuffered: 0 };
  const srv = http.createServer((req, res) => {
    seen.res = res;
    const write = res.write.bind(res) as (chunk: string) => boolean;
    (res as unknown as { write: (chunk: string) => boolean }).write = (chunk) => {
      const flushed = write(chunk);
      if (!flushed) seen.refused += 1;
      seen.maxBuffered = Math.max(seen.maxBuffered, res.writableLength);
      return flushed;
    };
    writeQueryStream(req, res, p, options());
  });
  await new Promise<void>((resolve) => srv.listen(socketPath, resolve));
  return {
    socketPath,
    seen,
    close: async () => {
      srv.closeAllConnections();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A raw node:http client that stops reading for `pauseMs` after the head arrives. */
function slowRead(target: http.RequestOptions, pauseMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const data: string[] = [];
    const parser = createParser({ onEvent: (e) => data.push(e.data) });
    const req = http.request({ ...target, method: 'POST', agent: false }, (res) => {
      res.setEncoding('utf8');
      res.pause();
      setTimeout(() => {
        res.on('data', (chunk: string) => parser.feed(chunk));
        res.on('end', () => resolve(data));
        res.resume();
      }, pauseMs);
    });
    req.on('error', reject);
    req.end('{}');
  });
}

