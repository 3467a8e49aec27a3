// Signature tests: every known-answer vector of openapi/vectors/webhook-signatures.json, then
// "valid vector plus one change" rows, each of which must fail with the right reason.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signBody, verifyBody } from './signature.ts';

interface Vector { name: string; secret: string; body: string; signature: string }
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const vectors = JSON.parse(readFileSync(path.resolve(repoRoot, 'openapi', 'vectors', 'webhook-signatures.json'), 'utf8')) as { valid: Vector[]; invalid: Vector[] };

describe('known-answer vectors', () => {
  it.each(vectors.valid.map((v) => [v.name, v] as const))('valid %s signs and verifies', (_n, v) => {
    expect(signBody(v.secret, v.body)).toBe(v.signature);
    expect(signBody(v.secret, Buffer.from(v.body, 'utf8'))).toBe(v.signature);
    expect(verifyBody(v.secret, Buffer.from(v.body, 'utf8'), v.signature)).toEqual({ ok: true });
  });

  it.each(vectors.invalid.map((v) => [v.name, v] as const))('invalid %s does not verify', (_n, v) => {
    expect(verifyBody(v.secret, v.body, v.signature).ok).toBe(false);
  });
});

describe('one change to a valid vector', () => {
  const v = vectors.valid.find((x) => x.name === 'memory-stored-event')!;
  const rows: { name: string; secret?: string; body?: string; header?: string | undefined; reason: string }[] = [
    { name: 'no header', header: undefined, reason: 'missing' },
    { name: 'empty header', header: '', reason: 'missing' },
    { name: 'uppercase hex', header: v.signature.toUpperCase().replace('SHA256=', 'sha256='), reason: 'format' },
    { name: 'sha1 prefix', header: v.signature.replace('sha256=', 'sha1='), reason: 'format' },
    { name: 'no prefix', header: v.signature.slice('sha256='.length), reason: 'format' },
    { name: 'one hex digit short', header: v.signature.slice(0, -1), reason: 'format' },
    { name: 'trailing space', header: `${v.signature} `, reason: 'format' },
    { name: 'secret with one more character', secret: `${v.secret}x`, reason: 'mismatch' },
    { name: 'body re-serialised with spaces', body: JSON.stringify(JSON.parse(v.body), null, 1), reason: 'mismatch' },
    { name: 'body with a trailing newline', body: `${v.body}\n`, reason: 'mismatch' },
    { name: 'last hex digit changed', header: v.signature.slice(0, -1) + (v.signature.endsWith('0') ? '1' : '0'), reason: 'mismatch' },
  ];
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_n, r) => {
    const header = 'header' in r ? r.header : v.signature;
    const verdict = verifyBody(r.secret ?? v.secret, r.body ?? v.body, header);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toBe(r.reason);
  });
});
