// transport: every request got a complete answer: no refused or reset connection, no
// timeout before the headers or between body chunks, no body over the size cap, no
// response that never ends. Passive, over every exchange (the only check that looks at
// exchanges without a response).
// Limits: an exchange aborted because the whole run hit maxRunMs is reported once, by the runner.
import type { Check } from '../types.ts';

export const transport: Check = {
  id: 'transport',
  title: 'Complete answers within bounds',
  description: 'Every request gets a complete response: no refused/reset connection, no timeout, no oversized or endless body.',
  inspect(_ctx, ex) {
    if (!ex.error || ex.error.kind === 'aborted') return [];
    const hint: Record<string, string> = {
      'refused': 'the target stopped accepting connections',
      'headers-timeout': 'the target is too slow or hangs; raise --timeout if it is merely slow',
      'body-timeout': 'the body stalled; the target hangs mid-response',
      'deadline': 'the response never ended within the deadline (an endless body or stream)',
      'reset': 'the target closed the connection mid-response',
      'too-large': 'the body is larger than the cap (--config maxBodyBytes)',
      'other': 'unexpected transport failure',
    };
    return [{ message: `${ex.request.method} ${ex.request.path.split('?')[0]}: ${ex.error.message} (${hint[ex.error.kind] ?? ex.error.kind})`, actual: ex.error.kind }];
  },
};
