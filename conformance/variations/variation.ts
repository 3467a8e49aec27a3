// The shape of one legal variation: a way a correct implementation may differ from our mock
// that the contract allows, named, with the rule that allows it. A variation is applied by the
// wire proxy (how bytes go on the wire), by the mutating proxy's hooks (what JSON looks like,
// ids, cursors, webhook deliveries), by the mock's own configuration (timing, plans), and may
// set runner options a user would choose (e.g. a shorter --timeout). `setup` is called once per
// run, so hooks may keep state; they call `hit()` for every message they changed or observed,
// so that a variation that found nothing to vary shows up instead of passing vacuously.
// Limits: test tooling; a variation is judged legal by the people who write it (`legal` says why).
import type { ConformanceConfig } from '../config.ts';
import type { Mutation } from '../mutations/mutation.ts';
import type { WireStyle } from './wire-proxy.ts';

export type Hooks = Pick<Mutation, 'request' | 'response' | 'stream' | 'delivery'>;

export interface VariationSetup {
  wire?: WireStyle;
  hooks?: Hooks;
  /** Deep-merged over the base mock configuration of the proof. */
  mock?: Record<string, unknown>;
  /** Runner options for this run (over the proof's defaults). */
  runner?: Partial<ConformanceConfig>;
}

export interface Variation {
  /** Kebab-case name. */
  name: string;
  /** What differs from the mock, in one sentence. */
  description: string;
  /** Why the contract allows it (D-number, RFC, WHATWG). */
  legal: string;
  setup(hit: () => void): VariationSetup;
}

/** An idea judged NOT legal: listed in the table, never run. */
export interface Rejected {
  name: string;
  why: string;
}
