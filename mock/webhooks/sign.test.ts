// Signing tests: every known-answer vector in openapi/vectors/webhook-signatures.json, then
// "valid case plus one change" rows built from each valid vector.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './sign.ts';

interface Vector { name: string; secret: string; body: string; signature: string }
interface VectorFile { valid: Vector[]; invalid: Vector[] }

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const vectorPath = path.resolve(repoRoot, 'openapi', 'vectors', 'webhook-signatures.json');
const vectors = JSON.parse(readFileSync(vectorPath, 'utf8')) as VectorFile;

describe('known-answer vectors', () => {
  it('has vectors of both kinds', () => {
    expect(vectors.valid.length).toBeGreaterThan(0);
    expect(vectors.invalid.length).toBeGreaterThan(0);
  });

  it.each(vectors.valid.map((v) => [v.name, v] as const))('valid %s: signs and verifies', (_name, v) => {
    expect(signPayload(v.secret, v.body)).toBe(v.signature);
    expect(signPayload(v.secret, Buffer.from(v.body, 'utf8'))).toBe(v.signature);
    expect(verifySignature(v.secret, v.body, v.signature)).toBe(true);
    expect(verifySignature(v.secret, Buffer.from(v.body, 'utf8'), v.signature)).toBe(true);
  });

  it.each(vectors.invalid.map((v) => [v.name, v] as const))('invalid %s: does not verify', (_name, v) => {
    expect(verifySignature(v.secret, v.body, v.signature)).toBe(false);
    expect(verifySignature(v.secret, Buffer.from(v.body, 'utf8'), v.signature)).toBe(false);
  });
});

/** One change to a valid vector, each of which must break verification. */
const mutations: Array<{ name: string; change: (v: Vector) => Partial<Vector> }> = [
  { name: 'secret with one more character', change: (v) => ({ secret: `${v.secret}x` }) },
  { name: 'secret one character shorter', change: (v) => ({ secret: v.secret.slice(0, -1) }) },
  { name: 'body with a trailing newline', change: (v) => ({ body: `${v.body}\n` }) },
  { name: 'body with a leading space', change: (v) => ({ body: ` ${v.body}` }) },
  { name: 'last hex digit flipped', change: (v) => ({ signature: flipLastHex(v.signature) }) },
  { name: 'first hex digit flipped', change: (v) => ({ signature: flipHexAt(v.signature, 'sha256='.length) }) },
  { name: 'hex in upper case', change: (v) => ({ signature: `sha256=${v.signature.slice(7).toUpperCase()}` }) },
  { name: 'prefix in upper case', change: (v) => ({ signature: `SHA256=${v.signature.slice(7)}` }) },
  { name: 'one extra hex digit', change: (v) => ({ signature: `${v.signature}0` }) },
  { name: 'one hex digit missing', change: (v) => ({ signature: v.signature.slice(0, -1) }) },
  { name: 'surrounding whitespace', change: (v) => ({ signature: ` ${v.signature} ` }) },
  { name: 'prefix only', change: () => ({ signature: 'sha256=' }) },
  { name: 'non-hex character of the same length', change: (v) => ({ signature: `${v.signature.slice(0, -1)}g` }) },
];

function flipHexAt(signature: string, index: number): string {
  const digit = signature[index];
  const flipped = digit === '0' ? '1' : '0';
  return signature.slice(0, index) + flipped + signature.slice(index + 1);
}

function flipLastHex(signature: string): string {
  return flipHexAt(signature, signature.length - 1);
}

describe('valid case plus one change', () => {
  const rows = vectors.valid.flatMap((v) => mutations.map((m) => [`${v.name}: ${m.name}`, { ...v, ...m.change(v) }] as const));
  it.each(rows)('%s does not verify', (_name, v) => {
    expect(verifySignature(v.secret, v.body, v.signature)).toBe(false);
  });

  it('a missing header does not verify, and never throws', () => {
    const v = vectors.valid[0];
    expect(verifySignature(v.secret, v.body, undefined)).toBe(false);
    expect(verifySignature(v.secret, v.body, null as unknown as string)).toBe(false);
    expect(verifySignature(v.secret, v.body, 42 as unknown as string)).toBe(false);
  });

  it('signs the bytes, not the characters: a body re-encoded as latin1 does not verify', () => {
    const v = vectors.valid.find((x) => /[^\x00-\x7f]/.test(x.body));
    expect(v).toBeDefined();
    if (!v) return;
    expect(verifySignature(v.secret, Buffer.from(v.body, 'latin1'), v.signature)).toBe(false);
  });
});
