// Lexical relevance for memory search and context: TF-IDF vectors (log-scaled term frequency,
// smoothed idf) compared by cosine similarity, which is naturally in 0..1 for non-negative weights.
// Tokens are lower-cased runs of letters and digits, with English stop words and single letters
// (the s of a possessive) dropped and a light
// plural strip ("tokens" ~ "token"). Limits: lexical, not semantic (no synonyms); idf is computed
// over the documents being ranked, so scores shift as an account's memories change.

const STOP_WORDS = new Set(
  'a an and are as at be but by for from has have how i in is it its of on or that the this to was were what when where which who why will with you your do does did can should would could we our they them their there here not no'.split(
    ' ',
  ),
);

/** Normalised terms of a text. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (STOP_WORDS.has(raw) || (raw.length === 1 && /\p{L}/u.test(raw))) continue;
    out.push(raw.length > 3 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw);
  }
  return out;
}

export function termCounts(terms: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

export interface IndexedDoc {
  id: string;
  terms: Map<string, number>;
}

export interface Ranked {
  id: string;
  score: number;
}

function weights(counts: Map<string, number>, idf: (t: string) => number): Map<string, number> {
  const w = new Map<string, number>();
  for (const [t, c] of counts) w.set(t, (1 + Math.log(c)) * idf(t));
  return w;
}

function norm(w: Map<string, number>): number {
  let s = 0;
  for (const v of w.values()) s += v * v;
  return Math.sqrt(s);
}

/**
 * Cosine similarity of the query to every document, rounded to 4 decimals, best first
 * (ties by id ascending). Documents sharing no term with the query score 0 and are left out.
 */
export function rank(query: string, docs: IndexedDoc[]): Ranked[] {
  const q = termCounts(tokenize(query));
  if (q.size === 0 || docs.length === 0) return [];
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  const idf = (t: string) => Math.log(1 + (n + 1) / ((df.get(t) ?? 0) + 1));
  const qw = weights(q, idf);
  const qn = norm(qw);
  const out: Ranked[] = [];
  for (const d of docs) {
    let dot = 0;
    for (const [t, v] of qw) {
      const c = d.terms.get(t);
      if (c) dot += v * (1 + Math.log(c)) * idf(t);
    }
    if (dot === 0) continue;
    const dn = norm(weights(d.terms, idf));
    const score = Math.min(1, Math.round((dot / (qn * dn)) * 10_000) / 10_000);
    if (score > 0) out.push({ id: d.id, score });
  }
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
