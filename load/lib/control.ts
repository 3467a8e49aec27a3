// The mock's control endpoint (D11), outside /v2: `POST <origin>/__mock/reset` clears state and
// rate-limit buckets. Used by rate-limits.ts so that every bucket starts full. RESET=auto resets
// only loopback targets; RESET=true forces it, RESET=false never resets.
// Limits: a real deployment has no such endpoint; a failed reset is logged and the script goes on
// without the "fresh bucket" expectations.
import http from 'k6/http';
import type { LoadConfig } from './config.ts';

export function wantsReset(cfg: LoadConfig): boolean {
  return cfg.reset === 'true' || (cfg.reset === 'auto' && cfg.local);
}

/** True when the mock answered 2xx; the request is tagged `area: control` and never a failure. */
export function resetMock(cfg: LoadConfig): boolean {
  const res = http.post(`${cfg.origin}/__mock/reset`, null, {
    tags: { area: 'control', name: 'POST /__mock/reset' },
    responseCallback: http.expectedStatuses({ min: 100, max: 599 }),
    timeout: '10s',
  });
  const ok = res.status >= 200 && res.status < 300;
  if (!ok) console.warn(`POST ${cfg.origin}/__mock/reset answered ${res.status}${res.error ? ` (${res.error})` : ''}; going on without a reset`);
  return ok;
}
