// The key ring (D4/D11): the configured keys plus keys created through POST /user/api-keys.
// Lookup is one Map access per request. Created keys work at once; a revoked key is gone from the
// ring, so its next request is 401. Keys are never logged in full (see maskKey).
// Limits: in memory; reset() restores the configured keys and forgets created ones.
import { createHash } from 'node:crypto';
import type { KeyConfig, KeyScope, KeyType } from '../config.ts';
import { randomAlnum } from '../pipeline/request-id.ts';

export interface KeyRecord {
  id: string;
  key: string;
  account: string;
  type: KeyType;
  scopes: KeyScope[];
  name: string;
  createdAt: string;
  /** When the key last authenticated a request (ms), formatted only when listed. */
  lastUsedAtMs: number | null;
}

export const KEY_PATTERN = /^cc_(live|test)_[A-Za-z0-9_]{8,}$/;

/** `cc_test_abcd…wxyz`: the prefix, four characters, an ellipsis and the last four. */
export function maskKey(key: string): string {
  const m = /^(cc_(?:live|test)_)(.*)$/.exec(key);
  const prefix = m ? m[1] : '';
  const rest = m ? m[2] : key;
  if (rest.length <= 8) return `${prefix}${rest.slice(0, 2)}…${rest.slice(-2)}`;
  return `${prefix}${rest.slice(0, 4)}…${rest.slice(-4)}`;
}

/** For logs: the first 8 characters and an ellipsis. */
export function logSafeKey(key: string): string {
  return `${key.slice(0, 8)}…`;
}

function stableKeyId(key: string): string {
  const digest = createHash('sha256').update(key).digest('base64').replace(/[^A-Za-z0-9]/g, '');
  return `key_${digest.slice(0, 16)}`;
}

export class KeyRing {
  private readonly byKey = new Map<string, KeyRecord>();

  constructor(
    private readonly configured: KeyConfig[],
    private readonly now: () => number,
    private readonly startedAt: string,
  ) {
    this.reset();
  }

  reset(): void {
    this.byKey.clear();
    for (const k of this.configured) {
      this.byKey.set(k.key, {
        id: stableKeyId(k.key),
        key: k.key,
        account: k.account,
        type: k.type,
        scopes: k.type === 'restricted' ? [...(k.scopes ?? [])] : [],
        name: k.name ?? `${k.type} key`,
        createdAt: this.startedAt,
        lastUsedAtMs: null,
      });
    }
  }

  /** The record of an active key, or undefined (unknown or revoked). */
  lookup(key: string): KeyRecord | undefined {
    return this.byKey.get(key);
  }

  /** Marks a key as used now (lastUsedAt). */
  touch(record: KeyRecord): void {
    record.lastUsedAtMs = this.now();
  }

  /** Active keys of one account, oldest first. */
  list(account: string): KeyRecord[] {
    return [...this.byKey.values()].filter((k) => k.account === account);
  }

  create(account: string, name: string, type: KeyType, scopes: KeyScope[], createdAt: string): KeyRecord {
    const prefix = type === 'production' ? 'cc_live_' : 'cc_test_';
    const record: KeyRecord = {
      id: `key_${randomAlnum(16)}`,
      key: prefix + randomAlnum(32),
      account,
      type,
      scopes: type === 'restricted' ? [...scopes] : [],
      name,
      createdAt,
      lastUsedAtMs: null,
    };
    this.byKey.set(record.key, record);
    return record;
  }

  /** Removes an account's key by id; false when the account has no such key. */
  revoke(account: string, id: string): KeyRecord | undefined {
    for (const record of this.byKey.values()) {
      if (record.id === id && record.account === account) {
        this.byKey.delete(record.key);
        return record;
      }
    }
    return undefined;
  }
}
