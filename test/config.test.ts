/** The settings this issue added: state, operations and pacing, with their defaults and their errors. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('state and operations settings', () => {
  it('defaults: SQLite in ./data, no metrics port, a 10 s drain, replies paced at 1 s per channel and 10 s per user', () => {
    const c = loadConfig({});
    expect(c.state).toEqual({ dataDir: 'data' });
    expect(c.ops).toEqual({ metricsPort: 0, metricsHost: '127.0.0.1', drainTimeoutMs: 10_000 });
    expect([c.channelReplyIntervalMs, c.userReplyIntervalMs]).toEqual([1_000, 10_000]);
  });

  it('reads REDIS_URL, DATA_DIR, METRICS_PORT, METRICS_HOST and DRAIN_TIMEOUT_MS', () => {
    const c = loadConfig({ REDIS_URL: 'rediss://:pw@redis.internal:6380', DATA_DIR: '/var/lib/smtp-doctor', METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', DRAIN_TIMEOUT_MS: '30000' });
    expect(c.state).toEqual({ dataDir: '/var/lib/smtp-doctor', redisUrl: 'rediss://:pw@redis.internal:6380' });
    expect(c.ops).toEqual({ metricsPort: 9464, metricsHost: '0.0.0.0', drainTimeoutMs: 30_000 });
  });

  it('names a bad value without echoing it', () => {
    const bad = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
      } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
      }
      throw new Error('expected a ConfigError');
    };
    expect(bad({ REDIS_URL: 'localhost:6379' })).toEqual(['REDIS_URL: must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379']);
    expect(bad({ METRICS_PORT: '70000' })[0]).toMatch(/^METRICS_PORT: /);
    expect(bad({ DRAIN_TIMEOUT_MS: 'soon' })[0]).toMatch(/^DRAIN_TIMEOUT_MS: /);
    expect(bad({ REDIS_URL: 'http://:s3cret@host' }).join()).not.toContain('s3cret');
  });
});
