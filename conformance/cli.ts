// `chaozcode-conformance`: judge an implementation of the ChaozCode API v2 by its contract.
// Exit codes: 0 every required check passed, 1 failures, 2 bad usage, bad config or an
// unreachable target, 130 interrupted by Ctrl-C (partial reports are still written).
// Prints a console summary (and its own elapsed time); writes JUnit XML
// and the JSON report (by default under conformance-report/). Partner mode (`receiver ...`) is added by
// receiver/command.ts when present (it exports `receiverCommand(): Command`).
// Limits: one target per invocation.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { allChecks } from './checks/index.ts';
import { preset } from './checks/preset.ts';
import { DEFAULT_JSON, DEFAULT_JUNIT, DEFAULT_SPEC, PACKAGE_ROOT, UsageError, notes, resolveCli, type CliFlags } from './cli-options.ts';
import { redact } from './redact.ts';
import { consoleSummary } from './reporters/console.ts';
import { junitXml } from './reporters/junit.ts';
import { runConformance } from './runner.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];

function version(): string {
  try {
    return JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function writeFile(file: string, text: string): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, text);
}

function operationIds(spec: string): string[] {
  const doc = JSON.parse(readFileSync(spec, 'utf8'));
  return Object.values<any>(doc.paths ?? {}).flatMap((item) => Object.values<any>(item ?? {}).map((op) => op?.operationId).filter(Boolean));
}

export function buildProgram(): Command {
  const program = new Command('chaozcode-conformance')
    .description('Judge any implementation of the ChaozCode API v2 by its contract (generated/openapi.json).')
    .version(version())
    .option('--base-url <url>', 'base URL of the target, with the version prefix (env CHAOZCODE_BASE_URL)')
    .option('--key <role=value>', 'API key by role: full, readonly, restricted, exhaust (repeatable; env CHAOZCODE_KEY_<ROLE>)', collect)
    .option('--demo-keys', 'use the local mock\'s demo keys (D11) for every role not given (default for a loopback target that accepts them when no key is given)')
    .option('--no-demo-keys', 'never fall back to the mock\'s demo keys')
    .option('--restricted-scopes <list>', 'scopes of the restricted key, comma-separated (env CHAOZCODE_RESTRICTED_SCOPES)')
    .option('--config <file>', 'JSON config file (schema: generated/conformance-config.schema.json)')
    .option('--only <ids>', 'run only these check ids, comma-separated')
    .option('--skip <ids>', 'skip these check ids, comma-separated')
    .option('--operation <operationId>', 'limit the run to an operation (repeatable)', collect)
    .option('--timeout <ms>', 'per-request timeout in ms (headers, and between body chunks)')
    .option('--concurrency <n>', 'requests in flight at once')
    .option('--max-run <ms>', 'upper bound of the whole run in ms')
    .option('--severity <check=level>', 'override a check\'s severity: error, warning or off (repeatable)', collect)
    .option('--slow', 'include opt-in slow checks')
    .option('--webhook-public-url <url>', 'public https URL forwarding to the local webhook receiver (for remote targets)')
    .option('--receiver-host <host[:port]>', 'where the local webhook receiver listens (default 127.0.0.1)')
    .option('--junit <file>', `where to write the JUnit XML report (default ${DEFAULT_JUNIT})`)
    .option('--json <file>', `where to write the JSON report, schema generated/conformance-report.schema.json (default ${DEFAULT_JSON})`)
    .option('--no-reports', 'write no report files')
    .option('--spec <file>', 'the bundled OpenAPI document', DEFAULT_SPEC)
    .addOption(new Option('--verbose', 'print warnings and progress too'))
    .option('--list-checks', 'list the checks and exit')
    .showHelpAfterError()
    .action(async (flags: CliFlags & { verbose?: boolean; listChecks?: boolean }) => {
      const code = await main(flags);
      process.exitCode = code;
      // Exit even if a misbehaving target left a socket half-open; output is flushed by then.
      setTimeout(() => process.exit(code), 1_000).unref();
    });
  program.exitOverride((err) => {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') process.exit(0);
    process.exit(2);
  });
  return program;
}

async function main(flags: CliFlags & { verbose?: boolean; listChecks?: boolean }): Promise<number> {
  const started = Date.now();
  if (flags.listChecks) {
    for (const c of Object.values(allChecks)) console.log(`${c.id.padEnd(24)} ${(preset[c.id] ?? 'error').padEnd(8)}${c.slow ? ' (slow, opt-in)' : ''}  ${c.title}`);
    return 0;
  }
  let config;
  try {
    config = await resolveCli(flags, process.env, Object.keys(allChecks));
    const known = operationIds(config.spec);
    const unknown = config.operations.filter((o) => !known.includes(o));
    if (unknown.length) throw new UsageError(`unknown operationId ${unknown.join(', ')}; see the contract's operations`);
  } catch (err) {
    if (err instanceof UsageError || err instanceof SyntaxError) {
      console.error(`chaozcode-conformance: ${err.message}`);
      return 2;
    }
    throw err;
  }
  for (const note of notes) console.log(`note: ${note}`);
  const roles = Object.entries(config.keys).map(([r, k]) => `${r}=${redact(k!)}`).join(', ');
  console.log(`target ${config.baseUrl}; keys ${roles || 'none'}`);
  // Ctrl-C: stop the run and still write what it judged; a second Ctrl-C quits at once.
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) process.exit(130);
    console.error('interrupted: stopping and writing partial reports (Ctrl-C again to quit now)');
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  const { report } = await runConformance({
    config, version: version(), signal: interrupt.signal,
    log: flags.verbose ? (line) => console.error(`  … ${line}`) : undefined,
  }).finally(() => process.off('SIGINT', onSigint));
  console.log(consoleSummary(report, { verbose: flags.verbose }));
  if (config.reports.junit) writeFile(config.reports.junit, junitXml(report));
  if (config.reports.json) writeFile(config.reports.json, `${JSON.stringify(report, null, 2)}\n`);
  if (config.reports.junit || config.reports.json) console.log(`reports: ${[config.reports.junit, config.reports.json].filter(Boolean).join(', ')}`);
  console.log(`elapsed ${((Date.now() - started) / 1000).toFixed(2)} s`);
  return interrupt.signal.aborted ? 130 : report.exitCode;
}

async function addPartnerMode(program: Command): Promise<void> {
  const file = './receiver/command.ts';
  try {
    const mod = (await import(file)) as { receiverCommand?: () => Command };
    if (mod.receiverCommand) program.addCommand(mod.receiverCommand());
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (!(e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('command.ts'))) throw err;
  }
}

export async function cli(argv: string[]): Promise<void> {
  const program = buildProgram();
  await addPartnerMode(program);
  await program.parseAsync(argv);
}

// Run when executed directly (`tsx conformance/cli.ts`, `npm run conformance`); the bin
// launcher imports this module and calls `cli` itself.
if (process.argv[1] && /conformance[\\/]cli\.ts$/.test(process.argv[1])) {
  cli(process.argv).catch((err) => {
    console.error(`chaozcode-conformance: internal error: ${(err as Error).stack ?? err}`);
    process.exit(2);
  });
}
