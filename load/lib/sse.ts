// Server-Sent Events for k6, which buffers a response: parse a whole `text/event-stream` body into
// events (WHATWG rules: CRLF/LF/CR line ends, leading BOM dropped, `:` comment lines, several
// `data:` lines joined with "\n", an event closed by a blank line, an unterminated last event
// discarded) and judge it against D8. Pure (no k6 imports): the Node test runs it on a real stream.
// Limits: whole-body only (k6 has no incremental reader); `event:`/`id:`/`retry:` fields are
// recorded but D8 does not use them.

export interface SseEvent {
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The `event:` field, if any (D8 streams send none). */
  event?: string;
}

export interface ParsedStream {
  events: SseEvent[];
  comments: number;
  /** Text after the last blank line that did not form a whole event. */
  trailing: string;
}

export function parseSse(body: string): ParsedStream {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const lines = text.split(/\r\n|\r|\n/);
  const events: SseEvent[] = [];
  let comments = 0;
  let data: string[] = [];
  let event: string | undefined;
  let pending: string[] = [];
  // split() always yields a last element: '' when the body ends with a line end, else a partial line.
  const unterminated = lines[lines.length - 1];
  const complete = lines.slice(0, -1);
  for (const line of complete) {
    if (line === '') {
      if (data.length > 0) events.push(event === undefined ? { data: data.join('\n') } : { data: data.join('\n'), event });
      data = [];
      event = undefined;
      pending = [];
      continue;
    }
    pending.push(line);
    if (line.startsWith(':')) {
      comments++;
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  }
  const trailing = [...pending, unterminated].filter((l) => l !== '').join('\n');
  return { events, comments, trailing };
}

export interface NamedCheck {
  name: string;
  ok: boolean;
  /** Why it failed (for a log line); empty when ok. */
  detail: string;
}

export interface StreamSummary {
  checks: NamedCheck[];
  /** Parsed JSON payloads (null where a payload was not JSON). */
  payloads: Array<Record<string, unknown> | null>;
  deltas: number;
  completion: string;
  terminal: 'done' | 'error' | 'none';
}

function parseJson(data: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(data);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function usageCheck(last: Record<string, unknown> | null): NamedCheck {
  const name = 'stream: usage.totalTokens = promptTokens + completionTokens';
  const usage = last && typeof last.usage === 'object' && last.usage !== null ? (last.usage as Record<string, unknown>) : null;
  if (!usage || !isCount(usage.totalTokens)) return { name, ok: false, detail: 'done event has no integer usage.totalTokens' };
  const { promptTokens: p, completionTokens: c, totalTokens: t } = usage;
  if (p === undefined && c === undefined) return { name, ok: true, detail: '' };
  if (!isCount(p) || !isCount(c)) return { name, ok: false, detail: 'promptTokens/completionTokens are not non-negative integers' };
  return t === p + c ? { name, ok: true, detail: '' } : { name, ok: false, detail: `${String(t)} != ${p} + ${c}` };
}

/**
 * Judges a parsed stream by D8: JSON payloads, `start` exactly once and first, only `delta`s in
 * between, exactly one terminal event (`done` or `error`) and it last; on `done`, the usage
 * arithmetic and a non-empty completion (the deltas concatenated).
 */
export function checkStream(parsed: ParsedStream): StreamSummary {
  const payloads = parsed.events.map((e) => parseJson(e.data));
  const types = payloads.map((p) => (p && typeof p.type === 'string' ? p.type : '?'));
  const first = types[0];
  const lastType = types[types.length - 1];
  const middle = types.slice(1, -1);
  const terminal: StreamSummary['terminal'] = lastType === 'done' ? 'done' : lastType === 'error' ? 'error' : 'none';
  const deltaPayloads = payloads.filter((p) => p !== null && p.type === 'delta');
  const completion = deltaPayloads.map((p) => (p && typeof p.content === 'string' ? p.content : '')).join('');
  const checks: NamedCheck[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail: ok ? '' : detail });
  add('stream: every event is a JSON object', payloads.every((p) => p !== null) && payloads.length > 0, `${payloads.filter((p) => p === null).length} of ${payloads.length} events are not JSON objects`);
  add('stream: start first', first === 'start' && types.filter((t) => t === 'start').length === 1, `types: ${types.slice(0, 5).join(',')}`);
  add('stream: done or error last, exactly once', terminal !== 'none' && types.filter((t) => t === 'done' || t === 'error').length === 1, `last type ${String(lastType)}`);
  add('stream: only deltas between start and end', middle.every((t) => t === 'delta'), `middle types: ${middle.filter((t) => t !== 'delta').join(',')}`);
  add('stream: nothing after the terminal event', parsed.trailing === '', `trailing text: ${parsed.trailing.slice(0, 80)}`);
  const startId = payloads[0] && typeof payloads[0].id === 'string' ? payloads[0].id : '';
  add('stream: start id is query_…', /^query_[A-Za-z0-9]+$/.test(startId), `start id "${startId}"`);
  if (terminal === 'done') {
    checks.push(usageCheck(payloads[payloads.length - 1]));
    add('stream: deltas concatenated are non-empty', completion.length > 0, 'no delta content before done');
  }
  return { checks, payloads, deltas: deltaPayloads.length, completion, terminal };
}
