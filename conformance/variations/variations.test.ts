// The legal-variations proof (the other half of the mutation proof): a correct implementation
// that differs from our mock only in ways the contract allows gets a full pass. Each variation
// runs the whole default suite in-process against its own fresh mock, through the mutating proxy
// (carrying the variation's hooks) and the wire proxy; the run must have no finding, and the
// variation must have changed something. Prints the table of variation, findings, verdict.
// Set CONFORMANCE_VARIATIONS=name,name to run some of them only (while working on one).
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mock/server.ts';
import type { Target } from '../mutations/harness.ts';
import { REJECTED, VARIATIONS } from './catalogue.ts';
import { explain, formatTable, runVariations, type VariationResult } from './harness.ts';
import { allowsGzip, startWireProxy } from './wire-proxy.ts';

async function freshMock(config: Record<string, unknown>): Promise<Target> {
  const m = await startMock({ port: 0, quiet: true, config });
  return { url: m.url, close: () => m.close() };
}

const wanted = (process.env.CONFORMANCE_VARIATIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const selected = wanted.length ? VARIATIONS.filter((v) => wanted.includes(v.name)) : VARIATIONS;

/** Skips a variation causes by design, each documented by the runner (never findings). Agents
 * run 10 s elsewhere (BASE_MOCK_CONFIG), so no other run should skip anything. */
const EXPECTED_SKIPS: Record<string, RegExp> = {
  'agents-finish-at-once': /^positive-input cancelAgent: the agent finished before it could be cancelled/,
  'webhooks-https-only': /^webhook-signature (webhook\.test|memory\.stored): the target refuses the receiver's http:\/\/ URL/,
};

describe('legal variations of the target', () => {
  let rows: VariationResult[] = [];

  it('every legal variation gets a full pass: no finding, and something was varied', async () => {
    expect(new Set(VARIATIONS.map((v) => v.name)).size).toBe(VARIATIONS.length);
    const t0 = Date.now();
    rows = await runVariations(selected, freshMock, 2);
    const passed = rows.filter((r) => r.applied > 0 && !r.findings.length).length;
    console.log(`${formatTable(rows, wanted.length ? [] : REJECTED)}\n${passed} of ${rows.length} legal variations passed in full; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const wrong = rows.filter((r) => r.applied === 0 || r.findings.length);
    expect(wrong.map((r) => explain(r)), wrong.map((r) => explain(r)).join('\n\n')).toEqual([]);
  }, 200_000);

  it('costs no coverage: cases are skipped only where the runner documents why', () => {
    const unexpected = rows.flatMap((r) => r.skipped.filter((s) => !EXPECTED_SKIPS[r.name]?.test(s)).map((s) => `${r.name}: ${s}`));
    expect(unexpected).toEqual([]);
  });

  it('the runner never touches the mock-only surface (/__mock/*, Prefer)', () => {
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.flatMap((r) => r.wire.mockSurface.map((s) => `${r.name}: ${s}`))).toEqual([]);
  });

  it('the runner asks for Accept-Encoding: identity, so a server that compresses whenever allowed does not', () => {
    const gz = rows.find((r) => r.name === 'gzip-when-allowed');
    if (!gz) return;
    expect(gz.wire.identityOnly).toBeGreaterThan(100);
    expect(gz.wire.gzipped).toBe(0);
  });
});

describe('the wire proxy', () => {
  it.each([
    [undefined, true], ['gzip, deflate, br', true], ['identity', false], ['br;q=1, gzip;q=0', false],
    ['*', true], ['*;q=0', false], ['deflate', false], ['GZIP;q=0.5', true],
  ] as const)('Accept-Encoding %s allows gzip: %s', (accept, allowed) => {
    expect(allowsGzip(accept)).toBe(allowed);
  });

  it('gzips for a client that sends no Accept-Encoding, and re-frames streams', async () => {
    const target = await freshMock(BASE());
    const wire = await startWireProxy(target.url, { gzip: true, sse: { eol: '\r\n', prelude: '\uFEFF' } });
    try {
      const models = await request(`${wire.url}/v2/models`, { headers: { authorization: 'Bearer cc_test_demo_pro' } });
      expect(models.headers['content-encoding']).toBe('gzip');
      await models.body.arrayBuffer();
      const stream = await request(`${wire.url}/v2/query/stream`, { method: 'POST', headers: { authorization: 'Bearer cc_test_demo_pro', 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'hi' }) });
      const raw = Buffer.from(await stream.body.arrayBuffer());
      expect(raw.subarray(0, 3).toString('hex')).toBe('efbbbf');
      const text = raw.subarray(3).toString('utf8');
      expect(text.startsWith('data: {"type":"start"')).toBe(true);
      expect(text).toMatch(/"type":"done".*\r\n\r\n$/);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    } finally {
      await wire.close();
      await target.close();
    }
  });
});

function BASE(): Record<string, unknown> {
  return { stream: { deltaDelayMs: 1, keepAliveMs: 15_000 } };
}
