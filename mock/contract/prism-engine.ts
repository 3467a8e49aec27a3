// Prism's engine as a library (@stoplight/prism-http): it loads and resolves the operations once,
// at start, and negotiates responses. Static negotiations (a code, an example, or the default) are
// computed once and cached as templates; only `Prefer: dynamic=true` runs Prism per request.
// Validation, security and routing are the mock's own stages, so Prism runs with them off.
// Limits: Prism's dynamic bodies follow the schemas but not the API's semantics (that is what the
// mock's own fixtures are for); Prism's errors (an unknown code or example) surface as NegotiationError
// and are never cached (the client picks those keys: caching them would grow without bound).
import { createInstance, getHttpOperationsFromSpec, type IHttpConfig, type IHttpRequest } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';
import type { OpenApiDoc } from './spec.ts';

export interface Preferences {
  code?: number;
  exampleKey?: string;
  dynamic?: boolean;
  seed?: string;
}

export interface NegotiatedResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  mediaType?: string;
}

/** Prism could not produce what was asked (no such code or example for the operation). */
export class NegotiationError extends Error {
  override name = 'NegotiationError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const noop = (): void => undefined;
type PrismLogger = Parameters<typeof createInstance>[1]['logger'];
const silentLogger = {
  level: 'silent',
  info: noop,
  warn: noop,
  error: noop,
  debug: noop,
  trace: noop,
  fatal: noop,
  success: noop,
  child: () => silentLogger,
} as unknown as PrismLogger;

function baseConfig(prefs: Preferences): IHttpConfig {
  return {
    mock: { dynamic: prefs.dynamic ?? false, code: prefs.code, exampleKey: prefs.exampleKey, seed: prefs.seed },
    checkSecurity: false,
    validateRequest: false,
    validateResponse: false,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
  };
}

export class PrismEngine {
  private readonly byRoute: Map<string, IHttpOperation>;
  private readonly prism = createInstance(baseConfig({}), { logger: silentLogger });
  private readonly templates = new Map<string, NegotiatedResponse>();

  private constructor(ops: IHttpOperation[]) {
    this.byRoute = new Map(ops.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op]));
  }

  /** Loads and resolves every operation of the document (Prism's own loader), once. */
  static async load(doc: OpenApiDoc): Promise<PrismEngine> {
    const ops = await getHttpOperationsFromSpec(structuredClone(doc));
    return new PrismEngine(ops);
  }

  operationCount(): number {
    return this.byRoute.size;
  }

  /** How many static answers are cached (bounded by the contract's codes and examples). */
  templateCount(): number {
    return this.templates.size;
  }

  /** Negotiates every operation's default response now, so none is computed per request. */
  async warm(): Promise<void> {
    for (const key of this.byRoute.keys()) {
      const [method, path] = key.split(' ');
      await this.negotiate(method, path, path, {}).catch(() => undefined);
    }
  }

  /**
   * A response for the operation `method specPath`, as Prism negotiates it for `prefs`.
   * Static negotiations are cached by (operation, code, example); dynamic ones are not.
   */
  async negotiate(method: string, specPath: string, requestPath: string, prefs: Preferences, request?: Partial<IHttpRequest>): Promise<NegotiatedResponse> {
    const key = `${method} ${specPath}`;
    const op = this.byRoute.get(key);
    if (!op) throw new NegotiationError(`No operation ${key} in the contract`, 404);
    const cacheKey = prefs.dynamic ? undefined : `${key} ${prefs.code ?? ''} ${prefs.exampleKey ?? ''}`;
    if (cacheKey) {
      const cached = this.templates.get(cacheKey);
      if (cached) return structuredClone(cached);
    }
    const input: IHttpRequest = {
      method: method.toLowerCase() as IHttpRequest['method'],
      url: { path: requestPath, query: request?.url?.query },
      headers: { accept: 'application/json', ...(request?.headers ?? {}) },
      body: request?.body,
    };
    const result = await this.prism.request(input, [op], baseConfig(prefs))();
    let outcome: NegotiatedResponse | NegotiationError;
    if (result._tag === 'Left') {
      const err = result.left as Error & { status?: number };
      outcome = new NegotiationError(err.message, err.status ?? 500);
    } else {
      const out = result.right.output;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(out.headers ?? {})) if (v !== null && v !== undefined) headers[k] = String(v);
      outcome = { status: out.statusCode, headers, body: out.body, mediaType: headers['Content-type'] };
    }
    if (outcome instanceof NegotiationError) throw outcome; // not cached: the keys are the client's (`example=<anything>`)
    if (cacheKey) this.templates.set(cacheKey, outcome);
    return cacheKey ? structuredClone(outcome) : outcome;
  }
}
