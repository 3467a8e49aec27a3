// Shared types of the handlers: what a handler receives (the request after every gate) and
// returns (a status and a body, pre-serialised JSON, or "already streamed").
// Limits: handlers run after auth, limits and validation, so they trust body/query shapes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockConfig, PlanConfig } from '../config.ts';
import type { OperationInfo } from '../contract/spec.ts';
import type { Fixtures } from '../fixtures/index.ts';
import type { MockPreferences } from '../pipeline/prefer.ts';
import type { RateDecision } from '../pipeline/rate-limit.ts';
import type { RateLimiter } from '../pipeline/rate-limit.ts';
import type { AccountRegistry, AccountState } from '../state/accounts.ts';
import type { KeyRecord, KeyRing } from '../state/key-ring.ts';
import type { WebhookDispatcher } from '../webhooks/dispatcher.ts';

export interface MockServices {
  config: MockConfig;
  now: () => number;
  seed: number;
  keys: KeyRing;
  limiter: RateLimiter;
  accounts: AccountRegistry;
  dispatcher: WebhookDispatcher;
  fixtures: Fixtures;
  /** Sends a webhook event to the account's subscribers (fire and forget). */
  emit(account: AccountState, type: string, data: unknown): void;
  /** Runs `fn` after `ms` on an unref'd timer that reset and close cancel. */
  schedule(ms: number, fn: () => void): void;
}

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  op: OperationInfo;
  params: Record<string, string>;
  query: Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  key: KeyRecord;
  account: AccountState;
  plan: PlanConfig;
  rate: RateDecision;
  prefs?: MockPreferences;
  services: MockServices;
  /** Response headers gathered so far (request id, CORS, rate limits), for handlers that stream. */
  responseHeaders: Record<string, string | number>;
}

export type HandlerResult =
  | {
      status: number;
      body?: unknown;
      /** The body already serialised (a precomputed template). */
      json?: string;
      /** Raw bytes with their own Content-Type header (static files). */
      raw?: Buffer;
      headers?: Record<string, string | number>;
      /** 401 answers carry no rate-limit headers (D7). */
      omitRateHeaders?: boolean;
    }
  | { streamed: true };

export type Handler = (ctx: HandlerContext) => HandlerResult | Promise<HandlerResult>;

export type HandlerTable = Record<string, Handler>;
