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
