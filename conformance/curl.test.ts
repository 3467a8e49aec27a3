// curl lines and redaction: keys of roles become the CLI's environment variables, other real
// keys are masked (8 characters + …), long generated bodies are rebuilt by a node one-liner,
// and the secret ring scrubs every known secret from any text.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compactExpression, curlFor, shellQuote } from './curl.ts';
import { redact, SecretRing } from './redact.ts';
import type { ExchangeRequest } from './types.ts';

const req = (over: Partial<ExchangeRequest>): ExchangeRequest => ({
  method: 'POST', url: 'http://127.0.0.1:4010/v2/query', path: '/query', headers: {}, auth: 'full', ...over,
});

describe('curl lines', () => {
  const rows: { name: string; r: ExchangeRequest; has: string[]; hasNot?: string[] }[] = [
    { name: 'role key as env var', r: req({ headers: { authorization: 'Bearer cc_live_demo_enterprise' } }), has: ['"Authorization: Bearer $CHAOZCODE_KEY_FULL"'], hasNot: ['cc_live_demo_enterprise'] },
    { name: 'created key masked', r: req({ auth: 'created', headers: { authorization: 'Bearer cc_test_abcdefghijklmnop' } }), has: ['Bearer cc_test_…'], hasNot: ['abcdefghijklmnop'] },
    { name: 'made-up key shown', r: req({ auth: 'unknown', headers: { authorization: 'Bearer cc_test_conformanceUnknown1' } }), has: ['cc_test_conformanceUnknown1'] },
    { name: 'quotes escaped', r: req({ body: `{"prompt":"it's"}` }), has: [`--data-raw '{"prompt":"it'\\''s"}'`] },
    { name: 'long body as node one-liner', r: req({ json: { prompt: 'x'.repeat(100_001) }, body: JSON.stringify({ prompt: 'x'.repeat(100_001) }) }), has: ['"x".repeat(100001)', 'node -e'] },
    { name: 'long raw body described', r: req({ body: 'y'.repeat(5_000) }), has: ['# body of 5000 bytes not shown'] },
  ];
  it.each(rows)('$name', ({ r, has, hasNot }) => {
    const line = curlFor(r);
    expect(line.startsWith("curl -sS -i -X POST 'http://127.0.0.1:4010/v2/query'")).toBe(true);
    for (const h of has) expect(line).toContain(h);
    for (const h of hasNot ?? []) expect(line).not.toContain(h);
  });

  it('the node one-liner rebuilds the exact body', () => {
    const value = { prompt: 'x'.repeat(300), messages: Array(20).fill({ role: 'user', content: 'hi' }), n: 1.5, ok: true, none: null };
    const out = execFileSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(${compactExpression(value)}))`]).toString();
    expect(out).toBe(JSON.stringify(value));
  });

  it('shell quoting survives a round trip through sh', () => {
    const s = `a'b"c $HOME \\ end`;
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(s)}`]).toString()).toBe(s);
  });
});

describe('redaction', () => {
  it('masks to the first 8 characters', () => {
    expect(redact('cc_live_demo_enterprise')).toBe('cc_live_…');
    expect(redact('short')).toBe('…');
  });

  it('scrubs every known secret, longest first', () => {
    const ring = new SecretRing();
    ring.add('whsec_abcdefghijklmnop');
    ring.add('cc_test_demo_free');
    ring.add('tiny'); // too short to scrub safely: ignored
    expect(ring.scrub('key cc_test_demo_free and whsec_abcdefghijklmnop, tiny')).toBe('key cc_test_… and whsec_ab…, tiny');
  });
});
