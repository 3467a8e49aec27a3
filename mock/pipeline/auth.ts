// Authentication and authorization (D4): `Authorization: Bearer <key>`, key format, key ring
// lookup (401 with `WWW-Authenticate: Bearer`), then the key-type gates (403): readonly keys may
// only GET/HEAD, restricted keys only the operation tags in their scopes.
// Limits: the 403 gate runs after the rate limit (order 401, 429, 403), so it is a separate call.
import type { KeyRecord, KeyRing } from '../state/key-ring.ts';
import { KEY_PATTERN } from '../state/key-ring.ts';
import { ApiError } from './errors.ts';

export const WWW_AUTHENTICATE = 'Bearer';

function unauthorized(message: string): ApiError {
  return new ApiError('UNAUTHORIZED', message, undefined, { 'WWW-Authenticate': WWW_AUTHENTICATE });
}

/** The key record behind an Authorization header, or a 401. */
export function authenticate(header: string | undefined, ring: KeyRing): KeyRecord {
  if (!header) throw unauthorized('Missing API key: send Authorization: Bearer <key>');
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!m) throw unauthorized('Malformed Authorization header: expected Bearer <key>');
  const key = m[1];
  if (!KEY_PATTERN.test(key)) throw unauthorized('Malformed API key: keys look like cc_live_... or cc_test_...');
  const record = ring.lookup(key);
  if (!record) throw unauthorized('Invalid API key: it is unknown or has been revoked');
  return record;
}

/** 403 when the key's type does not allow this method or API area. */
export function authorize(record: KeyRecord, method: string, tag: string): void {
  if (record.type === 'readonly' && method !== 'GET' && method !== 'HEAD') {
    throw new ApiError('FORBIDDEN', `This API key is read-only: ${method} is not allowed`, { keyType: 'readonly' });
  }
  if (record.type === 'restricted' && !(record.scopes as string[]).includes(tag)) {
    throw new ApiError('FORBIDDEN', `This API key is restricted to ${record.scopes.join(', ')}: scope '${tag}' is required`, {
      keyType: 'restricted',
      requiredScope: tag,
    });
  }
}
