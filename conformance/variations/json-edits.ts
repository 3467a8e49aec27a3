// Meaning-preserving edits for the legal variations: JSON re-serialised (key order, whitespace,
// escapes), values mapped deep (timestamps, server ids), a two-way map from the target's ids to
// longer ones, JSON bodies of proxied messages rewritten, and webhook deliveries re-signed over
// their new bytes (D9: the signature covers the raw body as sent).
// Limits: JSON bodies only (by Content-Type); a delivery whose secret the proxy never saw is
// left as it is.
import { createHmac, randomBytes } from 'node:crypto';
import type { ProxiedResponse, RelayedDelivery } from '../mutations/mutation.ts';

/** Object keys in reverse order, deep (arrays keep their order: it carries meaning). */
export function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reverseKeys((v as Record<string, unknown>)[k])]));
}

/** Every string value (not key) passed through `fn`, deep. */
export function mapStrings(v: unknown, fn: (s: string) => string): unknown {
  if (typeof v === 'string') return fn(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, fn));
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, fn)]));
}

/** JSON with every non-ASCII character and every `/` escaped (`\u00e9`, `\/`): the same value. */
export function escapedJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

export function isJson(headers: Record<string, string>): boolean {
  return /\bjson\b/i.test(headers['content-type'] ?? '');
}

export function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A JSON response with its body re-serialised by `write` from the value `edit` returns. */
export function rewriteJson(res: ProxiedResponse, edit: (v: any) => unknown, write: (v: unknown) => string = (v) => JSON.stringify(v)): ProxiedResponse | undefined {
  if (!isJson(res.headers) || !res.body.length) return undefined;
  const value = parse(res.body.toString('utf8'));
  if (value === undefined) return undefined;
  return { ...res, body: Buffer.from(write(edit(value)), 'utf8') };
}

export function sign(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A delivery with a new body (from the parsed event), signed again with the webhook's secret. */
export function resignedDelivery(d: RelayedDelivery, edit: (event: any) => unknown, write: (v: unknown) => string = (v) => JSON.stringify(v)): RelayedDelivery | undefined {
  const event = parse(d.body.toString('utf8'));
  if (!d.secret || event === undefined) return undefined;
  const body = Buffer.from(write(edit(event)), 'utf8');
  return { ...d, body, headers: { ...d.headers, 'x-chaozcode-signature': sign(d.secret, body) } };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function alnum(n: number): string {
  return [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');
}

/** D3's server id prefixes (request ids apart). */
export const SERVER_ID = /^(query|conv|vec|agent|proj|user|key|whk|evt)_[A-Za-z0-9]+$/;
const RFC3339_SECONDS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})Z$/;

/** `2026-01-30T12:00:00Z` -> `2026-01-30T12:00:00.250Z` (RFC 3339 allows a fraction; D3 only asks for UTC and Z). */
export function withFraction(s: string): string {
  const m = RFC3339_SECONDS.exec(s);
  return m ? `${m[1]}.250Z` : s;
}

/**
 * The target's ids <-> longer ones of the same shape (`proj_` + 24 characters, `req_` + 32), so
 * that the runner only ever sees the long ones and the target only its own.
 */
export class IdMap {
  private readonly long = new Map<string, string>();
  private readonly short = new Map<string, string>();

  private readonly longPattern: RegExp;

  constructor(private readonly pattern: RegExp = SERVER_ID, private readonly size = 24) {
    const prefixes = /^\^\(([a-z|]+)\)_/.exec(pattern.source)?.[1] ?? /^\^([a-z]+)_/.exec(pattern.source)?.[1] ?? '[a-z]{1,8}';
    this.longPattern = new RegExp(`(?<![A-Za-z0-9_])(?:${prefixes})_[A-Za-z0-9]{${size}}(?![A-Za-z0-9])`, 'g');
  }

  out(id: string): string {
    if (!this.pattern.test(id)) return id;
    let l = this.long.get(id);
    if (!l) {
      l = `${id.slice(0, id.indexOf('_') + 1)}${alnum(this.size)}`;
      this.long.set(id, l);
      this.short.set(l, id);
    }
    return l;
  }

  back(id: string): string {
    return this.short.get(id) ?? id;
  }

  /** A text (a path, a body) with every long id turned back into the target's. Linear: the
   * prefixes are fixed and the length exact, so a 10 MiB body of letters costs no backtracking. */
  backInText(text: string): string {
    return text.replace(this.longPattern, (m) => this.back(m));
  }

  /** How many ids were mapped. */
  get count(): number {
    return this.long.size;
  }
}
