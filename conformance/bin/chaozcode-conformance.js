#!/usr/bin/env node
// Launcher of the `chaozcode-conformance` bin: registers tsx (the package ships TypeScript and
// has no build step) and runs the CLI. Limits: needs Node >= 20.19 (tsx's module hooks).
import { register } from 'tsx/esm/api';

register();
const { cli } = await import('../cli.ts');
try {
  await cli(process.argv);
} catch (err) {
  console.error(`chaozcode-conformance: internal error: ${err?.stack ?? err}`);
  process.exit(2);
}
