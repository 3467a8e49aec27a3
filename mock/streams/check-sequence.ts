// Checks one received completion stream against the ordering and arithmetic rules of decision D8:
// JSON payloads, `start` exactly once and first, only `delta`s in between, exactly one terminal
// (`done` or `error`) and last, usage arithmetic, and the deltas' concatenation. Schema validation
// is separate (see stream-event-schema.ts). Limits: reports problems as sentences, does not throw.

export interface SequenceResult {
  problems: string[];
  events: Array<Record<string, unknown>>;
  /** The deltas' contents, concatenated. */
  text: string;
  terminal: 'done' | 'error' | null;
}

export function checkStreamSequence(payloads: string[], expectedText?: string): SequenceResult {
  const problems: string[] = [];
  const events: Array<Record<string, unknown>> = [];
  payloads.forEach((data, i) => {
    try {
      const value: unknown = JSON.parse(data);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) events.push(value as Record<string, unknown>);
      else problems.push(`event ${i} is JSON but not an object`);
    } catch {
      problems.push(`event ${i} is not JSON: ${data.slice(0, 80)}`);
    }
  });
  if (events.length === 0) return { problems: [...problems, 'no events'], events, text: '', terminal: null };

  const types = events.map((e) => e.type);
  if (types[0] !== 'start') problems.push(`first event is ${String(types[0])}, not start`);
  types.forEach((t, i) => {
    if (i > 0 && t === 'start') problems.push(`event ${i} is a second start`);
    if (i > 0 && i < types.length - 1 && t !== 'delta') problems.push(`event ${i} is ${String(t)} between start and the terminal event`);
  });
  const last = types[types.length - 1];
  const terminal = last === 'done' || last === 'error' ? last : null;
  if (!terminal || events.length < 2) problems.push(`last event is ${String(last)}, not done or error`);

  const text = events.filter((e) => e.type === 'delta').map((e) => String(e.content)).join('');
  if (terminal === 'done') checkUsage(events[events.length - 1], problems);
  if (terminal === 'done' && expectedText !== undefined && text !== expectedText) {
    problems.push(`deltas concatenate to ${JSON.stringify(text.slice(0, 60))}…, not the expected text`);
  }
  return { problems, events, text, terminal };
}

function checkUsage(done: Record<string, unknown>, problems: string[]): void {
  const usage = done.usage as Record<string, unknown> | undefined;
  if (!usage || typeof usage.totalTokens !== 'number') {
    problems.push('done event has no usage.totalTokens');
    return;
  }
  const { promptTokens, completionTokens, totalTokens } = usage;
  if (typeof promptTokens === 'number' && typeof completionTokens === 'number' && promptTokens + completionTokens !== totalTokens) {
    problems.push(`usage: ${promptTokens} + ${completionTokens} != totalTokens ${String(totalTokens)}`);
  }
}
