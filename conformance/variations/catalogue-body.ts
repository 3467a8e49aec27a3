// Legal variations in what the bodies say: JSON re-serialised (whitespace, key order, escapes),
// longer ids, other error messages, timestamps with a fraction of a second, pages shorter than
// `limit` behind an opaque cursor of another format, agents that finish at once, a burst above
// the per-minute limit, and webhook deliveries with extra headers, later, or re-serialised (and
// signed over their new bytes). Applied through the mutating proxy's hooks or the mock's config.
// Limits: each variation changes one thing; request bodies are only edited textually (ids), so
// that malformed or extreme bodies the runner sends reach the target unchanged.
import { apiPath } from '../mutations/edit.ts';
import type { ProxiedRequest } from '../mutations/mutation.ts';
import { escapedJson, IdMap, isJson, mapStrings, parse, resignedDelivery, reverseKeys, rewriteJson, withFraction } from './json-edits.ts';
import type { Variation } from './variation.ts';

const pretty = (v: unknown) => `${JSON.stringify(v, null, '\t').replace(/\n/g, '\r\n')}\r\n`;
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every JSON answer, stream event and delivery rewritten by `edit`, written by `write`. */
function everywhere(hit: () => void, edit: (v: any) => unknown, write?: (v: unknown) => string, streamWrite = (v: unknown) => JSON.stringify(v)) {
  const counted = (v: any) => { hit(); return edit(v); };
  return {
    response: (res: Parameters<typeof rewriteJson>[0]) => rewriteJson(res, counted, write),
    stream: () => ({ event: (d: string) => { const v = parse(d); return [v === undefined ? d : streamWrite(counted(v))]; }, end: () => [] }),
    delivery: (d: Parameters<typeof resignedDelivery>[0]) => resignedDelivery(d, counted, write),
  };
}

export const BODY_VARIATIONS: Variation[] = [
  {
    name: 'json-pretty-crlf',
    description: 'JSON answers and webhook deliveries indented with tabs, CRLF line ends and a trailing newline (deliveries signed over those bytes)',
    legal: 'RFC 8259 2: insignificant whitespace; D9: the signature covers the raw body as sent',
    setup: (hit) => ({ hooks: { response: everywhere(hit, (v) => v, pretty).response, delivery: everywhere(hit, (v) => v, pretty).delivery } }),
  },
  {
    name: 'json-keys-reversed',
    description: 'every JSON object (answers, stream events, deliveries) with its keys in reverse order',
    legal: 'RFC 8259 4: an object is an unordered collection; D8 puts `type` inside the JSON, not first',
    setup: (hit) => ({ hooks: everywhere(hit, reverseKeys) }),
  },
  {
    name: 'json-escaped',
    description: 'JSON answers and stream events with every non-ASCII character as \\uXXXX and every "/" as "\\/"',
    legal: 'RFC 8259 7: any character may be escaped; the values are the same',
    setup: (hit) => { const e = everywhere(hit, (v) => v, escapedJson, escapedJson); return { hooks: { response: e.response, stream: e.stream } }; },
  },
  {
    name: 'timestamps-with-fraction',
    description: 'every timestamp with a fraction of a second (2026-01-30T12:00:00.250Z), in answers, stream events and deliveries',
    legal: 'D3: RFC 3339 in UTC with a Z (format: date-time); RFC 3339 5.6 allows time-secfrac',
    setup: (hit) => ({ hooks: everywhere(hit, (v) => mapStrings(v, withFraction)) }),
  },
  {
    name: 'long-ids',
    description: 'longer ids of the same shape: req_ + 32 characters, query_/proj_/key_/whk_/evt_/... + 24, mapped both ways by the proxy',
    legal: 'D3: the schemas accept one or more [A-Za-z0-9] after the prefix; the mock\'s lengths are its own choice',
    setup: (hit) => {
      const ids = new IdMap();
      const reqIds = new IdMap(/^req_[A-Za-z0-9]+$/, 32);
      const out = (v: unknown) => mapStrings(v, (s) => reqIds.out(ids.out(s)));
      const back = (text: string) => ids.backInText(text);
      const e = everywhere(hit, out);
      return {
        hooks: {
          request: (req: ProxiedRequest) => {
            const path = back(req.path);
            const text = req.body.toString('utf8');
            const body = req.body.length && isJson(req.headers) ? back(text) : text;
            return path === req.path && body === text ? undefined : { ...req, path, body: Buffer.from(body, 'utf8') };
          },
          response: (res) => {
            const id = res.headers['x-request-id'];
            const edited = e.response(res) ?? res;
            return id === undefined ? edited : { ...edited, headers: { ...edited.headers, 'x-request-id': reqIds.out(id) } };
          },
          stream: e.stream,
          delivery: (d) => {
            const r = e.delivery(d);
            const id = r?.headers['x-chaozcode-delivery'];
            return r && id ? { ...r, headers: { ...r.headers, 'x-chaozcode-delivery': ids.out(id) } } : r;
          },
        },
        // Stream heads bypass the response hook: map their X-Request-Id on the wire.
        wire: { headers: (h, { stream }) => (stream && h['x-request-id'] ? { ...h, 'x-request-id': reqIds.out(h['x-request-id']) } : h) },
      };
    },
  },
  {
    name: 'other-error-messages',
    description: 'every error.message and violation message replaced by other wording',
    legal: 'D5: message is free text for people; code, status, details.field and reason carry the meaning',
    setup: (hit) => ({
      hooks: {
        response: (res) => (res.status < 400 ? undefined : rewriteJson(res, (b) => {
          if (!b?.error || typeof b.error !== 'object') return b;
          hit();
          const error = { ...b.error, message: `Request refused (HTTP ${res.status}). See error.code and error.details.` };
          const violations = error.details?.violations;
          if (Array.isArray(violations)) error.details = { ...error.details, violations: violations.map((v: object, i: number) => ({ ...v, message: `Constraint ${i + 1} is not met.` })) };
          return { ...b, error };
        })),
      },
    }),
  },
  {
    name: 'short-pages-opaque-cursor',
    description: 'listProjects answers one project per page whatever the limit, with nextCursor in another opaque format (pg1.<base64url>)',
    legal: 'D10 and the schema: a page holds at most `limit` projects; nextCursor is opaque, passed back as `cursor`',
    setup: (hit) => {
      type Token = { c: string | null; s: number };
      const tokens = new WeakMap<ProxiedRequest, Token>();
      const encode = (t: Token) => `pg1.${Buffer.from(JSON.stringify(t)).toString('base64url')}`;
      const decode = (s: string): Token | undefined => (s.startsWith('pg1.') ? parse(Buffer.from(s.slice(4), 'base64url').toString('utf8')) as Token | undefined : undefined);
      return {
        hooks: {
          request: (req) => {
            if (req.method !== 'GET' || apiPath(req) !== '/projects') return undefined;
            const [path, query = ''] = req.path.split('?');
            const params = new URLSearchParams(query);
            const cursor = params.get('cursor');
            const t = cursor === null ? { c: null, s: 0 } : decode(cursor);
            if (!t) return undefined; // not ours: the target judges it
            params.delete('cursor');
            if (t.c) params.set('cursor', t.c);
            const out = { ...req, path: params.toString() ? `${path}?${params}` : path };
            tokens.set(out, t);
            return out;
          },
          response: (res, req) => {
            const t = tokens.get(req);
            if (!t || res.status !== 200) return undefined;
            return rewriteJson(res, (b) => {
              if (!Array.isArray(b?.projects)) return b;
              const rest = b.projects.slice(t.s);
              const next = rest.length > 1 ? encode({ c: t.c, s: t.s + 1 }) : b.nextCursor ? encode({ c: b.nextCursor, s: 0 }) : null;
              if (next) hit();
              return { projects: rest.slice(0, 1), nextCursor: next };
            });
          },
        },
      };
    },
  },
  {
    name: 'agents-finish-at-once',
    description: 'agents complete instantly: spawn answers running (D10), the first GET already says completed with a result, cancel is 409',
    legal: 'D10: running is the status at spawn; how long an agent runs is the implementation\'s; cancelling a finished agent is 409',
    setup: (hit) => ({
      mock: { agentDurationMs: 0 },
      hooks: {
        response: (res, req) => {
          if (req.method === 'GET' && /^\/agents\/agent_/.test(apiPath(req)) && res.status === 200 && /"status"\s*:\s*"completed"/.test(res.body.toString('utf8'))) hit();
          return undefined;
        },
      },
    }),
  },
  {
    name: 'burst-above-limit',
    description: 'the exhaust key\'s plan has a burst (45) above its per-minute limit (30): X-RateLimit-Remaining starts above X-RateLimit-Limit',
    legal: 'D7: Remaining can exceed Limit, up to burst (the free plan is 10/min with a burst of 20)',
    setup: (hit) => ({
      mock: { plans: { free: { perMinute: 30, perDay: 1_000, burst: 45 } } },
      wire: {
        headers: (h) => {
          if (Number(h['x-ratelimit-remaining']) > Number(h['x-ratelimit-limit'])) hit();
          return h;
        },
      },
    }),
  },
  {
    name: 'webhook-extra-headers',
    description: 'deliveries carry User-Agent, a timestamp, an attempt counter and a traceparent besides the D9 headers',
    legal: 'D9 lists the headers a delivery must carry, not the only ones; receivers ignore others',
    setup: (hit) => ({
      hooks: {
        delivery: (d) => {
          hit();
          return { ...d, headers: { ...d.headers, 'user-agent': 'ChaozCode-Webhooks/2.0', 'x-chaozcode-timestamp': String(Math.floor(Date.now() / 1000)), 'x-chaozcode-attempt': '1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } };
        },
      },
    }),
  },
  {
    name: 'webhook-delivery-late',
    description: 'every delivery reaches the receiver 800 ms late (a queue in between)',
    legal: 'D9: a delivery has 10 s to be acknowledged; the contract sets no delay before it is sent',
    setup: (hit) => ({ hooks: { delivery: async () => { hit(); await later(800); return undefined; } } }),
  },
];
