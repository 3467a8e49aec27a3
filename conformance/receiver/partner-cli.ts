// The `receiver` subcommand (partner mode): `chaozcode-conformance receiver --url URL --secret S`.
// Validates the flags, runs partner.ts against the partner's receiver, prints the table and the
// failures (with curl lines), writes the JSON and JUnit reports like the main runner, and returns
// the exit code: 0 all as expected, 1 some receiver answer was wrong, 2 bad usage or unreachable.
// Limits: the secret may also come from CHAOZCODE_WEBHOOK_SECRET (better than a flag, which shows
// in `ps`); it is redacted (8 characters + …) in everything printed or written.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DEFAULT_SPEC, PACKAGE_ROOT, UsageError } from '../cli-options.ts';
import { redact, SecretRing } from '../redact.ts';
import { junitXml } from '../reporters/junit.ts';
import type { ConformanceReport } from '../report.ts';
import { SpecIndex } from '../spec.ts';
import { runPartner } from './partner.ts';
import { partnerReport, partnerTable } from './partner-report.ts';

export interface ReceiverFlags {
  url?: string;
  secret?: string;
  timeout?: string;
  junit?: string;
  json?: string;
  spec?: string;
}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const MAX_CURL = 700;

function packageVersion(): string {
  try {
    return String(JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}

/** Checks the flags; throws UsageError with a message naming the flag. */
export function validateReceiverFlags(flags: ReceiverFlags, env: NodeJS.ProcessEnv): { url: string; secret: string; timeoutMs: number; spec: string } {
  if (!flags.url) throw new UsageError('receiver mode needs --url: the URL of the webhook receiver to test');
  let url: URL;
  try {
    url = new URL(flags.url);
  } catch {
    throw new UsageError(`--url is not a URL: "${flags.url}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be http:// or https://, got "${url.protocol}"`);
  const secret = flags.secret ?? env.CHAOZCODE_WEBHOOK_SECRET;
  if (!secret) throw new UsageError('receiver mode needs the webhook secret: --secret S or CHAOZCODE_WEBHOOK_SECRET');
  const timeoutMs = flags.timeout === undefined ? 10_000 : Number(flags.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000) throw new UsageError(`--timeout must be an integer from 100 to 600000 (ms), got "${flags.timeout}"`);
  const spec = resolve(flags.spec ?? DEFAULT_SPEC);
  if (!existsSync(spec)) throw new UsageError(`the OpenAPI document ${spec} does not exist (run npm run build, or give --spec FILE)`);
  return { url: url.toString(), secret, timeoutMs, spec };
}

async function writeReports(report: ConformanceReport, flags: ReceiverFlags, ring: SecretRing): Promise<string[]> {
  const written: string[] = [];
  const files: [string | undefined, string][] = [
    [flags.json, `${JSON.stringify(report, null, 2)}\n`],
    [flags.junit, junitXml(report)],
  ];
  for (const [file, text] of files) {
    if (!file) continue;
    await mkdir(dirname(resolve(file)), { recursive: true });
    await writeFile(file, ring.scrub(text));
    written.push(file);
  }
  return written;
}

export async function runReceiverCommand(flags: ReceiverFlags, env: NodeJS.ProcessEnv, io: Io, signal?: AbortSignal): Promise<number> {
  let opts: ReturnType<typeof validateReceiverFlags>;
  let spec: SpecIndex;
  try {
    opts = validateReceiverFlags(flags, env);
    spec = SpecIndex.load(opts.spec);
  } catch (err) {
    io.err(`chaozcode-conformance receiver: ${(err as Error).message}`);
    return 2;
  }
  const ring = new SecretRing();
  ring.add(opts.secret);
  const say = (line: string) => io.out(ring.scrub(line).split(opts.secret).join(redact(opts.secret)));
  say(`chaozcode-conformance receiver: ${spec.title} ${spec.version} webhooks -> ${opts.url} (secret ${redact(opts.secret)})`);
  const run = await runPartner({ url: opts.url, secret: opts.secret, spec, timeoutMs: opts.timeoutMs, signal });
  const report = partnerReport({ run, url: opts.url, specTitle: spec.title, specVersion: spec.version, version: packageVersion() });
  if (run.fatal) {
    io.err(ring.scrub(`cannot run: ${run.fatal}`));
  } else {
    say('');
    for (const line of partnerTable(run).split('\n')) say(`  ${line}`);
    const failing = report.checks.filter((c) => c.status === 'failed');
    if (failing.length) say('\nFailures (each with one request to reproduce it; all in the JSON/JUnit reports)');
    for (const c of failing) {
      const mine = report.findings.filter((f) => f.checkId === c.id);
      const kase = run.cases.find((k) => k.id === c.id)!;
      const answers = [...new Set(mine.map((f) => f.actual))].join(', ');
      say(`  ✘ ${c.id}: ${mine.length} of ${c.cases.length} event types answered ${answers}, expected ${kase.expect}. ${kase.description}`);
      const curl = mine[0]?.curl;
      if (curl) say(`      ${curl.length > MAX_CURL ? `${curl.slice(0, MAX_CURL)}…` : curl}`);
    }
    const s = report.summary;
    say(`\n${report.ok ? 'PASS' : 'FAIL'}: ${s.cases.passed} of ${s.requests} deliveries answered as expected; ${(run.durationMs / 1000).toFixed(1)} s`);
  }
  try {
    for (const file of await writeReports(report, flags, ring)) say(`wrote ${file}`);
  } catch (err) {
    io.err(`cannot write a report: ${(err as Error).message}`);
    return 2;
  }
  return report.exitCode;
}
