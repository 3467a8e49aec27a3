// Precomputed route table (D2): built once from the spec's paths; fixed paths win over templated
// ones (`/memory/stats` is never a memory id), an unknown path is 404, a known path with another
// method is 405 with `Allow`. Matching is on the raw path: no dot-segment normalisation, so `..`
// stays a (non-matching) id; parameters are percent-decoded.
// Limits: templated segments must be whole segments (`/a/{x}/b`), as in this contract.

export interface RouteOperation {
  operationId: string;
  method: string; // upper case
  path: string; // spec path, e.g. /memory/{id}
}

export type RouteResult<Op extends RouteOperation> =
  | { kind: 'match'; op: Op; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

interface PathEntry<Op> {
  methods: Map<string, Op>;
  allow: string[];
}

interface TemplateEntry<Op> extends PathEntry<Op> {
  segments: (string | { param: string })[];
  literalCount: number;
}

function segmentsOf(path: string): string[] {
  return path.split('/').slice(1);
}

export class Router<Op extends RouteOperation> {
  private readonly fixed = new Map<string, PathEntry<Op>>();
  private readonly templated: TemplateEntry<Op>[] = [];

  constructor(ops: Op[]) {
    const byPath = new Map<string, Op[]>();
    for (const op of ops) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
    for (const [path, pathOps] of byPath) {
      const methods = new Map(pathOps.map((o) => [o.method, o]));
      const allow = pathOps.map((o) => o.method);
      if (!path.includes('{')) {
        this.fixed.set(path, { methods, allow });
        continue;
      }
      const segments = segmentsOf(path).map((s) => (/^\{[^}]+\}$/.test(s) ? { param: s.slice(1, -1) } : s));
      const literalCount = segments.filter((s) => typeof s === 'string').length;
      this.templated.push({ methods, allow, segments, literalCount });
    }
    // More literal segments first: the most specific template wins.
    this.templated.sort((a, b) => b.literalCount - a.literalCount);
  }

  /** Routes a path relative to the API base (`/memory/x`). HEAD is served by the GET operation. */
  match(method: string, path: string): RouteResult<Op> {
    const fixed = this.fixed.get(path);
    if (fixed) return this.pick(fixed, method, {});
    const parts = segmentsOf(path);
    for (const entry of this.templated) {
      const params = matchSegments(entry.segments, parts);
      if (params) return this.pick(entry, method, params);
    }
    return { kind: 'not-found' };
  }

  private pick(entry: PathEntry<Op>, method: string, params: Record<string, string>): RouteResult<Op> {
    const op = entry.methods.get(method) ?? (method === 'HEAD' ? entry.methods.get('GET') : undefined);
    if (!op) return { kind: 'method-not-allowed', allow: entry.allow };
    return { kind: 'match', op, params };
  }
}

function matchSegments(segments: TemplateEntry<unknown>['segments'], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const part = parts[i];
    if (typeof seg === 'string') {
      if (seg !== part) return null;
      continue;
    }
    if (part === '') return null;
    try {
      params[seg.param] = decodeURIComponent(part);
    } catch {
      return null; // malformed percent-encoding: no such resource
    }
  }
  return params;
}
