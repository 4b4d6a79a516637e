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

describe('Slack OAuth settings', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const full = { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'cs', SLACK_STATE_SECRET: 'ss', SLACK_INSTALL_KEY: key, SLACK_SIGNING_SECRET: 'sig' };
  const problems = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };

  it('all set: OAuth mode in HTTP mode, no single bot token, the key decoded', () => {
    const slack = loadConfig(full).slack;
    expect(slack?.botToken).toBeUndefined();
    expect(slack?.oauth).toMatchObject({ clientId: '111.222', clientSecret: 'cs', stateSecret: 'ss' });
    expect(slack?.oauth?.installKey.length).toBe(32);
  });

  it('names what is missing or conflicting, and a key that is not 32 bytes', () => {
    expect(problems({ SLACK_CLIENT_ID: '111.222' })).toEqual(['SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_INSTALL_KEY, SLACK_SIGNING_SECRET: needed for the OAuth install (many workspaces)']);
    expect(problems({ ...full, SLACK_APP_TOKEN: 'xapp-1' })).toEqual(['SLACK_APP_TOKEN: the OAuth install runs in HTTP mode; leave it unset']);
    expect(problems({ ...full, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual(['SLACK_BOT_TOKEN: each installed workspace has its own token in OAuth mode; leave it unset']);
    expect(problems({ ...full, SLACK_INSTALL_KEY: 'c2hvcnQ=' })).toEqual(['SLACK_INSTALL_KEY: must be 32 random bytes in base64 (openssl rand -base64 32)']);
  });
});
