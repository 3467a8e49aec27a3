// A curl line that reproduces an exchange's request. Keys of configured roles appear as the
// environment variables the CLI reads (`$CHAOZCODE_KEY_FULL`), other real keys redacted, so a
// line can be pasted into a shell without leaking a secret. Long generated bodies (100,000
// character strings) are rebuilt with a `node -e` one-liner instead of being printed.
// Limits: bodies that are large and not compressible that way are described, not included.
import { redact } from './redact.ts';
import type { ExchangeRequest } from './types.ts';

const INLINE_MAX = 2_000;

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function envVarFor(role: string): string {
  return `CHAOZCODE_KEY_${role.toUpperCase()}`;
}

export function curlFor(req: ExchangeRequest): string {
  const parts = ['curl', '-sS', '-i', '-X', req.method, shellQuote(req.url)];
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.toLowerCase() === 'authorization') parts.push('-H', authHeader(req, value));
    else if (name.toLowerCase() !== 'content-length') parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (req.body !== undefined) parts.push(...bodyArgs(req));
  return parts.join(' ');
}

function authHeader(req: ExchangeRequest, value: string): string {
  if (['full', 'readonly', 'restricted', 'exhaust'].includes(req.auth)) {
    return `"Authorization: Bearer $${envVarFor(req.auth)}"`;
  }
  if (req.auth === 'created') {
    const key = value.replace(/^Bearer\s+/i, '');
    return shellQuote(`Authorization: Bearer ${redact(key)}`);
  }
  return shellQuote(`Authorization: ${value}`); // made-up keys: nothing to hide
}

function bodyArgs(req: ExchangeRequest): string[] {
  const body = req.body ?? '';
  if (body.length <= INLINE_MAX) return ['--data-raw', shellQuote(body)];
  if (req.json !== undefined && JSON.stringify(req.json) === body) {
    const expr = compactExpression(req.json);
    if (expr.length <= INLINE_MAX) {
      return ['--data-raw', `"$(node -e ${shellQuote(`process.stdout.write(JSON.stringify(${expr}))`)})"`];
    }
  }
  return ['--data-binary', '@body.json', `# body of ${body.length} bytes not shown`];
}

/** A JavaScript expression that evaluates to `value`, with long repeated strings as `.repeat()`. */
export function compactExpression(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length > 64 && value === value[0].repeat(value.length)) return `${JSON.stringify(value[0])}.repeat(${value.length})`;
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    if (value.length > 8) {
      const first = JSON.stringify(value[0]);
      if (value.every((v) => JSON.stringify(v) === first)) return `Array(${value.length}).fill(${compactExpression(value[0])})`;
    }
    return `[${value.map(compactExpression).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${compactExpression(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
