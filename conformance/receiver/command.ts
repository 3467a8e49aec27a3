// The commander definition of partner mode, `chaozcode-conformance receiver`, picked up by
// conformance/cli.ts (it imports `receiverCommand` from this file when present).
// Limits: flags only (plus CHAOZCODE_WEBHOOK_SECRET); no config file for partner mode.
import { Command } from 'commander';
import { runReceiverCommand, type ReceiverFlags } from './partner-cli.ts';

export function receiverCommand(): Command {
  const cmd = new Command('receiver')
    .description('Partner mode: send correctly signed and tampered webhook events of every type to YOUR receiver; signed ones must get 2xx, tampered ones 4xx.')
    .option('--url <url>', 'the URL of the webhook receiver to test')
    .option('--secret <secret>', 'the webhook secret the receiver verifies with (or env CHAOZCODE_WEBHOOK_SECRET)')
    .option('--timeout <ms>', 'per-request timeout in ms (default 10000, the delivery deadline)')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--json <file>', 'write the JSON report (schema: generated/conformance-report.schema.json)')
    .option('--spec <file>', 'the bundled OpenAPI document (default: the package\'s generated/openapi.json)')
    .showHelpAfterError()
    .action(async (_flags: ReceiverFlags, self: Command) => {
      // --junit/--json/--spec are also options of the main command, which may claim them.
      const code = await runReceiverCommand(self.optsWithGlobals<ReceiverFlags>(), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) });
      process.exitCode = code;
      setTimeout(() => process.exit(code), 1_000).unref();
    });
  cmd.exitOverride((err) => {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') process.exit(0);
    process.exit(2);
  });
  return cmd;
}
