// The mock's programmatic API: startMock() loads the config (validated), the bundled contract
// (once: Prism's operations, the route table, compiled validators, negotiated templates), wires the
// state, fixtures and webhook dispatcher, and listens on plain node:http. Node's own error answers
// (bad request lines, oversized headers, request timeouts, CONNECT, an unknown Expect) are replaced
// by the D5 envelope; a request must arrive whole within 30 s (slowloris), and Host is not required.
// Limits: one process may run several mocks; they share only the SSE active-stream counter.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createRequestListener } from './app.ts';
import { loadConfig, type MockConfigInput } from './config.ts';
import { createSpecAjv } from './contract/ajv.ts';
import { PrismEngine } from './contract/prism-engine.ts';
import { defaultSpecPath, loadSpec, readOperations, type OperationInfo } from './contract/spec.ts';
import { Fixtures } from './fixtures/index.ts';
import { handlers } from './handlers/index.ts';
import type { MockServices } from './handlers/types.ts';
import { envelopeBytes, type ErrorCode } from './pipeline/errors.ts';
import { corsHeaders } from './pipeline/cors.ts';
import { RateLimiter } from './pipeline/rate-limit.ts';
import { newRequestId } from './pipeline/request-id.ts';
import { Router } from './pipeline/router.ts';
import { compileValidators, type OperationValidators } from './pipeline/validate.ts';
import { AccountRegistry } from './state/accounts.ts';
import { KeyRing } from './state/key-ring.ts';
import { createSurface } from './surface.ts';
import { isoSeconds } from './time.ts';
import { WebhookDispatcher } from './webhooks/dispatcher.ts';

export interface StartMockOptions {
  /** Default 4010; 0 = ephemeral. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Faker seed, default 1. */
  seed?: number;
  /** An object (any subset of MockConfig, at any depth), or the path of a JSON config file. */
  config?: MockConfigInput | string;
  quiet?: boolean;
  /** Injected clock (ms since epoch) for rate limits, agents and timestamps. */
  now?: () => number;
  /** The bundled contract to serve (default generated/openapi.json). */
  specFile?: string;
  /** A request (headers and body) that has not fully arrived after this long is cut off; default 30 s. */
  requestTimeoutMs?: number;
}

export interface RunningMock {
  /** http://HOST:PORT */
  url: string;
  /** url + '/v2' */
  baseUrl: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

const generated = (name: string) => fileURLToPath(new URL(`../generated/${name}`, import.meta.url));

function prepareContract(doc: ReturnType<typeof loadSpec>) {
  const ops = readOperations(doc);
  const missing = ops.filter((op) => !handlers[op.operationId]).map((op) => op.operationId);
  if (missing.length > 0) throw new Error(`mock: no handler for operation(s) ${missing.join(', ')}`);
  const ajv = createSpecAjv(doc);
  const coercing = createSpecAjv(doc, { coerceTypes: true });
  const validators = new Map<string, OperationValidators>(ops.map((op) => [op.operationId, compileValidators(ajv, coercing, op)]));
  return { ops, validators, router: new Router<OperationInfo>(ops) };
}

/** Writes one D5 error straight onto a socket (before or outside the request pipeline), then closes it. */
function writeRawError(socket: Duplex, status: string, code: ErrorCode, message: string, extra: string[] = []): void {
  const requestId = newRequestId();
  const body = envelopeBytes(code, message, requestId);
  const head = [
    `HTTP/1.1 ${status}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    ...Object.entries(corsHeaders()).map(([k, v]) => `${k}: ${v}`),
    ...extra,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const message =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? 'The request headers are too large (16 KiB at most)'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'The request took too long to arrive'
        : 'The request could not be parsed as HTTP/1.1';
  writeRawError(socket, '400 Bad Request', 'INVALID_REQUEST', message);
}

/** Node answers CONNECT by closing the socket and an unknown Expect with a bare 417; the mock answers D5. */
function answerOddities(server: Server): void {
  server.on('clientError', answerClientError);
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    writeRawError(socket, '405 Method Not Allowed', 'METHOD_NOT_ALLOWED', 'CONNECT is not supported: the mock is not a proxy', [
      'Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    ]);
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const requestId = newRequestId();
    const body = envelopeBytes('INVALID_REQUEST', `Expect: ${String(req.headers.expect)} is not supported; only 100-continue is`, requestId);
    const headers = { ...corsHeaders(), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Request-Id': requestId };
    res.writeHead(400, { ...headers, Connection: 'close' }).end(body);
  });
}

export async function startMock(opts: StartMockOptions = {}): Promise<RunningMock> {
  const config = loadConfig(opts.config);
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? 1;
  const log = opts.quiet ? () => undefined : (line: string) => process.stderr.write(`${line}\n`);
  const specFile = opts.specFile ?? defaultSpecPath;
  const doc = loadSpec(specFile);
  const { validators, router } = prepareContract(doc);
  const engine = await PrismEngine.load(doc);
  await engine.warm();

  const timers = new Set<NodeJS.Timeout>();
  const dispatcher = new WebhookDispatcher({ ...config.webhooks, now });
  const services: MockServices = {
    config,
    now,
    seed,
    keys: new KeyRing(config.keys, now, isoSeconds(now())),
    limiter: new RateLimiter(now),
    accounts: new AccountRegistry(config, now),
    dispatcher,
    fixtures: new Fixtures(seed),
    emit: (account, type, data) => dispatcher.emit(account.webhooks.all(), type, data),
    schedule: (ms, fn) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
      t.unref();
      timers.add(t);
    },
  };
  const clearTimers = () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
  const reset = (): string[] => {
    clearTimers();
    services.keys.reset();
    services.limiter.reset();
    services.accounts.reset();
    services.fixtures.reset();
    dispatcher.reset();
    return ['state', 'keys', 'rateLimits', 'deliveries'];
  };
  const surface = createSurface({
    docsDir: generated('docs'),
    specJsonFile: opts.specFile ?? generated('openapi.json'),
    specYamlFile: generated('openapi.yaml'),
    reset,
    deliveries: () => dispatcher.log(),
  });

  // Node's defaults (60 s for headers, 300 s for a whole request, checked every 30 s) let a slow
  // client (slowloris) hold a connection for minutes; a mock on loopback needs far less.
  const requestTimeout = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server: Server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 10_000),
      requireHostHeader: false, // a mock has one host; Node's bare 400 would break D5
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(requestTimeout / 4))),
    },
    createRequestListener({ services, router, validators, handlers, engine, surface, log }),
  );
  answerOddities(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4010, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 4010);
  const host = opts.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    baseUrl: `${url}/v2`,
    port,
    close: () => {
      closing ??= (async () => {
        clearTimers();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await dispatcher.close();
      })();
      return closing;
    },
  };
}
