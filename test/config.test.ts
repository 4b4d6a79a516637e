/** DNS_SERVERS: validated at start, named with what is wrong, handed to the probe (and the checks) as given. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDnsServer } from '../src/config.js';
import { probeOptionsFromConfig } from '../src/probe/index.js';

describe('DNS_SERVERS', () => {
  it('accepts IPv4 and IPv6 servers with or without a port', () => {
    const config = loadConfig({ DNS_SERVERS: '127.0.0.1:5353, [::1]:53,192.0.2.53,2001:db8::53' });
    expect(config.probe.dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53', '192.0.2.53', '2001:db8::53']);
    expect(probeOptionsFromConfig(config.probe).dnsServers).toEqual(config.probe.dnsServers);
  });

  it('is absent when unset, so probes keep the system resolver', () => {
    expect(loadConfig({}).probe.dnsServers).toBeUndefined();
    expect(probeOptionsFromConfig(loadConfig({}).probe)).not.toHaveProperty('dnsServers');
  });

  it('names a bad value and says what a good one looks like', () => {
    for (const bad of ['dns.example.com:53', '127.0.0.1:0', '127.0.0.1:70000', '1.2.3:53', '[127.0.0.1]:53', '::1:53:x']) {
      let error: unknown;
      try {
        loadConfig({ DNS_SERVERS: bad });
      } catch (err) {
        error = err;
      }
      expect(error, bad).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain('DNS_SERVERS');
      expect((error as ConfigError).message).toContain(`"${bad}"`);
      expect((error as ConfigError).message).toContain('such as 127.0.0.1:5353');
    }
  });

  it('parseDnsServer normalises what the command line gives', () => {
    expect(parseDnsServer(' 127.0.0.1:53 ')).toBe('127.0.0.1:53');
    expect(parseDnsServer('[::1]:5353')).toBe('[::1]:5353');
    expect(parseDnsServer('localhost:53')).toBeNull();
    expect(parseDnsServer('')).toBeNull();
  });
});

describe('settings validated with valibot', () => {
  const problems = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };

  it('unset or empty settings take their defaults', () => {
    for (const env of [{}, { PROBE_PORTS: '', PROBE_CONNECT_TIMEOUT_MS: '', PROBE_EGRESS_25_BLOCKED: '', DISCORD_TOKEN: 't', DISCORD_MESSAGE_CONTENT: '' }]) {
      const c = loadConfig(env);
      expect(c.probe).toMatchObject({ ports: [25, 465, 587], extraAllowedPorts: [], connectTimeoutMs: 5000, greetingTimeoutMs: 10_000, egress25Blocked: false });
      expect(c.logLevel).toBe('warn');
      expect(c.channelReplyIntervalMs).toBe(1000);
    }
    expect(loadConfig({ DISCORD_TOKEN: 't' }).discord?.messageContent).toBe(true);
  });

  it('reads numbers, lists and switches as typed', () => {
    const c = loadConfig({ PROBE_EXTRA_ALLOWED_PORTS: ' 2526, 10025 ,', PROBE_TOTAL_TIMEOUT_MS: '9000', PROBE_EGRESS_25_BLOCKED: 'yes', PROBE_ALLOW_CIDRS: '10.0.0.0/8', LOG_LEVEL: 'debug', HOST: ' 0.0.0.0 ' });
    expect(c.probe).toMatchObject({ extraAllowedPorts: [2526, 10025], totalTimeoutMs: 9000, egress25Blocked: true, allowCidrs: ['10.0.0.0/8'] });
    expect(c.logLevel).toBe('debug');
  });

  it('names every bad setting once, with what a good value is', () => {
    expect(
      problems({
        PROBE_PORTS: '25,0',
        PROBE_CONNECT_TIMEOUT_MS: '1.5',
        PROBE_EGRESS_25_BLOCKED: 'maybe',
        PROBE_ALLOW_CIDRS: '10.0.0.0',
        LOG_LEVEL: 'loud',
        SLACK_BOT_TOKEN: 'xoxp-1',
        DISCORD_API_URL: 'not a url',
      }),
    ).toEqual([
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      'SLACK_BOT_TOKEN: must start with xoxb-',
      'DISCORD_API_URL: must be a URL such as http://127.0.0.1:3000/api/',
      'PROBE_ALLOW_CIDRS.0: must be CIDRs such as 10.0.0.0/8,fd00::/8',
      'PROBE_PORTS.1: must be port numbers from 1 to 65535 separated by commas',
      'PROBE_CONNECT_TIMEOUT_MS: must be a whole number from 100 to 60000',
      'PROBE_EGRESS_25_BLOCKED: must be true or false',
    ]);
  });
});
