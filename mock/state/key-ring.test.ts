// The key ring: masking, created keys usable at once, revocation per account, reset.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config.ts';
import { KeyRing, logSafeKey, maskKey } from './key-ring.ts';

describe('KeyRing', () => {
  it('masks keys as prefix, 4 characters, an ellipsis and the last 4', () => {
    expect(maskKey('cc_test_abcdefghwxyz')).toBe('cc_test_abcd…wxyz');
    expect(maskKey('cc_test_demo_pro')).toBe('cc_test_de…ro');
    expect(logSafeKey('cc_live_secretsecret')).toBe('cc_live_…');
  });

  it('creates keys with the type prefix, revokes within the account only, and resets', () => {
    const ring = new KeyRing(defaultConfig().keys, () => 0, '2026-01-01T00:00:00Z');
    const k = ring.create('pro', 'CI', 'production', [], '2026-01-02T00:00:00Z');
    expect(k.key).toMatch(/^cc_live_[A-Za-z0-9]{32}$/);
    expect(ring.lookup(k.key)?.id).toBe(k.id);
    expect(ring.list('pro').map((x) => x.name)).toContain('CI');
    expect(ring.revoke('team', k.id)).toBeUndefined();
    expect(ring.revoke('pro', k.id)?.key).toBe(k.key);
    expect(ring.lookup(k.key)).toBeUndefined();
    ring.reset();
    expect(ring.list('pro')).toHaveLength(3);
  });

  it('gives the demo keys stable ids', () => {
    const a = new KeyRing(defaultConfig().keys, () => 0, 'x').lookup('cc_test_demo_pro')!.id;
    const b = new KeyRing(defaultConfig().keys, () => 0, 'x').lookup('cc_test_demo_pro')!.id;
    expect(a).toBe(b);
    expect(a).toMatch(/^key_[A-Za-z0-9]{16}$/);
  });
});
