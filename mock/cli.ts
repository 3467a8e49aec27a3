// `npm start`: runs the mock on http://127.0.0.1:4010 and prints where everything is, with the
// demo keys of D11 (public documentation, so printed in full; keys created at runtime never are).
// Options: --port/PORT, --host, --seed, --config FILE, --quiet. Stops cleanly on SIGINT/SIGTERM.
// Limits: a bad config or a busy port exits with status 1 and a one-line reason.
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, defaultConfig, loadConfig } from './config.ts';
import { logSafeKey } from './state/key-ring.ts';
import { startMock } from './server.ts';

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

const program = new Command()
  .name('chaozcode-mock')
  .description('Mock server of the ChaozCode API v2 (keys, plans, rate limits, state, streams, signed webhooks)')
  .option('-p, --port <port>', 'port to listen on (env PORT)', integer('port', 0, 65535), process.env.PORT ? integer('PORT', 0, 65535)(process.env.PORT) : 4010)
  .option('-H, --host <host>', 'interface to bind', '127.0.0.1')
  .option('-s, --seed <seed>', 'seed of the generated data', integer('seed', 0, 2 ** 31 - 1), 1)
  .option('-c, --config <file>', 'JSON config file (generated/mock-config.schema.json)')
  .option('-q, --quiet', 'print nothing but errors', false)
  .parse();

const opts = program.opts<{ port: number; host: string; seed: number; config?: string; quiet: boolean }>();

async function main(): Promise<void> {
  const config = loadConfig(opts.config); // validated here too, so a bad file fails before anything listens
  const mock = await startMock({ port: opts.port, host: opts.host, seed: opts.seed, config: opts.config, quiet: opts.quiet });
  if (!opts.quiet) {
    // The demo keys are public documentation; keys from a config file may be real secrets.
    const demo = new Set(defaultConfig().keys.map((k) => k.key));
    const shown = (key: string) => (demo.has(key) ? key : logSafeKey(key));
    const width = Math.max(...config.keys.map((k) => k.key.length));
    const lines = [
      `ChaozCode API v2 mock listening`,
      `  API       ${mock.baseUrl}`,
      `  Docs      ${mock.url}/docs/`,
      `  Spec      ${mock.url}/openapi.json  ${mock.url}/openapi.yaml`,
      `  Control   POST ${mock.url}/__mock/reset   GET ${mock.url}/__mock/deliveries`,
      `  Seed      ${opts.seed}${opts.config ? `   Config ${opts.config}` : ''}`,
      ``,
      `Demo keys (send as Authorization: Bearer <key>):`,
      ...config.keys.map((k) => {
        const account = config.accounts[k.account];
        const scopes = k.scopes && k.type === 'restricted' ? ` scopes=${k.scopes.join(',')}` : '';
        return `  ${shown(k.key).padEnd(width)}  ${k.type.padEnd(11)} plan=${account.plan}${scopes}`;
      }),
      ``,
      `Try: curl -H 'Authorization: Bearer ${shown(config.keys[1]?.key ?? config.keys[0].key)}' ${mock.baseUrl}/models`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!opts.quiet) process.stdout.write(`\n${signal}: stopping the mock\n`);
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  const message = err instanceof ConfigError ? e.message : e.code === 'EADDRINUSE' ? `port ${opts.port} is already in use (try --port)` : (e.stack ?? String(err));
  process.stderr.write(`mock: ${message}\n`);
  process.exit(1);
});
