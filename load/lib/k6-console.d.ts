// k6 provides a `console` global (log, info, warn, error, debug), but @types/k6 does not declare it
// and load/tsconfig.json deliberately has no DOM or Node types; this declares just that much.
// Limits: only the methods k6 documents; formatting follows k6, not Node.
export {};

declare global {
  interface K6Console {
    log(...args: unknown[]): void;
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
    debug(...args: unknown[]): void;
  }
  var console: K6Console;
}
