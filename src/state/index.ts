/** Picks the store a deployment asked for: Redis when REDIS_URL is set, else SQLite in the data directory. */
import type { StateStore } from '../bot/state.js';
import type { StateConfig } from '../config.js';

export async function openStore(config: StateConfig): Promise<StateStore> {
  if (config.redisUrl) {
    const { RedisStore } = await import('./redis.js');
    return RedisStore.connect(config.redisUrl);
  }
  const { SqliteStore } = await import('./sqlite.js');
  return new SqliteStore(config.dataDir);
}
