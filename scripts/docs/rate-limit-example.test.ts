// Checks that the rate-limit worked example in openapi/descriptions/overview.md is true: it reads
// the example's table and replays it against the real mock with an injected clock, comparing
// every header the table states, then spends the rest of the day's quota to check the "day"
// paragraph (Reset at the next midnight UTC, 429 with window "day").
// Limits: the table's cells are parsed loosely (the integers outside parentheses), so a row
// must keep the shape of the ones there: `T` or `T+<s>`, an ordinal or "2nd to 20th".
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../../mock/server.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const T = Date.parse('2026-01-30T12:00:00Z');
const NEXT_MIDNIGHT = Date.parse('2026-01-31T00:00:00Z') / 1000;

interface Row { at: number; count: number; status: number; limit: number; remaining: number[]; reset: number[]; retryAfter: number[] }
interface Observed { status: number; limit: number; remaining: number; reset: number; retryAfter: number; retryAfterStd: string | null; body: unknown }

/** Integers of a table cell, ignoring anything in parentheses. */
const integers = (cell: string) => (cell.replace(/\([^)]*\)/g, '').match(/\d+/g) ?? []).map(Number);

function parseWorkedExample(markdown: string): Row[] {
  const section = markdown.split('## A worked example')[1]?.split('\n## ')[0];
  if (!section) throw new Error('overview.md has no "## A worked example" section');
  const lines = section.split('\n').filter((l) => /^\| T/.test(l));
  return lines.map((line) => {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const [when, request, status, limit, remaining, reset, retryAfter] = cells as [string, string, string, string, string, string, string];
    const ordinals = integers(request);
    const offset = /^T(?:\+(\d+))?$/.exec(when);
    if (!offset) throw new Error(`worked example: cannot read the time "${when}"`);
    return {
      at: T + Number(offset[1] ?? 0) * 1000,
      count: ordinals.length === 2 ? ordinals[1]! - ordinals[0]! + 1 : 1,
      status: integers(status)[0]!,
      limit: integers(limit)[0]!,
      remaining: integers(remaining),
      reset: integers(reset),
      retryAfter: integers(retryAfter),
    };
  });
}

let mock: RunningMock;
let clock = T;
let rows: Row[];

beforeAll(async () => {
  rows = parseWorkedExample(await readFile(path.join(repoRoot, 'openapi', 'descriptions', 'overview.md'), 'utf8'));
  mock = await startMock({ port: 0, quiet: true, now: () => clock });
});

afterAll(async () => {
  await mock?.close();
});

/** Clears the mock's state and rate-limit buckets, so that each test starts from a fresh day. */
async function resetMock(): Promise<void> {
  const res = await fetch(`${mock.url}/__mock/reset`, { method: 'POST' });
  expect(res.status).toBe(200);
}

async function call(key: string): Promise<Observed> {
  const res = await fetch(`${mock.baseUrl}/models`, { headers: { Authorization: `Bearer ${key}` } });
  const header = (name: string) => Number(res.headers.get(name));
  return {
    status: res.status,
    limit: header('x-ratelimit-limit'),
    remaining: header('x-ratelimit-remaining'),
    reset: header('x-ratelimit-reset'),
    retryAfter: header('x-ratelimit-retryafter'),
    retryAfterStd: res.headers.get('retry-after'),
    body: await res.json(),
  };
}

const pick = (o: Observed) => ({ status: o.status, limit: o.limit, remaining: o.remaining, reset: o.reset, retryAfter: o.retryAfter });

describe('the rate-limit worked example of the docs, replayed on the mock', () => {
  it('reads the five rows of the table', () => {
    expect(rows.map((r) => r.count)).toEqual([1, 19, 1, 1, 1]);
  });

  it('gives, row by row, the headers the table states (Free key)', async () => {
    await resetMock();
    for (const row of rows) {
      clock = row.at;
      const seen: Observed[] = [];
      for (let i = 0; i < row.count; i++) seen.push(await call('cc_test_demo_free'));
      const first = seen[0]!;
      const last = seen.at(-1)!;
      const want = (values: number[], end: 'first' | 'last') => (end === 'first' ? values[0] : values.at(-1));
      const label = `row at T+${(row.at - T) / 1000}`;
      expect(pick(first), `${label}, first request`).toEqual({
        status: row.status, limit: row.limit, remaining: want(row.remaining, 'first'), reset: want(row.reset, 'first'), retryAfter: want(row.retryAfter, 'first'),
      });
      expect(pick(last), `${label}, last request`).toEqual({
        status: row.status, limit: row.limit, remaining: want(row.remaining, 'last'), reset: want(row.reset, 'last'), retryAfter: want(row.retryAfter, 'last'),
      });
      if (row.status === 429) {
        expect(last.retryAfterStd).toBe(String(last.retryAfter));
        expect(last.body).toMatchObject({ error: { code: 'RATE_LIMITED', details: { window: 'burst', limit: row.limit, retryAfter: last.retryAfter } } });
      }
    }
  });

  it('says Remaining 99 under Limit 60 on a fresh Pro key', async () => {
    await resetMock();
    clock = T;
    expect(pick(await call('cc_test_demo_pro'))).toMatchObject({ status: 200, limit: 60, remaining: 99 });
  });

  it('ends the Free day at its 100th admitted request: Reset at the next midnight, then 429 "day"', async () => {
    await resetMock();
    clock = T;
    let last: Observed | undefined;
    for (let admitted = 0; admitted < 100; admitted++) {
      if (admitted >= 20) clock += 6_000; // the burst first, then one token every 6 s
      last = await call('cc_test_demo_free');
      expect(last.status).toBe(200);
    }
    expect(last).toMatchObject({ remaining: 0, reset: NEXT_MIDNIGHT });
    clock += 60_000;
    const refused = await call('cc_test_demo_free');
    expect(refused.status).toBe(429);
    expect(refused.reset).toBe(NEXT_MIDNIGHT);
    expect(refused.retryAfter).toBe(NEXT_MIDNIGHT - Math.floor(clock / 1000));
    expect(refused.body).toMatchObject({ error: { code: 'RATE_LIMITED', details: { window: 'day', limit: 100 } } });
  });
});
