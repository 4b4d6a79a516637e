/** Probe limits over the state store: per-user rate and a global cap, the same on memory, SQLite and Redis. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateStore } from '../../src/bot/state.js';
import { limiterFromConfig } from '../../src/probe/index.js';
import { createLimiter } from '../../src/probe/limits.js';
import { MemoryStore } from '../../src/state/memory.js';
import { RedisStore } from '../../src/state/redis.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('createLimiter (memory store with a clock)', () => {
  it('lets a user run N probes a minute, then says when the next one is possible', async () => {
    const c = clock();
    const limiter = createLimiter({ perMinute: 3, maxConcurrent: 10, busyRetrySec: 20, store: new MemoryStore(c.now) });
    for (let i = 0; i < 3; i++) {
      const slot = await limiter.acquire('u1');
      expect(slot.ok).toBe(true);
      if (slot.ok) await slot.release();
      c.advance(10_000);
    }
    // The first probe was 30 s ago: the minute that started with it ends 30 s from now.
    expect(await limiter.acquire('u1')).toEqual({ ok: false, reason: 'rate-limited', retryAfterSec: 30 });
    expect((await limiter.acquire('u2')).ok).toBe(true);
    c.advance(30_000);
    expect((await limiter.acquire('u1')).ok).toBe(true);
  });

  it('caps probes running at once across users, and frees the slot on release (once)', async () => {
    const limiter = createLimiter({ perMinute: 100, maxConcurrent: 2, busyRetrySec: 20, store: new MemoryStore() });
    const a = await limiter.acquire('a');
    const b = await limiter.acquire('b');
    expect(await limiter.acquire('c')).toEqual({ ok: false, reason: 'busy', retryAfterSec: 20 });
    if (!a.ok || !b.ok) throw new Error('expected slots');
    await a.release();
    await a.release();
    expect((await limiter.acquire('c')).ok).toBe(true);
    expect((await limiter.acquire('d')).ok).toBe(false);
  });

  it('a refused attempt does not count against the user', async () => {
    const limiter = createLimiter({ perMinute: 1, maxConcurrent: 1, busyRetrySec: 5, store: new MemoryStore() });
    const held = await limiter.acquire('x');
    expect(await limiter.acquire('y')).toMatchObject({ ok: false, reason: 'busy' });
    if (held.ok) await held.release();
    expect((await limiter.acquire('y')).ok).toBe(true);
  });

  it('a slot held by a crashed instance frees itself after the longest probe', async () => {
    const c = clock();
    const store = new MemoryStore(c.now);
    const crashed = createLimiter({ perMinute: 100, maxConcurrent: 1, busyRetrySec: 20, store });
    expect((await crashed.acquire('a')).ok).toBe(true);
    const survivor = createLimiter({ perMinute: 100, maxConcurrent: 1, busyRetrySec: 20, store });
    expect(await survivor.acquire('b')).toMatchObject({ ok: false, reason: 'busy' });
    c.advance(30_001);
    expect((await survivor.acquire('b')).ok).toBe(true);
  });

  it('limiterFromConfig applies PROBE_RATE_PER_MINUTE and PROBE_MAX_CONCURRENT, and suggests the probe time limit', async () => {
    const limiter = limiterFromConfig(
      { allowCidrs: [], ports: [25], extraAllowedPorts: [], connectTimeoutMs: 5000, greetingTimeoutMs: 10_000, totalTimeoutMs: 19_500, ratePerMinute: 2, maxConcurrent: 1, egress25Blocked: false },
      new MemoryStore(),
    );
    const a = await limiter.acquire('u');
    expect(await limiter.acquire('v')).toEqual({ ok: false, reason: 'busy', retryAfterSec: 20 });
    if (a.ok) await a.release();
    const b = await limiter.acquire('u');
    if (b.ok) await b.release();
    expect(await limiter.acquire('u')).toMatchObject({ ok: false, reason: 'rate-limited' });
  });
});

describe('limits shared by two instances on one store', () => {
  let redis: RedisServer;
  let dir: string;
  const opened: StateStore[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'smtp-doctor-limits-'));
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const pairs: [string, () => Promise<[StateStore, StateStore]>][] = [
    ['sqlite', async () => [new SqliteStore(dir), new SqliteStore(dir)]],
    ['redis', async () => [await RedisStore.connect(redis.url, { prefix: 'lim:' }), await RedisStore.connect(redis.url, { prefix: 'lim:' })]],
  ];

  it.each(pairs)('%s: the rate and the cap count across both', async (_name, open) => {
    const [one, two] = await open();
    opened.push(one, two);
    const a = createLimiter({ perMinute: 2, maxConcurrent: 1, busyRetrySec: 20, store: one });
    const b = createLimiter({ perMinute: 2, maxConcurrent: 1, busyRetrySec: 20, store: two });
    const held = await a.acquire('u1');
    expect(held.ok).toBe(true);
    expect(await b.acquire('u2')).toMatchObject({ ok: false, reason: 'busy' });
    if (held.ok) await held.release();
    const second = await b.acquire('u1');
    expect(second.ok).toBe(true);
    if (second.ok) await second.release();
    expect(await a.acquire('u1')).toMatchObject({ ok: false, reason: 'rate-limited' });
  });
});
