// Lexical ranking: tokenizing, cosine scores in 0..1, relevance order, no score for unrelated text.
import { describe, expect, it } from 'vitest';
import { rank, termCounts, tokenize } from './text-index.ts';

const doc = (id: string, text: string) => ({ id, terms: termCounts(tokenize(text)) });

describe('tokenize', () => {
  it('lower-cases, drops stop words and light plurals', () => {
    expect(tokenize('The Refresh tokens of the API are rotated')).toEqual(['refresh', 'token', 'api', 'rotated']);
    expect(tokenize('Zoë’s café — naïve')).toEqual(['zoë', 'café', 'naïve']);
  });
});

describe('rank', () => {
  const docs = [
    doc('exact', 'refresh token rotation'),
    doc('partial', 'the access token expires after fifteen minutes, unlike sessions and cookies'),
    doc('unrelated', 'invoices are sent monthly'),
  ];

  it('orders by relevance, scores in (0, 1], leaves out documents without a shared term', () => {
    const r = rank('refresh token rotation', docs);
    expect(r.map((x) => x.id)).toEqual(['exact', 'partial']);
    expect(r[0].score).toBe(1);
    expect(r[1].score).toBeGreaterThan(0);
    expect(r[1].score).toBeLessThan(r[0].score);
  });

  it('ties are broken by id', () => {
    expect(rank('alpha', [doc('b', 'alpha'), doc('a', 'alpha')]).map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('an empty or stop-word-only query matches nothing', () => {
    expect(rank('the of and', docs)).toEqual([]);
  });

  it('rare terms weigh more than common ones', () => {
    const pool = [doc('x', 'deploy kubernetes'), doc('y', 'deploy docker'), doc('z', 'deploy nomad')];
    const r = rank('deploy kubernetes', pool);
    expect(r[0].id).toBe('x');
    expect(r[0].score).toBeGreaterThan(r[1].score * 2);
  });
});
