// The conformance runner: loads the contract, probes the target, runs the selected checks
// (active ones concurrently, passive ones on every exchange), cleans up what it created and
// returns the report. `runConformance` is the programmatic entry point (CLI, tests, the
// mutating proxy); it never throws for problems of the target, only reports them.
// Limits: one target per run; active checks share one HTTP client, so `concurrency` bounds
// the requests in flight across all of them.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { ResolvedConfig } from './config.ts';
import { HttpClient } from './http.ts';
import { Recorder } from './recorder.ts';
import { SecretRing } from './redact.ts';
import { buildReport } from './report-builder.ts';
import type { ConformanceReport } from './report.ts';
import { fillPath } from './request-builder.ts';
import { ResourceFactory, type ResourceHost } from './resources.ts';
import { startReceiver, type LocalReceiver } from './receiver/local-receiver.ts';
import { SpecIndex } from './spec.ts';
import { ExchangeSender, sleep } from './sender.ts';
import { allChecks } from './checks/index.ts';
import { preset } from './checks/preset.ts';
import type { Check, CheckContext, Finding, KeyRole, Severity } from './types.ts';

export interface RunOptions {
  config: ResolvedConfig;
  /** Check registry (default: checks/index.ts). */
  checks?: Record<string, Check>;
  /** Default severities (default: checks/preset.ts). */
  preset?: Record<string, Severity>;
  /** Progress lines (default: silent). */
  log?: (line: string) => void;
  version?: string;
  /** Stops the run early (Ctrl-C): what was judged so far is reported. */
  signal?: AbortSignal;
}

export interface RunOutcome {
  report: ConformanceReport;
  findings: Finding[];
}

export function selectChecks(registry: Record<string, Check>, config: ResolvedConfig, sev: (id: string) => Severity): Check[] {
  return Object.values(registry).filter((c) => {
    if (config.only.length && !config.only.includes(c.id)) return false;
    if (config.skip.includes(c.id)) return false;
    if (c.slow && !config.slow && !config.only.includes(c.id)) return false;
    return sev(c.id) !== 'off';
  });
}

export async function runConformance(opts: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const { config } = opts;
  const log = opts.log ?? (() => {});
  const registry = opts.checks ?? allChecks;
  const defaults = opts.preset ?? preset;
  const severityOf = (id: string): Severity => config.severity[id] ?? defaults[id] ?? 'error';
  const secrets = new SecretRing();
  for (const k of Object.values(config.keys)) secrets.add(k);
  const recorder = new Recorder(severityOf, secrets);
  const selected = selectChecks(registry, config, severityOf);
  const durations = new Map<string, number>();
  const finish = (spec: SpecIndex | undefined, fatal?: string) => {
    const report = buildReport({ config, spec, recorder, selected, severityOf, started, durations, fatal, version: opts.version });
    return { report, findings: recorder.allFindings() };
  };

  let spec: SpecIndex;
  try {
    spec = SpecIndex.load(config.spec);
  } catch (err) {
    return finish(undefined, (err as Error).message);
  }

  const abort = new AbortController();
  // Every request in flight (up to --concurrency 64) and every wait listens to this signal and
  // stops listening when done: many listeners are expected, not a leak (no MaxListeners warning).
  setMaxListeners(0, abort.signal);
  const runTimer = setTimeout(() => abort.abort(), config.maxRunMs);
  let interrupted = false;
  const onInterrupt = () => { interrupted = true; abort.abort(); };
  opts.signal?.addEventListener('abort', onInterrupt, { once: true });
  if (opts.signal?.aborted) onInterrupt();
  const http = new HttpClient({
    timeoutMs: config.timeoutMs, maxBodyBytes: config.maxBodyBytes, concurrency: config.concurrency,
    deadlineMs: config.timeoutMs + config.streamMaxMs, signal: abort.signal,
  });
  const runId = randomBytes(4).toString('hex');
  const passive = selected.filter((c) => c.inspect);
  let gaveUp: string | undefined;
  const sender = new ExchangeSender({
    spec, config, http, recorder, passive, signal: abort.signal,
    giveUp: (reason) => { gaveUp = reason; abort.abort(); },
  });
  const cleanups: (() => Promise<unknown>)[] = [];
  // Webhooks the run creates deliver to a local sink (or the public URL given), never to the
  // examples' hosts: a delivery to an unreachable host can stall the target for its full deadline.
  // Only a target that refuses the sink's http:// URL (D9: https only, outside the mock) gets an
  // https URL under .invalid (RFC 6761: it never resolves, so deliveries fail at once).
  let sink: LocalReceiver | undefined;
  if (!config.webhook.publicUrl) {
    sink = await startReceiver({ listen: config.webhook.receiverHost, path: `/conformance-sink-${runId}` }).catch(() => undefined);
  }
  const unreachable = `https://example.invalid/chaozcode-conformance/${runId}`;
  const host: ResourceHost = {
    spec, runId, secrets, webhookUrl: config.webhook.publicUrl ?? sink?.url ?? unreachable,
    send: (req) => sender.send('fixtures', req),
    onCleanup: (fn) => cleanups.push(fn),
  };
  const resources = new ResourceFactory(host);

  try {
    const probe = await sender.probe();
    if (probe) return finish(spec, probe);
    if (sink && host.webhookUrl === sink.url && needsWebhookUrl(selected, config)) {
      host.webhookUrl = await webhookUrlFor(sender, spec, secrets, sink.url, unreachable);
    }

    const active = selected.filter((c) => c.run && !c.final);
    const finals = selected.filter((c) => c.run && c.final);
    // Passive checks need traffic: without any active check, positive-input provides it silently.
    const traffic = active.length ? [] : [registry['positive-input']].filter(Boolean);
    const shared: Shared = { spec, config, runId, signal: abort.signal, secrets, resources, sender, recorder, cleanups, log };
    const ctxFor = (check: Check, silent: boolean) => makeContext(shared, check, silent);
    const runOne = async (check: Check, silent = false) => {
      const missing = (check.needs ?? []).filter((r: KeyRole) => !config.keys[r]);
      if (missing.length) {
        recorder.skipCheck(check.id, `needs the ${missing.join(', ')} key${missing.length > 1 ? 's' : ''} (--key ${missing[0]}=... or CHAOZCODE_KEY_${missing[0].toUpperCase()})`);
        return;
      }
      const t0 = Date.now();
      log(`running ${check.id}`);
      try {
        await check.run!(ctxFor(check, silent));
      } catch (err) {
        if (!silent) recorder.fail(check.id, { message: `the check stopped on an internal error: ${(err as Error).stack ?? err}` });
      }
      durations.set(check.id, Date.now() - t0);
    };
    // Checks of one group run one after the other; groups and ungrouped checks run together.
    const groups = new Map<string, Check[]>();
    for (const c of active) groups.set(c.group ?? `solo:${c.id}`, [...(groups.get(c.group ?? `solo:${c.id}`) ?? []), c]);
    await Promise.all([
      ...[...groups.values()].map(async (list) => { for (const c of list) await runOne(c); }),
      ...traffic.map((c) => runOne(c, true)),
    ]);
    for (const c of finals) await runOne(c);
    if (abort.signal.aborted) {
      const why = interrupted ? 'the run was interrupted (SIGINT); results are partial' : `the run was stopped after maxRunMs (${config.maxRunMs} ms); results are partial`;
      recorder.fail('transport', { message: gaveUp ?? why });
    }
    await runCleanups(cleanups, config.timeoutMs * 2);
    return finish(spec);
  } finally {
    clearTimeout(runTimer);
    opts.signal?.removeEventListener('abort', onInterrupt);
    await http.close();
    await sink?.close().catch(() => {});
  }
}

interface Shared {
  spec: SpecIndex;
  config: ResolvedConfig;
  runId: string;
  signal: AbortSignal;
  secrets: SecretRing;
  resources: ResourceFactory;
  sender: ExchangeSender;
  recorder: Recorder;
  cleanups: (() => Promise<unknown>)[];
  log: (line: string) => void;
}

/** The context an active check runs with; a silent one (traffic only) records nothing. */
function makeContext(s: Shared, check: Check, silent: boolean): CheckContext {
  const { config, recorder } = s;
  return {
    checkId: check.id, spec: s.spec, config, runId: s.runId, signal: s.signal, secrets: s.secrets, resources: s.resources,
    filtered: config.operations.length > 0,
    send: (req, o) => s.sender.send(check.id, req, o),
    openStream: (req, o) => s.sender.openStream(check.id, req, o),
    pass: (op) => { if (!silent) recorder.pass(check.id, op); },
    fail: (f) => { if (!silent) recorder.fail(check.id, f); },
    skip: (op, reason) => { if (!silent) recorder.skip(check.id, op, reason); },
    onCleanup: (fn) => s.cleanups.push(fn),
    operations: () => s.spec.operations.filter((o) => !config.operations.length || config.operations.includes(o.operationId)),
    observedStatuses: (id) => [...(recorder.observed.get(id)?.keys() ?? [])],
    sleep: (ms) => sleep(ms, s.signal),
    log: s.log,
  };
}

/** Checks whose request bodies carry the run's webhook URL, where a refused URL would be judged. */
const WEBHOOK_URL_USERS = ['positive-input', 'negative-input', 'resource-lifecycle'];

function needsWebhookUrl(selected: Check[], config: ResolvedConfig): boolean {
  const ops = config.operations;
  return Boolean(config.keys.full) && selected.some((c) => WEBHOOK_URL_USERS.includes(c.id)) && (!ops.length || ops.includes('createWebhook'));
}

/**
 * D9: outside the mock, webhook URLs are https only, so a target may refuse the local sink's
 * http:// URL (422 naming `url`). Then the run's fixtures use an https URL nobody answers
 * (webhook-signature skips with the reason); else the sink. The probe webhook is deleted.
 */
async function webhookUrlFor(sender: ExchangeSender, spec: SpecIndex, secrets: SecretRing, sinkUrl: string, unreachable: string): Promise<string> {
  const create = spec.operation('createWebhook');
  const remove = spec.operation('deleteWebhook');
  if (!create) return sinkUrl;
  const ex = await sender.send('fixtures', { method: create.method, path: create.path, json: { url: sinkUrl, events: ['usage.threshold'] }, operationId: create.operationId });
  const body = ex.response?.json as { id?: unknown; secret?: unknown; error?: { details?: { field?: unknown } } } | undefined;
  if (typeof body?.secret === 'string') secrets.add(body.secret);
  if (ex.response?.status === 201 && typeof body?.id === 'string' && remove) {
    await sender.send('fixtures', { method: remove.method, path: fillPath(remove.path, { webhookId: body.id }), operationId: remove.operationId });
  }
  return ex.response?.status === 422 && body?.error?.details?.field === 'url' ? unreachable : sinkUrl;
}

async function runCleanups(list: (() => Promise<unknown>)[], maxMs: number): Promise<void> {
  const all = Promise.allSettled(list.map((fn) => fn()));
  await Promise.race([all, new Promise((r) => setTimeout(r, maxMs).unref())]);
}
