/**
 * Per-user rate limit and a global cap on probes running at once, so a chat full of people (or one script)
 * cannot turn the bot into a port scanner or exhaust its sockets. Kept in the bot's state store, so the limits hold
 * across restarts and across every instance on one store: a counter per user and minute (atomic increment with
 * expiry), and one expiring lock per concurrency slot (a crashed instance's slot frees itself).
 */

export type Acquired = { ok: true; release: () => Promise<void> } | { ok: false; reason: 'rate-limited' | 'busy'; retryAfterSec: number };

export interface ProbeLimiter {
  acquire(userId: string): Promise<Acquired>;
}

/** The part of the bot's state store (src/bot/state.ts) the limits need. */
export interface LimiterStore {
  incr(key: string, ttlMs: number, by?: number): Promise<{ value: number; ttlMs: number }>;
  tryLock(key: string, ttlMs: number): Promise<string | undefined>;
  unlock(key: string, token: string): Promise<void>;
}

export interface LimiterOptions {
  perMinute: number;
  maxConcurrent: number;
  /** How long a running probe may take at most; the wait suggested when every slot is taken. */
  busyRetrySec: number;
  store: LimiterStore;
}

const WINDOW_MS = 60_000;

export function createLimiter(opts: LimiterOptions): ProbeLimiter {
  const { store } = opts;
  // A slot outlives the longest probe by a margin; after a crash it comes back by itself.
  const slotTtlMs = Math.max(1, opts.busyRetrySec) * 1000 + 10_000;

  const takeSlot = async (): Promise<{ key: string; token: string } | undefined> => {
    for (let i = 0; i < opts.maxConcurrent; i++) {
      const key = `probe:slot:${i}`;
      const token = await store.tryLock(key, slotTtlMs);
      if (token) return { key, token };
    }
    return undefined;
  };

  return {
    async acquire(userId) {
      const slot = await takeSlot();
      // Busy is checked first, so that a refused attempt does not use up one of the user's probes.
      if (!slot) return { ok: false, reason: 'busy', retryAfterSec: Math.max(1, opts.busyRetrySec) };
      const count = await store.incr(`probe:rate:${userId}`, WINDOW_MS);
      if (count.value > opts.perMinute) {
        await store.unlock(slot.key, slot.token);
        return { ok: false, reason: 'rate-limited', retryAfterSec: Math.max(1, Math.ceil(count.ttlMs / 1000)) };
      }
      let released = false;
      return {
        ok: true,
        release: async () => {
          // Idempotent so a finally block and an abort handler can both call it safely.
          if (released) return;
          released = true;
          await store.unlock(slot.key, slot.token);
        },
      };
    },
  };
}
