/**
 * The store in one SQLite file (better-sqlite3) in the data directory: `npm start` on one machine keeps dedupe keys,
 * checklist progress, language choices, limits and feedback across restarts with nothing to install. WAL mode, so a
 * second process on the same file (the `review` command beside a running bot) reads and writes safely. Each
 * operation is one statement or one transaction, which SQLite runs atomically.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Counter, Json, StateStore } from '../bot/state.js';

export const SQLITE_FILE = 'smtp-doctor.sqlite';

interface Row {
  value: string;
  expires: number | null;
}

export class SqliteStore implements StateStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly sweeper: NodeJS.Timeout;
  private readonly q;

  /** `dir` is created when missing; the file inside it is `smtp-doctor.sqlite`. */
  constructor(
    dir: string,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dir, { recursive: true });
    this.db = new Database(join(dir, SQLITE_FILE));
    this.db.pragma('journal_mode = WAL');
    // Two processes on one file wait for each other's short transactions instead of failing with SQLITE_BUSY.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)');
    this.db.exec('CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires) WHERE expires IS NOT NULL');
    const db = this.db;
    this.q = {
      get: db.prepare<[string, number], Row>('SELECT value, expires FROM kv WHERE key = ? AND (expires IS NULL OR expires > ?)'),
      put: db.prepare<[string, string, number | null]>('INSERT INTO kv (key, value, expires) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires'),
      dropExpired: db.prepare<[string, number]>('DELETE FROM kv WHERE key = ? AND expires IS NOT NULL AND expires <= ?'),
      insertNew: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO kv (key, value, expires) VALUES (?, ?, ?)'),
      del: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
      delIf: db.prepare<[string, string]>('DELETE FROM kv WHERE key = ? AND value = ?'),
      // Keys between prefix and prefix + U+FFFF: an index range, and no LIKE wildcards to escape.
      range: db.prepare<[string, string, number], { key: string; value: string }>(
        'SELECT key, value FROM kv WHERE key >= ? AND key < ? AND (expires IS NULL OR expires > ?) ORDER BY key',
      ),
      sweep: db.prepare<[number]>('DELETE FROM kv WHERE expires IS NOT NULL AND expires <= ?'),
    };
    this.sweeper = setInterval(() => this.q.sweep.run(this.now()), 60_000);
    this.sweeper.unref();
  }

  private readonly claim = (key: string, json: string, ttlMs: number): boolean => {
    const t = this.now();
    return this.db.transaction(() => {
      this.q.dropExpired.run(key, t);
      return this.q.insertNew.run(key, json, t + ttlMs).changes === 1;
    }).immediate();
  };

  async get(key: string): Promise<Json | undefined> {
    const row = this.q.get.get(key, this.now());
    return row ? (JSON.parse(row.value) as Json) : undefined;
  }

  async set(key: string, value: Json, ttlMs?: number): Promise<void> {
    this.q.put.run(key, JSON.stringify(value), ttlMs === undefined ? null : this.now() + ttlMs);
  }

  async setIfAbsent(key: string, value: Json, ttlMs: number): Promise<boolean> {
    return this.claim(key, JSON.stringify(value), ttlMs);
  }

  async incr(key: string, ttlMs: number, by = 1): Promise<Counter> {
    const t = this.now();
    return this.db.transaction((): Counter => {
      const row = this.q.get.get(key, t);
      const expires = row?.expires ?? t + ttlMs;
      const value = (row ? Number(JSON.parse(row.value)) : 0) + by;
      this.q.put.run(key, JSON.stringify(value), expires);
      return { value, ttlMs: expires - t };
    }).immediate();
  }

  async delete(key: string): Promise<void> {
    this.q.del.run(key);
  }

  async entries(prefix: string): Promise<[string, Json][]> {
    return this.q.range.all(prefix, `${prefix}\uffff`, this.now()).map((r) => [r.key, JSON.parse(r.value) as Json]);
  }

  async tryLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    return this.claim(`lock:${key}`, JSON.stringify(token), ttlMs) ? token : undefined;
  }

  async unlock(key: string, token: string): Promise<void> {
    this.q.delIf.run(`lock:${key}`, JSON.stringify(token));
  }

  async ping(): Promise<boolean> {
    return this.db.open;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    if (this.db.open) this.db.close();
  }
}
