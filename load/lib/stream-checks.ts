// k6 side of the SSE checks (D8) for POST /query/stream and POST /query with stream:true: status,
// text/event-stream, Cache-Control no-cache, X-Request-Id, rate-limit headers, then the whole
// body parsed as events and judged (start first, done last, usage arithmetic, deltas non-empty).
// Records time to first event as the custom Trend `stream_time_to_first_event` (k6's
// http_req_waiting of the request: the mock writes the head and the `start` event together).
// Limits: k6 buffers the body, so only the first event's time is known, not each event's.
import { Counter, Rate, Trend } from 'k6/metrics';
import type { LoadConfig } from './config.ts';
import { checkAnswer, record } from './api.ts';
import type { Sent } from './api.ts';
import { header } from './rate-rules.ts';
import { checkStream, parseSse } from './sse.ts';

export const timeToFirstEvent = new Trend('stream_time_to_first_event', true);
export const streamDeltas = new Trend('stream_deltas');
export const streamsCompleted = new Rate('stream_completed');
export const streamEvents = new Counter('stream_events');

/** Checks one streamed answer; true when every check passed. A 429 is judged as a 429. */
export function checkStreamAnswer(sent: Sent, cfg: LoadConfig, allow429 = true): boolean {
  const { res, tags } = sent;
  const headOk = checkAnswer(sent, cfg, { allow429 });
  if (res.status !== 200) return headOk;
  timeToFirstEvent.add(res.timings.waiting, tags);
  const parsed = parseSse(res.body ?? '');
  const judged = checkStream(parsed);
  streamDeltas.add(judged.deltas, tags);
  streamEvents.add(parsed.events.length, tags);
  streamsCompleted.add(judged.terminal === 'done', tags);
  const cacheControl = (header(res.headers, 'Cache-Control') ?? '').toLowerCase();
  const extra = [
    { name: 'stream: Cache-Control no-cache', ok: cacheControl.includes('no-cache'), detail: `Cache-Control "${cacheControl}"` },
    { name: 'stream: ended with done (not error)', ok: judged.terminal === 'done', detail: `terminal ${judged.terminal}` },
  ];
  const context = `${sent.spec.id} ${header(res.headers, 'X-Request-Id') ?? ''}`;
  return record([...judged.checks, ...extra], tags, context) && headOk;
}
