// The table of the legal-variations proof: every legal variation (wire and body ones), plus the
// ideas judged NOT legal, with the rule that forbids each (listed, never run). A correct
// implementation may differ from our mock in every legal way; the runner must pass it.
// Limits: the judgement is ours, written next to each entry (`legal`, `why`), from
// contract-decisions.md D2-D11, the RFCs and the WHATWG SSE spec.
import { BODY_VARIATIONS } from './catalogue-body.ts';
import { WIRE_VARIATIONS } from './catalogue-wire.ts';
import { parse } from './json-edits.ts';
import type { Rejected, Variation } from './variation.ts';

/** D9: outside the mock, webhook URLs are https only; a loopback target may well say so. */
const HTTPS_ONLY: Variation = {
  name: 'webhooks-https-only',
  description: 'createWebhook refuses plain http:// receiver URLs (422, field url), loopback ones included, as production does',
  legal: 'D9: url must be https:// (else 422, field url); accepting http://localhost and http://127.0.0.1 is documented as mock-only',
  setup: (hit) => ({
    hooks: {
      request: (req) => {
        if (req.method !== 'POST' || req.path.split('?')[0] !== '/v2/webhooks') return undefined;
        const body = parse(req.body.toString('utf8')) as { url?: unknown } | undefined;
        if (!body || typeof body.url !== 'string' || !body.url.startsWith('http://')) return undefined;
        hit();
        // Let the target itself refuse it, with its own envelope and headers.
        return { ...req, body: Buffer.from(JSON.stringify({ ...body, url: 'ftp://plain-http-refused.invalid/' }), 'utf8') };
      },
    },
  }),
};

/** Keys named unlike D11's demo keys, with other scopes: the runner must depend on roles, not names. */
const PARTNER_KEYS = {
  full: 'cc_live_Partner0Main0Key0x9', readonly: 'cc_test_partner_viewer_4411',
  restricted: 'cc_test_partner_scoped_2077', exhaust: 'cc_test_partner_tiny_plan_01',
};
const OTHER_KEYS: Variation = {
  name: 'other-key-names-and-scopes',
  description: 'a key ring without D11\'s demo keys: other key names for every role, the restricted key scoped to projects and webhooks',
  legal: 'D4: keys match ^cc_(live|test)_[A-Za-z0-9_]{8,}$; D11\'s names and scopes are the mock\'s, not the contract\'s',
  setup: (hit) => ({
    mock: {
      keys: [
        { key: PARTNER_KEYS.full, account: 'enterprise', type: 'production' },
        { key: PARTNER_KEYS.readonly, account: 'pro', type: 'readonly' },
        { key: PARTNER_KEYS.restricted, account: 'pro', type: 'restricted', scopes: ['projects', 'webhooks'] },
        { key: PARTNER_KEYS.exhaust, account: 'free', type: 'development' },
      ],
    },
    runner: { keys: { ...PARTNER_KEYS }, restrictedScopes: ['projects', 'webhooks'] },
    wire: { headers: (h, { req }) => { if (Object.values(PARTNER_KEYS).some((k) => req.headers.authorization === `Bearer ${k}`)) hit(); return h; } },
  }),
};

export const VARIATIONS: Variation[] = [...WIRE_VARIATIONS, ...BODY_VARIATIONS, OTHER_KEYS, HTTPS_ONLY];

export const REJECTED: Rejected[] = [
  { name: '429-before-burst-under-load', why: 'D7: a request is admitted while the key\'s bucket holds a whole token; limits are per key, so load elsewhere is no reason' },
  { name: 'sse-multi-line-data', why: 'D8: each event is ONE `data: <JSON>` line (WHATWG clients would join the lines, but the contract pins one)' },
  { name: 'sse-event-field', why: 'D8: no `event:` field; the type is inside the JSON' },
  { name: 'extra-response-properties', why: 'the response schemas are closed (additionalProperties: false); a new field is a contract change' },
  { name: 'retry-after-http-date', why: 'D7: Retry-After equals X-RateLimit-RetryAfter, whole seconds >= 1' },
  { name: 'timestamps-with-offset', why: 'D3: UTC with a `Z` (no +00:00, no lowercase z)' },
  { name: 'gzip-despite-identity', why: 'RFC 9110 12.5.3: the runner asks for Accept-Encoding: identity, so a coding it did not accept is wrong' },
  { name: 'problem-json-errors', why: 'D5: every non-2xx is the single envelope as application/json, never problem+json' },
  { name: 'test-webhook-answers-before-delivering', why: 'D9: testWebhook sends at once and reports delivered/responseStatus of that delivery' },
  { name: 'rate-limit-headers-on-401', why: 'D7: 401 responses and /health carry no rate-limit headers' },
  { name: 'agent-spawn-answers-completed', why: 'D10: spawn gives 202 with status "running" (finishing at once shows from the first GET on)' },
  { name: 'page-larger-than-limit', why: 'D10: a page holds at most `limit` items' },
];
