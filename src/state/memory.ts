/** The store in this process's memory: for tests and the terminal chat. Values are copied through JSON like the others. */
import { randomUUID } from 'node:crypto';
import type { Counter, Json, StateStore } from '../bot/state.js';

interface Item {
  json: string;
  expires?: number;
}

export class MemoryStore implements StateStore {
  readonly kind = 'memory';
  private readonly items = new Map<string, Item>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    // Expired keys are dropped on read; the sweep only keeps memory flat for keys nobody reads again (dedupe).
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  private live(key: string): Item | undefined {
    const item = this.items.get(key);
    if (item?.expires !== undefined && item.expires <= this.now()) {
      this.items.delete(key);
      return undefined;
    }
    return item;
  }

  private sweep(): void {
    for (const key of [...this.items.keys()]) this.live(key);
  }

  async get(key: string): Promise<Json | undefined> {
    const item = this.live(key);
    return item ? (JSON.parse(item.json) as Json) : undefined;
  }

  async set(key: string, value: Json, ttlMs?: number): Promise<void> {
    this.items.set(key, { json: JSON.stringify(value), ...(ttlMs !== undefined ? { expires: this.now() + ttlMs } : {}) });
  }

  async setIfAbsent(key: string, value: Json, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async incr(key: string, ttlMs: number, by = 1): Promise<Counter> {
    const item = this.live(key);
    const expires = item?.expires ?? this.now() + ttlMs;
    const value = (item ? Number(JSON.parse(item.json)) : 0) + by;
    this.items.set(key, { json: JSON.stringify(value), expires });
    return { value, ttlMs: expires - this.now() };
  }

  async delete(key: string): Promise<void> {
    this.items.delete(key);
  }

  async entries(prefix: string): Promise<[string, Json][]> {
    const out: [string, Json][] = [];
    for (const key of [...this.items.keys()].sort()) {
      const item = key.startsWith(prefix) ? this.live(key) : undefined;
      if (item) out.push([key, JSON.parse(item.json) as Json]);
    }
    return out;
  }

  async tryLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    return (await this.setIfAbsent(`lock:${key}`, token, ttlMs)) ? token : undefined;
  }

  async unlock(key: string, token: string): Promise<void> {
    if ((await this.get(`lock:${key}`)) === token) this.items.delete(`lock:${key}`);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}
