// Reads a whole `text/event-stream` body held in a string (as the contract's stream examples
// are) into its events, with eventsource-parser, and checks the D8 framing: every event is one
// `data:` line closed by a blank line, with no `event:` field. Used by the contract tests.
// Limits: for complete bodies in memory; live streams are the conformance runner's business.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface ParsedStream {
  events: EventSourceMessage[];
  comments: string[];
  /** Problems with the framing (unterminated event, `event:` field, parse errors). */
  problems: string[];
}

export function parseSseText(text: string): ParsedStream {
  const result: ParsedStream = { events: [], comments: [], problems: [] };
  const parser = createParser({
    onEvent: (event) => result.events.push(event),
    onComment: (comment) => result.comments.push(comment),
    onError: (error) => result.problems.push(error.message),
  });
  parser.feed(text);
  const dataLines = text.split(/\r\n|\r|\n/).filter((line) => line.startsWith('data:')).length;
  if (dataLines !== result.events.length) {
    result.problems.push(`${dataLines} data lines but ${result.events.length} complete events (is every event closed by a blank line?)`);
  }
  for (const event of result.events) {
    if (event.event !== undefined) result.problems.push(`event field "${event.event}" present; D8 puts the type inside the JSON`);
  }
  return result;
}
