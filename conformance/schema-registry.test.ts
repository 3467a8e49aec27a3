// SchemaRegistry: a component's validator is compiled once per name, however often it is asked
// for (it used to compile again on every call: 5,000 validations took 5.6 s).
import { describe, expect, it, vi } from 'vitest';
import { tinySpec } from './testing.ts';

describe('SchemaRegistry.component', () => {
  it('returns one object per name, so its validator is compiled once', () => {
    const { registry } = tinySpec();
    const compile = vi.spyOn(registry.ajv, 'compile');
    expect(registry.component('Thing')).toBe(registry.component('Thing'));
    expect(registry.component('Thing')).not.toBe(registry.component('ThingCreate'));
    for (let i = 0; i < 1_000; i++) {
      expect(registry.validate(registry.component('Thing'), { id: `thing_${i}`, name: 'n' })).toEqual([]);
    }
    expect(registry.validate(registry.component('Thing'), { id: 'x' }).map((v) => v.keyword).sort()).toEqual(['pattern', 'required']);
    expect(compile).toHaveBeenCalledTimes(1);
  });
});
