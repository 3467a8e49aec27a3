// The webhook-signature known-answer vectors live once in the repository
// (openapi/vectors/webhook-signatures.json), so a fresh clone carries them; every implementation's
// tests read that file. Where the design folder is beside the checkout (../shared/vectors/), the
// repository copy must be identical to it, so the two can never drift apart.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const local = path.join(repoRoot, 'openapi', 'vectors', 'webhook-signatures.json');
const upstream = path.resolve(repoRoot, '..', 'shared', 'vectors', 'webhook-signatures.json');

describe('webhook signature vectors', () => {
  const vectors = JSON.parse(readFileSync(local, 'utf8')) as { valid: { name: string; secret: string; body: string; signature: string }[] };

  it('each valid vector is the HMAC-SHA256 of its body under its secret', () => {
    expect(vectors.valid.length).toBeGreaterThan(0);
    for (const v of vectors.valid) {
      expect(`sha256=${createHmac('sha256', Buffer.from(v.secret, 'utf8')).update(Buffer.from(v.body, 'utf8')).digest('hex')}`, v.name).toBe(v.signature);
    }
  });

  it.runIf(existsSync(upstream))('the repository copy is identical to ../shared/vectors', () => {
    expect(readFileSync(local, 'utf8')).toBe(readFileSync(upstream, 'utf8'));
  });
});
