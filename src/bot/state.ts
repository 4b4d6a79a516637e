/**
 * The one place the bot keeps anything beyond a single message: dedupe keys, checklist progress, language choices,
 * channel pacing, probe limits, feedback, conversation state. A narrow key/value interface with expiry, so that the
 * same core runs on memory (tests, the terminal), SQLite (one machine, survives restarts) and Redis (several
 * instances behind a load balancer). Adapters live in src/state/; every one passes the same test suite.
 */

/** What a store keeps: anything JSON can carry. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Counter {
  value: number;
  /** Time left before the counter expires (and starts from zero again). */
  ttlMs: number;
}

export interface StateStore {
  /** Which adapter this is ("memory", "sqlite", "redis"), for logs and /readyz. */
  readonly kind: string;
  get(key: string): Promise<Json | undefined>;
  /** Without a TTL the value stays until deleted. */
  set(key: string, value: Json, ttlMs?: number): Promise<void>;
  /** Sets the value only when the key is absent (or expired); true when this call set it. Atomic across instances. */
  setIfAbsent(key: string, value: Json, ttlMs: number): Promise<boolean>;
  /** Adds `by` (default 1) atomically; a new counter starts from 0 and expires `ttlMs` after its creation. */
  incr(key: string, ttlMs: number, by?: number): Promise<Counter>;
  delete(key: string): Promise<void>;
  /** Every live key starting with `prefix`, with its value (for the operator's review; not for hot paths). */
  entries(prefix: string): Promise<[string, Json][]>;
  /** Takes a lock held at most `ttlMs` (a crashed holder cannot keep it); a token to unlock with, or undefined when held. */
  tryLock(key: string, ttlMs: number): Promise<string | undefined>;
  /** Releases a lock only when `token` still holds it (an expired and re-taken lock is left alone). */
  unlock(key: string, token: string): Promise<void>;
  /** Reachable and answering: for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class LockTimeoutError extends Error {
  constructor(key: string) {
    super(`could not take the lock "${key}" in time`);
    this.name = 'LockTimeoutError';
  }
}

/** Runs `fn` holding the lock on `key`, waiting for it up to `waitMs` (polling: locks are short here). */
export async function withLock<T>(store: StateStore, key: string, fn: () => Promise<T>, opts: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
  const ttlMs = opts.ttlMs ?? 5_000;
  const until = Date.now() + (opts.waitMs ?? 10_000);
  let token = await store.tryLock(key, ttlMs);
  for (let wait = 2; token === undefined; wait = Math.min(wait * 2, 50)) {
    if (Date.now() > until) throw new LockTimeoutError(key);
    await sleep(wait);
    token = await store.tryLock(key, ttlMs);
  }
  try {
    return await fn();
  } finally {
    await store.unlock(key, token);
  }
}

export function isJsonObject(v: Json | undefined): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
