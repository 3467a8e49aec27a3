// `npm run load -- <script> [k6 run options]`: runs `k6 run [options] load/<script>.ts` from the
// repository root when a `k6` binary is on the PATH (k6 >= 0.57 runs TypeScript directly), and
// otherwise explains how to install k6 and exits 1. Makes no network calls itself.
// Example: npm run load -- smoke -e BASE_URL=http://127.0.0.1:4010/v2
// Limits: finds k6 by scanning PATH (no `which`); Windows PATHEXT is honoured for .exe/.cmd only.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const SCRIPTS = ['smoke', 'average-load', 'stream', 'rate-limits', 'soak', 'spike'] as const;

export const INSTALL_HELP = `k6 is not on the PATH. Install it (k6 v0.57 or newer, or any 1.x), then run this again:
  macOS:          brew install k6
  Debian/Ubuntu:  see https://grafana.com/docs/k6/latest/set-up/install-k6/ (Grafana's apt repository)
  Windows:        winget install k6 --source winget
  any OS:         a release binary from https://github.com/grafana/k6/releases
  Docker:         docker run --rm -i --network host -v "$PWD:/work" -w /work grafana/k6 run load/smoke.ts
The scripts are in load/ (see load/README.md).`;

const USAGE = `usage: npm run load -- <script> [k6 run options]
scripts: ${SCRIPTS.join(', ')}
example: npm run load -- smoke -e BASE_URL=http://127.0.0.1:4010/v2 -e KEY=cc_live_demo_enterprise`;

/** The first executable `name` in a PATH string, or null. */
export function findOnPath(name: string, pathEnv: string | undefined, platform: string = process.platform): string | null {
  const exts = platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

export type Parsed = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; script: string; k6Args: string[] };

export function parseArgs(argv: string[]): Parsed {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') return { kind: 'help' };
  const script = first.replace(/^load\//, '').replace(/\.ts$/, '');
  if (!(SCRIPTS as readonly string[]).includes(script)) return { kind: 'error', message: `unknown script "${first}"` };
  return { kind: 'run', script, k6Args: rest };
}

/** The command line as printed: values of variables named like KEY or SECRET, and cc_ keys, cut to 8 characters. */
export function maskArgs(args: string[]): string[] {
  return args.map((a) =>
    a
      .replace(/^([A-Z0-9_]*(?:KEY|SECRET)[A-Z0-9_]*=)(.+)$/, (_m, name: string, value: string) => `${name}${value.slice(0, 8)}…`)
      .replace(/\bcc_(live|test)_[A-Za-z0-9_]{1,}/g, (k) => (k.length > 8 ? `${k.slice(0, 8)}…` : k)),
  );
}

/** Runs k6 and resolves with its exit code (1 with the install help when k6 is missing). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    console.log(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  if (parsed.kind === 'error') {
    console.error(`${parsed.message}\n${USAGE}`);
    return 2;
  }
  const k6 = findOnPath('k6', env.PATH);
  if (!k6) {
    console.error(INSTALL_HELP);
    return 1;
  }
  // k6's handleSummary does not create folders.
  const results = path.join(repoRoot, 'load', 'results');
  if (!existsSync(results)) mkdirSync(results, { recursive: true });
  const args = ['run', ...parsed.k6Args, path.join('load', `${parsed.script}.ts`)];
  console.error(`> ${path.basename(k6)} ${maskArgs(args).join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(k6, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.on('error', (err) => {
      console.error(`could not start ${k6}: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
