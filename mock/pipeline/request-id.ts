// Request ids (D3/D5): `req_` plus 20 characters of [A-Za-z0-9], on every response.
// Random bytes are drawn from a pooled buffer to keep the per-request cost near zero.
// Limits: ids are random, not sortable; the modulo mapping is very slightly biased (fine for ids).
import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** `length` random characters of [A-Za-z0-9]. */
export function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    if (offset >= POOL_SIZE) {
      randomFillSync(pool);
      offset = 0;
    }
    out += ALPHABET[pool[offset++] % 62];
  }
  return out;
}

export const REQUEST_ID_PATTERN = /^req_[A-Za-z0-9]{16,}$/;

export function newRequestId(): string {
  return 'req_' + randomAlnum(20);
}
