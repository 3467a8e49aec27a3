// Entry of the bridge's worker thread: Worker execArgv cannot carry `--import tsx` on Node 20, so
// this registers tsx's loader in the worker, then loads the TypeScript worker module.
// Limits: needs tsx (a dependency of this repository).
import { register } from 'tsx/esm/api';

register();
await import('./sync-http-worker.ts');
