// Request body reading (D5/D6): JSON only, bounded. Over the limit is 413 at once, decided from
// Content-Length when given, else while reading; the rest of an oversized body is discarded as it
// arrives (never buffered), so the connection stays usable. Invalid UTF-8, non-JSON, non-object
// and too deeply nested (over 64 levels) bodies are 400 INVALID_REQUEST. Limits: no compressed bodies (Content-Encoding is refused as 400).
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.ts';

/** Bytes discarded from an oversized body before the connection is cut. */
const DISCARD_CAP_BYTES = 128 * 1024 * 1024;
const DISCARD_CAP_MS = 30_000;

export function tooLarge(limit: number): ApiError {
  return new ApiError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes`, { limit });
}

/** Reads and throws away what is left of a request, within bounds; then cuts the connection. */
export function discardBody(req: IncomingMessage): void {
  if (req.complete) return;
  let seen = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DISCARD_CAP_MS);
  timer.unref();
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DISCARD_CAP_BYTES) cut();
  });
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

/** True for `application/json` and `application/<x>+json`, with any parameters. */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  if (value === 'application/json') return true;
  const type = value.split(';', 1)[0].trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Reads the raw body, refusing more than `limit` bytes. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    discardBody(req);
    return Promise.reject(tooLarge(limit));
  }
  // Listeners are inline (not named closures): this runs on every request with a body.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        discardBody(req);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.on('error', (err: Error) => {
      failed = true;
      reject(err);
    });
  });
}

/** Deepest nesting of arrays and objects a body may have; deeper ones are refused before parsing. */
export const MAX_JSON_DEPTH = 64;

/**
 * True when the JSON text nests arrays/objects deeper than `max`. One pass over the bytes,
 * skipping strings, so that a hostile body (`[[[[...`) is refused before any recursive code
 * (hashing, validation, fixtures) sees it.
 */
export function nestsDeeperThan(raw: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Turns raw bytes into a JSON object, or throws the 400 the contract names. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) throw new ApiError('INVALID_REQUEST', 'The request body is required and must be a JSON object');
  if (!isUtf8(raw)) throw new ApiError('INVALID_REQUEST', 'The request body is not valid UTF-8');
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    throw new ApiError('INVALID_REQUEST', `The request body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte order mark is tolerated
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError('INVALID_REQUEST', `The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new ApiError('INVALID_REQUEST', `The request body must be a JSON object, not ${kind}`);
  }
  return value as Record<string, unknown>;
}

/** The whole body stage: Content-Type, size limit, UTF-8, JSON, object. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  if (req.headers['content-encoding'] && req.headers['content-encoding'] !== 'identity') {
    discardBody(req);
    throw new ApiError('INVALID_REQUEST', 'Compressed request bodies are not supported; send plain application/json');
  }
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody) throw new ApiError('INVALID_REQUEST', 'The request body is required and must be a JSON object');
  if (!isJsonContentType(req.headers['content-type'])) {
    discardBody(req);
    throw new ApiError('INVALID_REQUEST', 'The request body must be sent as Content-Type: application/json');
  }
  return parseJsonObject(await readRawBody(req, limit));
}
