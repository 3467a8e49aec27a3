// Shared types of the conformance runner: exchanges, findings, checks and their context.
//
// HOW TO EXTEND (read this before adding a check, a receiver or a proxy)
//
// 1. A check is one file `checks/<id>.ts` exporting one `Check` (see below), registered in
//    `checks/index.ts` (id -> check) and given a default severity in `checks/preset.ts`.
//    Detection apart from policy: a check only returns findings; the preset and the user's
//    `severity` config decide which ones fail the run.
// 2. A check has up to two parts:
//    - `inspect(ctx, exchange)`: PASSIVE. Called on EVERY exchange any check makes, including
//      failed ones (`exchange.error`; most checks return [] when `!exchange.response`);
//      returns findings attributed to this check. Keep it pure and fast. An exchange it returns
//      [] for counts as a pass unless `applies(exchange)` says the check does not judge it.
//    - `run(ctx)`: ACTIVE. Builds requests (`ctx.send`, `ctx.openStream`), judges them and
//      records outcomes with `ctx.pass / ctx.fail / ctx.skip`. Each (check, operation) pair is
//      one test case in the reports. `needs` lists the key roles the active part requires: when
//      one is missing the runner skips the check with the reason, never passes it.
// 3. Ownership (one rule, one check, so a broken rule fails exactly one check):
//    - content-type: Content-Type of 2xx responses. error-envelope: everything about non-2xx
//      bodies (application/json, shape, code <-> status, requestId == X-Request-Id).
//    - response-schema: bodies against their declared schema (errors only once the envelope
//      core is intact) and declared headers NOT listed in `HEADER_OWNERS` (below).
//    - status-code-declared: the status is declared for the operation.
//    - request-id: X-Request-Id present, well-formed, unique.
//    - rate-limit-headers: X-RateLimit-* on every authenticated response, absent on 401/health.
//    - rate-limit-enforcement: 429 behaviour, including Retry-After.
//    - auth-required: 401s and their WWW-Authenticate header.
//    - transport: timeouts, resets, oversize bodies, streams that never end.
//    - method-not-allowed: 405 and its Allow header. not-found: 404 for unknown ids and paths.
//    - key-permissions, negative-input, positive-input: the STATUS of their own requests
//      (negative-input also details.field/reason); what the bodies contain is the passive checks'.
//    - resource-lifecycle: statuses and state across a scenario (version bump, 404 after delete).
// 4. Streams (for `sse-stream`): `ctx.openStream(request)` returns the response head at once
//    (passive checks run on it) and an async iterator over body chunks, bounded by time and
//    size; call `close()` when done. Parse the chunks with eventsource-parser.
// 5. Webhooks (for `webhook-signature` and `receiver/`): `ctx.config.webhook` carries the
//    receiver host and the public URL (flags --receiver-host, --webhook-public-url);
//    `ctx.secrets.add(secret)` makes every report redact it. `ctx.resources` creates fixtures
//    (a webhook, a memory...) through the API under test; `ctx.resources.webhookUrl` is where
//    the run's own webhooks deliver (a local sink started by the runner, or the public URL).
//    Partner mode: export `receiverCommand(): Command` (commander) from `receiver/command.ts`;
//    cli.ts adds it as a subcommand when the file exists.
// 6. The mutating proxy (`mutations/`) drives the runner programmatically with
//    `runConformance(options)` from `runner.ts` and reads the returned `ConformanceReport`.
//    Ids and names the lifecycle check sends contain `conf-lifecycle-<runId>` (memory id,
//    project name, key name) so a proxy can target them without disturbing other checks.
import type { KeyRole, ResolvedConfig, Severity } from './config.ts';
import type { OperationInfo, SpecIndex } from './spec.ts';
import type { ResourceFactory } from './resources.ts';
import type { SecretRing } from './redact.ts';
import type { ReportFinding } from './report.ts';

export type { KeyRole, Severity };
export const KEY_ROLES: readonly KeyRole[] = ['full', 'readonly', 'restricted', 'exhaust'];

/** How a request authenticated: a configured role, none, a key unknown to the target, or a key
 * created during the run (`created`). */
export type AuthMode = KeyRole | 'none' | 'unknown' | 'malformed' | 'created';

export interface OutgoingRequest {
  method: string;
  /** Path below the base URL, with the query string, e.g. `/projects?limit=5`. */
  path: string;
  /** Extra headers (Authorization is set from `auth`). */
  headers?: Record<string, string>;
  /** A JSON value to send as `application/json` (unless `rawBody` is given). */
  json?: unknown;
  /** Raw body bytes/text, sent as is (malformed JSON, wrong media types). */
  rawBody?: string | Buffer;
  /** Which key to send. `created` needs `key`. Default `full`. */
  auth?: AuthMode;
  /** The key itself for `unknown`, `malformed` or `created`. */
  key?: string;
  /** The operation this request exercises, when it maps to one. */
  operationId?: string;
}

export interface ExchangeRequest {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  /** The body as sent (text); may be large. */
  body?: string;
  /** The JSON value the body was serialised from, when there was one (for curl lines). */
  json?: unknown;
  auth: AuthMode;
}

export interface ExchangeResponse {
  status: number;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Body text (UTF-8), possibly cut at the size cap. */
  bodyText: string;
  bodyBytes: number;
  /** Parsed JSON when the body parsed, else undefined. */
  json?: unknown;
  /** Why the body did not parse as JSON, when it did not. */
  jsonError?: string;
  /** Milliseconds until the headers arrived / until the body ended. */
  headersMs: number;
  totalMs: number;
  /** True when the exchange is a stream head only (see `openStream`). */
  streamHead?: boolean;
}

export type TransportErrorKind =
  | 'refused' | 'headers-timeout' | 'body-timeout' | 'deadline' | 'reset' | 'too-large' | 'aborted' | 'other';

export interface TransportError {
  kind: TransportErrorKind;
  message: string;
}

/** One request and what came back. */
export interface Exchange {
  seq: number;
  /** True when this is the retry of a request first answered 429 (see SendOptions.retryOn429). */
  retried?: boolean;
  /** Check that made the request. */
  origin: string;
  operationId?: string;
  /** `METHOD /template` of the operation, or `METHOD /path` for unknown paths. */
  operationLabel: string;
  request: ExchangeRequest;
  response?: ExchangeResponse;
  error?: TransportError;
  /** Epoch ms when the request was sent. */
  sentAt: number;
}

/** What a check reports; the framework adds check id, severity and curl line. */
export interface FindingInput {
  operationId?: string;
  message: string;
  /** JSON pointer into the response (`/error/code`, `/headers/x-request-id`). */
  pointer?: string;
  exchange?: Exchange;
  expected?: string;
  actual?: string;
}

/** A finding as the report carries it (conformance/report.ts is the one definition). */
export type Finding = ReportFinding;

/** Context shared by passive inspections. */
export interface InspectContext {
  spec: SpecIndex;
  config: ResolvedConfig;
}

/** Context of an active check. */
export interface CheckContext extends InspectContext {
  checkId: string;
  /** Short random suffix unique to this run; put it in created names and ids. */
  runId: string;
  signal: AbortSignal;
  secrets: SecretRing;
  resources: ResourceFactory;
  /** Send a request (bounded, 429-aware unless `rateLimitAware` is false); passive checks run on it. */
  send(req: OutgoingRequest, opts?: SendOptions): Promise<Exchange>;
  /** Open a streaming response; see `StreamHandle`. */
  openStream(req: OutgoingRequest, opts?: StreamOptions): Promise<StreamHandle>;
  /** Record that `operation` was examined and found fine (a passing test case). */
  pass(operation: string, note?: string): void;
  /** Record a finding (a failing test case). */
  fail(finding: FindingInput): void;
  /** Record that `operation` could not be examined, and why. */
  skip(operation: string, reason: string): void;
  /** Register a clean-up step run at the end of the run (deleting created resources). */
  onCleanup(fn: () => Promise<unknown>): void;
  /** The operations this run covers (after `--operation` filters). */
  operations(): OperationInfo[];
  /** True when the run is limited to some operations (`--operation`). */
  filtered: boolean;
  /** Statuses observed so far for an operation (every exchange of the run). */
  observedStatuses(operationId: string): number[];
  /** Wait, but wake early when the run is aborted. */
  sleep(ms: number): Promise<void>;
  log(message: string): void;
}

export interface SendOptions {
  /** Retry once after a 429 (default true; rate-limit checks pass false). */
  retryOn429?: boolean;
}

export interface StreamOptions {
  /** Stop reading after this many ms (default: the run's stream cap). */
  maxMs?: number;
  /** Stop reading after this many bytes (default: the run's body cap). */
  maxBytes?: number;
}

export interface StreamHandle {
  /** The head, already inspected by the passive checks; `response.streamHead` is true, except for a
   * refusal (status >= 400), whose whole body is read at once (no chunks) so it is judged like any answer. */
  exchange: Exchange;
  /** Body chunks as they arrive; ends at the end of the body or at a cap (see `stopReason`). */
  chunks: AsyncIterable<Buffer>;
  /** Why reading stopped early, once it has: `max-ms`, `max-bytes`, `closed` (reset), `error`. */
  stopReason(): string | undefined;
  close(): Promise<void>;
}

export interface Check {
  id: string;
  title: string;
  /** One paragraph: what the check asserts and from which rule (D-number, spec). */
  description: string;
  /** Key roles the ACTIVE part needs; missing ones make the runner skip it with the reason. */
  needs?: KeyRole[];
  /** Active checks sharing a group run one after the other (the exhaust key's rate-limit checks). */
  group?: string;
  /** Opt-in: not part of the default run (it waits, or sends a lot). */
  slow?: boolean;
  /** Runs after every other active check has finished (it judges the run as a whole). */
  final?: boolean;
  inspect?(ctx: InspectContext, exchange: Exchange): FindingInput[];
  /** Whether `inspect` judges this exchange at all (default: any with a response). An exchange it
   * does not judge records no pass, so a check that judged nothing is skipped, never passed. */
  applies?(exchange: Exchange): boolean;
  run?(ctx: CheckContext): Promise<void>;
}

/** Response headers owned by a dedicated check; response-schema leaves them alone. */
export const HEADER_OWNERS: Readonly<Record<string, string>> = {
  'x-request-id': 'request-id',
  'x-ratelimit-limit': 'rate-limit-headers',
  'x-ratelimit-remaining': 'rate-limit-headers',
  'x-ratelimit-reset': 'rate-limit-headers',
  'x-ratelimit-retryafter': 'rate-limit-headers',
  'retry-after': 'rate-limit-enforcement',
  'www-authenticate': 'auth-required',
  'cache-control': 'sse-stream',
  'allow': 'method-not-allowed',
};
