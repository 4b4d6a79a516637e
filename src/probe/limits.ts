/**
 * Per-user rate limit and a global cap on probes running at once, so a chat full of people (or one script)
 * cannot turn the bot into a port scanner or exhaust its sockets. In memory: limits reset when the bot restarts.
 */

export type Acquired = { ok: true; release: () => void } | { ok: false; reason: 'rate-limited' | 'busy'; retryAfterSec: number };

export interface ProbeLimiter {
  acquire(userId: string): Acquired;
}

export interface LimiterOptions {
  perMinute: number;
  maxConcurrent: number;
  /** How long a running probe may take at most; the wait suggested when every slot is taken. */
  busyRetrySec: number;
  now?: () => number;
}

const WINDOW_MS = 60_000;

export function createLimiter(opts: LimiterOptions): ProbeLimiter {
  const now = opts.now ?? Date.now;
  const starts = new Map<string, number[]>();
  let running = 0;

  return {
    acquire(userId) {
      const t = now();
      const recent = (starts.get(userId) ?? []).filter((s) => t - s < WINDOW_MS);
      if (recent.length === 0) starts.delete(userId);
      else starts.set(userId, recent);

      if (recent.length >= opts.perMinute) {
        const oldest = recent[0] ?? t;
        return { ok: false, reason: 'rate-limited', retryAfterSec: Math.max(1, Math.ceil((oldest + WINDOW_MS - t) / 1000)) };
      }
      if (running >= opts.maxConcurrent) return { ok: false, reason: 'busy', retryAfterSec: Math.max(1, opts.busyRetrySec) };

      recent.push(t);
      starts.set(userId, recent);
      running++;
      let released = false;
      return {
        ok: true,
        release: () => {
          // Idempotent so a finally block and an abort handler can both call it safely.
          if (released) return;
          released = true;
          running--;
        },
      };
    },
  };
}
