/**
 * One suite, every adapter: memory, SQLite (a temporary data directory) and a real redis-server on loopback. What the
 * bot relies on — expiry, set-if-absent under a race, atomic counters, locks that only their holder releases,
 * prefix listing, and state that outlives the store object (SQLite and Redis) — is checked the same way on each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLock, type StateStore } from '../../src/bot/state.js';
import { MemoryStore } from '../../src/state/memory.js';
import { RedisStore } from '../../src/state/redis.js';
import { SqliteStore } from '../../src/state/sqlite.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let redis: RedisServer;
const dirs: string[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Adapter {
  name: string;
  /** A new store object; `reopen` gives another one on the same data (undefined for memory). */
  open(): Promise<{ store: StateStore; reopen?: () => Promise<StateStore> }>;
}

let prefixes = 0;
const adapters: Adapter[] = [
  { name: 'memory', open: async () => ({ store: new MemoryStore() }) },
  {
    name: 'sqlite',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'smtp-doctor-state-'));
      dirs.push(dir);
      return { store: new SqliteStore(dir), reopen: async () => new SqliteStore(dir) };
    },
  },
  {
    name: 'redis',
    open: async () => {
      const options = { prefix: `t${++prefixes}:` };
      return { store: await RedisStore.connect(redis.url, options), reopen: () => RedisStore.connect(redis.url, options) };
    },
  },
];

describe.each(adapters)('$name store', (adapter) => {
  let store: StateStore;
  let reopen: (() => Promise<StateStore>) | undefined;
  beforeAll(async () => {
    ({ store, reopen } = await adapter.open());
  });
  afterAll(async () => {
    await store.close();
  });

  it('gets what was set, JSON intact, and nothing for a missing key', async () => {
    const value = { steps: ['a', 'b'], lang: 'ja', n: 3, ok: true, none: null, text: '日本語 ✅' };
    await store.set('obj', value);
    expect(await store.get('obj')).toEqual(value);
    expect(await store.get('missing')).toBeUndefined();
    await store.set('obj', 'replaced');
    expect(await store.get('obj')).toBe('replaced');
    await store.delete('obj');
    expect(await store.get('obj')).toBeUndefined();
  });

  it('forgets a value after its TTL', async () => {
    await store.set('short', 1, 150);
    await store.set('long', 2, 60_000);
    expect(await store.get('short')).toBe(1);
    await sleep(300);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.get('long')).toBe(2);
  });

  it('setIfAbsent: exactly one of 20 concurrent claims wins, and the key can be claimed again after it expires', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('claim', i, 200)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.setIfAbsent('claim', 'again', 200)).toBe(false);
    await sleep(300);
    expect(await store.setIfAbsent('claim', 'again', 200)).toBe(true);
    expect(await store.get('claim')).toBe('again');
  });

  it('incr counts atomically, keeps the first TTL, and restarts after expiry', async () => {
    const values = await Promise.all(Array.from({ length: 25 }, () => store.incr('count', 300)));
    expect(values.map((c) => c.value).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const later = await store.incr('count', 60_000);
    expect(later.value).toBe(26);
    expect(later.ttlMs).toBeLessThanOrEqual(300);
    expect(later.ttlMs).toBeGreaterThan(0);
    expect((await store.incr('count', 300, -6)).value).toBe(20);
    await sleep(400);
    expect((await store.incr('count', 300)).value).toBe(1);
  });

  it('lists live keys by prefix, and only those', async () => {
    await store.set('fb:1', { a: 1 });
    await store.set('fb:2', { a: 2 });
    await store.set('fb:gone', { a: 3 }, 50);
    await store.set('fbx', 'other');
    await store.set('f*b:1', 'glob');
    await sleep(120);
    expect(await store.entries('fb:')).toEqual([
      ['fb:1', { a: 1 }],
      ['fb:2', { a: 2 }],
    ]);
    expect(await store.entries('f*b:')).toEqual([['f*b:1', 'glob']]);
  });

  it('a lock is held by one at a time, released only by its holder, and freed by its TTL', async () => {
    const token = await store.tryLock('conv', 200);
    expect(token).toBeDefined();
    expect(await store.tryLock('conv', 200)).toBeUndefined();
    await store.unlock('conv', 'not-the-token');
    expect(await store.tryLock('conv', 200)).toBeUndefined();
    await store.unlock('conv', token!);
    const again = await store.tryLock('conv', 150);
    expect(again).toBeDefined();
    await sleep(250);
    expect(await store.tryLock('conv', 1000)).toBeDefined();
  });

  it('withLock runs critical sections one at a time', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withLock(store, 'section', async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(5);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it('answers ping', async () => {
    expect(await store.ping()).toBe(true);
  });
});

describe.each(adapters.filter((a) => a.name !== 'memory'))('$name store, opened again', (adapter) => {
  let store: StateStore;
  let reopen: (() => Promise<StateStore>) | undefined;
  beforeAll(async () => {
    ({ store, reopen } = await adapter.open());
  });
  afterAll(async () => {
    await store.close();
  });

  it('keeps values and TTLs when the store is opened again (a restart)', async () => {
    await store.set('kept', { done: ['step-1'] });
    await store.setIfAbsent('dedupe', 1, 60_000);
    const second = await reopen!();
    try {
      expect(await second.get('kept')).toEqual({ done: ['step-1'] });
      expect(await second.setIfAbsent('dedupe', 1, 60_000)).toBe(false);
    } finally {
      await second.close();
    }
  });
});

describe('redis store', () => {
  it('fails at once with a clear reason when Redis is not there', async () => {
    const started = Date.now();
    await expect(RedisStore.connect('redis://127.0.0.1:1', { connectTimeoutMs: 2000 })).rejects.toThrow(/Redis at REDIS_URL is not reachable: .*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
