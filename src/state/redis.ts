/**
 * The store in Redis (ioredis), when REDIS_URL is set: several bot instances behind a load balancer then share
 * dedupe keys, progress, limits and locks, and behave as one. SET NX PX for claims and locks; counters and
 * compare-and-delete in Lua, which Redis runs atomically. Every key starts with a prefix, so one Redis can serve
 * other applications (or other deployments) too.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Counter, Json, StateStore } from '../bot/state.js';

const INCR = `local v = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {v, ttl}`;

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** SCAN's MATCH is a glob: a prefix with * ? [ ] \ in it must not widen the match. */
const globEscape = (s: string): string => s.replace(/[*?[\]\\]/g, '\\$&');

export interface RedisStoreOptions {
  /** Default "smtp-doctor:". */
  prefix?: string;
  /** How long start-up waits for the first connection. */
  connectTimeoutMs?: number;
}

export class RedisStore implements StateStore {
  readonly kind = 'redis';
  private readonly prefix: string;

  private constructor(
    private readonly client: Redis,
    prefix: string,
  ) {
    this.prefix = prefix;
  }

  /** Connects, or fails with the reason (unreachable, refused, wrong password) instead of retrying for ever. */
  static async connect(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      maxRetriesPerRequest: 2,
      // After the first connection, reconnect with a growing pause (capped at 2 s); commands wait meanwhile.
      retryStrategy: (times) => Math.min(times * 100, 2_000),
    });
    // Errors surface on the commands that fail; the event would otherwise crash the process. The first one says
    // why a connection failed (ECONNREFUSED, ENOTFOUND), where connect() itself only says "Connection is closed".
    let first: Error | undefined;
    client.on('error', (err: Error) => {
      first ??= err;
    });
    try {
      await client.connect();
    } catch (err) {
      client.disconnect();
      const why = first ?? err;
      throw new Error(`Redis at REDIS_URL is not reachable: ${why instanceof Error ? why.message : String(why)}`, { cause: why });
    }
    return new RedisStore(client, options.prefix ?? 'smtp-doctor:');
  }

  async get(key: string): Promise<Json | undefined> {
    const raw = await this.client.get(this.prefix + key);
    return raw === null ? undefined : (JSON.parse(raw) as Json);
  }

  async set(key: string, value: Json, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.client.set(this.prefix + key, JSON.stringify(value));
    else await this.client.set(this.prefix + key, JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async setIfAbsent(key: string, value: Json, ttlMs: number): Promise<boolean> {
    return (await this.client.set(this.prefix + key, JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
  }

  async incr(key: string, ttlMs: number, by = 1): Promise<Counter> {
    const [value, ttl] = (await this.client.eval(INCR, 1, this.prefix + key, by, Math.max(1, Math.round(ttlMs)))) as [number, number];
    return { value: Number(value), ttlMs: Number(ttl) };
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }

  async entries(prefix: string): Promise<[string, Json][]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.client.scan(cursor, 'MATCH', `${globEscape(this.prefix + prefix)}*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const unique = [...new Set(keys)].sort();
    if (unique.length === 0) return [];
    const values = await this.client.mget(unique);
    const out: [string, Json][] = [];
    unique.forEach((k, i) => {
      const raw = values[i];
      // A key that expired between SCAN and MGET is simply gone.
      if (raw !== null && raw !== undefined) out.push([k.slice(this.prefix.length), JSON.parse(raw) as Json]);
    });
    return out;
  }

  async tryLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    return (await this.setIfAbsent(`lock:${key}`, token, ttlMs)) ? token : undefined;
  }

  async unlock(key: string, token: string): Promise<void> {
    await this.client.eval(UNLOCK, 1, `${this.prefix}lock:${key}`, JSON.stringify(token));
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
