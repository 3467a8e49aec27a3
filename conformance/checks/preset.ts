// The default policy: which findings fail the run. Detection is the checks'; this table (and
// the user's `severity` config over it) decides. `error` fails the run, `warning` is reported
// only, `off` does not run the check.
// Limits: a check missing here defaults to `error`.
import type { Severity } from '../types.ts';

export const preset: Record<string, Severity> = {
  'status-code-declared': 'error',
  'response-schema': 'error',
  'content-type': 'error',
  'error-envelope': 'error',
  'request-id': 'error',
  'transport': 'error',
  'auth-required': 'error',
  'key-permissions': 'error',
  'negative-input': 'error',
  'positive-input': 'error',
  'not-found': 'error',
  'method-not-allowed': 'error',
  'rate-limit-headers': 'error',
  'rate-limit-enforcement': 'error',
  'resource-lifecycle': 'error',
  'sse-stream': 'error',
  'webhook-signature': 'error',
  // Opt-in: a correct server cannot be made to answer every declared status (500, 503).
  'status-coverage': 'off',
};
