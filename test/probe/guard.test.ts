/** The guard is a pure decision: these tests never open a socket. */
import { describe, expect, it } from 'vitest';
import { PRIVATE_CIDRS, checkAddress, checkPort } from '../../src/probe/guard.js';

const none = { cidrs: [] as string[] };

describe('checkAddress refuses every non-public range', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.53', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.127.255.254', 'carrier-grade-nat'],
    ['100.100.100.200', 'carrier-grade-nat'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['169.254.170.2', 'link-local'],
    ['192.0.0.192', 'reserved'],
    ['192.0.2.25', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['192.88.99.1', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fec0::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::a9fe:a9fe', 'link-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['ff05::fb', 'multicast'],
    ['2001:db8::25', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['100::1', 'reserved'],
    ['64:ff9b:1::a00:1', 'private'],
    ['4000::1', 'reserved'],
    ['::2', 'reserved'],
  ])('%s → %s', (ip, reason) => {
    expect(checkAddress(ip, none)).toMatchObject({ allowed: false, reason });
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:100.64.0.1', 'carrier-grade-nat'],
    ['::ffff:0:192.168.0.1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:a9fe:a9fe::1', 'link-local'],
  ])('IPv6 form of a refused IPv4: %s → %s', (ip, reason) => {
    expect(checkAddress(ip, none)).toMatchObject({ allowed: false, reason });
  });

  it('refuses IPv4-compatible addresses even around a public IPv4 (deprecated, never routed)', () => {
    expect(checkAddress('::808:808', none)).toMatchObject({ allowed: false, reason: 'reserved', embedded: '8.8.8.8' });
    expect(checkAddress('::a00:1', none)).toMatchObject({ allowed: false, reason: 'reserved', embedded: '10.0.0.1' });
  });

  it.each(['2130706433', '0x7f.1', '0177.0.0.1', '127.1', '1.2.3', 'fe80::1%eth0', 'localhost', '', '999.1.1.1'])(
    'refuses what is not a plain address: %j',
    (ip) => {
      expect(checkAddress(ip, none)).toEqual({ allowed: false, reason: 'invalid' });
    },
  );
});

describe('checkAddress allows', () => {
  it.each(['8.8.8.8', '1.1.1.1', '133.242.0.1', '2001:4860:4860::8888', '2404:6800:4004:80a::2005', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '172.32.0.1', '100.128.0.1', '169.253.255.255'])(
    'public %s',
    (ip) => {
      expect(checkAddress(ip, none)).toEqual({ allowed: true });
    },
  );

  it('private ranges only through the allow-list', () => {
    const allow = { cidrs: ['127.0.0.0/8', '10.1.0.0/16'] };
    expect(checkAddress('127.0.0.1', allow)).toEqual({ allowed: true });
    expect(checkAddress('::ffff:127.0.0.1', allow)).toEqual({ allowed: true });
    expect(checkAddress('10.1.2.3', allow)).toEqual({ allowed: true });
    expect(checkAddress('10.2.0.1', allow)).toMatchObject({ allowed: false, reason: 'private' });
    expect(checkAddress('::1', allow)).toMatchObject({ allowed: false, reason: 'loopback' });
  });

  it('--allow-private opens loopback, RFC 1918, CGNAT and ULA but not link-local (cloud metadata) or multicast', () => {
    const allow = { cidrs: [...PRIVATE_CIDRS] };
    for (const ip of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.0.10', '100.64.1.1', '::1', 'fd00::1']) {
      expect(checkAddress(ip, allow)).toEqual({ allowed: true });
    }
    expect(checkAddress('169.254.169.254', allow)).toMatchObject({ allowed: false, reason: 'link-local' });
    expect(checkAddress('fd00:ec2::254', allow)).toMatchObject({ allowed: false, reason: 'metadata' });
    expect(checkAddress('100.100.100.200', allow)).toMatchObject({ allowed: false, reason: 'metadata' });
    expect(checkAddress('fe80::1', allow)).toMatchObject({ allowed: false, reason: 'link-local' });
    expect(checkAddress('224.0.0.1', allow)).toMatchObject({ allowed: false, reason: 'multicast' });
    expect(checkAddress('0.0.0.0', allow)).toMatchObject({ allowed: false, reason: 'unspecified' });
  });

  it('cloud metadata addresses stay closed whatever is allowed: --allow-private, an allow-list naming them, embedded forms', () => {
    const wide = { cidrs: [...PRIVATE_CIDRS, '0.0.0.0/0', '::/0', '169.254.0.0/16', 'fd00:ec2::/32', '168.63.129.16/32'] };
    for (const ip of ['fd00:ec2::254', '169.254.169.254', '169.254.170.2', '100.100.100.200', '168.63.129.16', '::ffff:169.254.169.254', '::ffff:100.100.100.200', '64:ff9b::a9fe:a9fe']) {
      expect(checkAddress(ip, wide), ip).toMatchObject({ allowed: false, reason: 'metadata' });
    }
    // Their neighbours are judged as before.
    expect(checkAddress('fd00:ec2::1', { cidrs: [...PRIVATE_CIDRS] })).toEqual({ allowed: true });
    expect(checkAddress('100.100.100.201', { cidrs: [...PRIVATE_CIDRS] })).toEqual({ allowed: true });
    expect(checkAddress('168.63.129.17', { cidrs: [] })).toEqual({ allowed: true });
  });

  it('a malformed allow-list entry never widens access', () => {
    expect(checkAddress('10.0.0.1', { cidrs: ['10.0.0.0/99', 'garbage', '0x0a.0.0.0/8'] })).toMatchObject({ allowed: false });
  });
});

describe('checkPort', () => {
  it('allows the SMTP ports by default', () => {
    for (const p of [25, 465, 587, 2525]) expect(checkPort(p)).toBe(true);
  });
  it('refuses other ports unless configured', () => {
    for (const p of [22, 80, 443, 3306, 6379, 110, 143, 993, 0, 65536, 1.5]) expect(checkPort(p)).toBe(false);
    expect(checkPort(1025, [1025])).toBe(true);
    expect(checkPort(1026, [1025])).toBe(false);
  });
});
