/** DNS through a dns2 server on 127.0.0.1; the system resolver is never asked. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arpaName, resolveTarget, reverseLookup } from '../../src/probe/resolve.js';
import { parseTarget } from '../../src/probe/target.js';
import type { ProbeTarget } from '../../src/probe/types.js';
import { startDns, type RunningDns } from '../support/dns-server.js';

let dns: RunningDns;

beforeAll(async () => {
  dns = await startDns({
    'example.test': [
      { type: 'MX', exchange: 'mx2.example.test', priority: 20 },
      { type: 'MX', exchange: 'mx1.example.test', priority: 10 },
      { type: 'A', address: '192.0.2.80' },
    ],
    'mx1.example.test': [{ type: 'A', address: '192.0.2.25' }, { type: 'AAAA', address: '2001:db8::25' }],
    'mx2.example.test': [{ type: 'A', address: '192.0.2.26' }],
    'deadmx.test': [
      { type: 'MX', exchange: 'gone.deadmx.test', priority: 5 },
      { type: 'MX', exchange: 'mx.deadmx.test', priority: 10 },
    ],
    'mx.deadmx.test': [{ type: 'A', address: '192.0.2.40' }],
    'nomail.test': [{ type: 'MX', exchange: '', priority: 0 }],
    'implicit.test': [{ type: 'A', address: '192.0.2.50' }],
    'smtp.implicit.test': [{ type: 'A', address: '192.0.2.51' }],
    'empty.test': [{ type: 'TXT', data: 'v=spf1 -all' }],
    'broken-mx.test': [{ type: 'MX', exchange: 'nowhere.broken-mx.test', priority: 10 }],
    '25.2.0.192.in-addr.arpa': [{ type: 'PTR', domain: 'mx1.example.test' }],
    '99.2.0.192.in-addr.arpa': [{ type: 'PTR', domain: 'mx2.example.test' }],
  });
  dns.silence('slow.test');
  dns.servfail('servfail.test');
});
afterAll(() => dns.close());

function target(input: string): ProbeTarget {
  const r = parseTarget(input);
  if (!r.ok) throw new Error(`bad target ${input}`);
  return r.target;
}

describe('resolveTarget', () => {
  it('follows MX in preference order to the best host and its addresses', async () => {
    const r = await resolveTarget(target('taro@example.test'), dns.resolver(), 1000);
    expect(r.mx).toEqual([
      { exchange: 'mx1.example.test', priority: 10 },
      { exchange: 'mx2.example.test', priority: 20 },
    ]);
    expect(r.host).toBe('mx1.example.test');
    expect(r.addresses).toEqual(['192.0.2.25', '2001:db8::25']);
    expect(r.error).toBeNull();
  });

  it('a bare domain with MX is treated as a mail domain', async () => {
    const r = await resolveTarget(target('example.test'), dns.resolver(), 1000);
    expect(r.host).toBe('mx1.example.test');
  });

  it('a name with a port is the server itself, MX is not consulted', async () => {
    const r = await resolveTarget(target('example.test:587'), dns.resolver(), 1000);
    expect(r).toMatchObject({ host: 'example.test', addresses: ['192.0.2.80'], mx: null });
  });

  it('skips an MX host without addresses, as a sending server would', async () => {
    const r = await resolveTarget(target('deadmx.test'), dns.resolver(), 1000);
    expect(r.host).toBe('mx.deadmx.test');
    expect(r.addresses).toEqual(['192.0.2.40']);
  });

  it('explains a null MX', async () => {
    const r = await resolveTarget(target('taro@nomail.test'), dns.resolver(), 1000);
    expect(r).toMatchObject({ nullMx: true, host: null, addresses: [] });
  });

  it('falls back to the domain address when there is no MX (implicit MX)', async () => {
    const r = await resolveTarget(target('hanako@implicit.test'), dns.resolver(), 1000);
    expect(r).toMatchObject({ implicitMx: true, host: 'implicit.test', addresses: ['192.0.2.50'], mx: null });
  });

  it('a host name without MX resolves to its own address', async () => {
    const r = await resolveTarget(target('smtp.implicit.test'), dns.resolver(), 1000);
    expect(r).toMatchObject({ host: 'smtp.implicit.test', addresses: ['192.0.2.51'] });
  });

  it('reports names that do not exist, exist without addresses, or have an MX pointing nowhere', async () => {
    expect(await resolveTarget(target('taro@nosuch.test'), dns.resolver(), 1000)).toMatchObject({ error: 'ENOTFOUND', addresses: [] });
    expect(await resolveTarget(target('smtp.nosuch.test'), dns.resolver(), 1000)).toMatchObject({ error: 'ENOTFOUND', addresses: [] });
    expect(await resolveTarget(target('taro@empty.test'), dns.resolver(), 1000)).toMatchObject({ error: 'ENODATA', addresses: [] });
    expect(await resolveTarget(target('broken-mx.test'), dns.resolver(), 1000)).toMatchObject({
      host: 'nowhere.broken-mx.test',
      addresses: [],
      error: 'ENOTFOUND',
    });
  });

  it('reports SERVFAIL and a DNS server that never answers, within the budget', async () => {
    expect(await resolveTarget(target('servfail.test'), dns.resolver(), 1000)).toMatchObject({ error: 'ESERVFAIL' });
    const t0 = Date.now();
    const r = await resolveTarget(target('slow.test'), dns.resolver(5000), 300);
    expect(r.error).toBe('ETIMEOUT');
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('an IP literal needs no lookup at all', async () => {
    const calls: string[] = [];
    const spy = {
      resolveMx: async (n: string) => (calls.push(n), []),
      resolve4: async (n: string) => (calls.push(n), []),
      resolve6: async (n: string) => (calls.push(n), []),
      reverse: async (n: string) => (calls.push(n), []),
    };
    const r = await resolveTarget(target('[2001:db8::1]:587'), spy, 1000);
    expect(r).toMatchObject({ host: '2001:db8::1', addresses: ['2001:db8::1'] });
    expect(calls).toEqual([]);
  });
});

describe('reverseLookup', () => {
  it('finds the PTR name and confirms it resolves back (FCrDNS)', async () => {
    expect(await reverseLookup(dns.resolver(), '192.0.2.25', 1000)).toEqual({
      address: '192.0.2.25',
      names: ['mx1.example.test'],
      forwardConfirmed: true,
      error: null,
    });
  });

  it('flags a PTR name that resolves elsewhere, and a missing PTR', async () => {
    expect(await reverseLookup(dns.resolver(), '192.0.2.99', 1000)).toMatchObject({ names: ['mx2.example.test'], forwardConfirmed: false });
    expect(await reverseLookup(dns.resolver(), '192.0.2.7', 1000)).toMatchObject({ names: [], forwardConfirmed: false, error: 'ENOTFOUND' });
  });

  it('builds reverse names for both families', () => {
    expect(arpaName('192.0.2.25')).toBe('25.2.0.192.in-addr.arpa');
    expect(arpaName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  });
});
