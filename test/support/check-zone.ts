/**
 * A zone for the sender checks: one healthy domain and one healthy IP, and one name per problem the checks report.
 * IPs are documentation addresses (192.0.2.x, 198.51.100.x): /etc/hosts answers for loopback before any DNS server.
 * The DNSBL zones are served here too, so blocklist lookups never leave the loopback server.
 */
import type { Zone } from './dns-server.js';

const DKIM_KEY = 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtestkey';
const spf = (data: string) => ({ type: 'TXT' as const, data });
const mx = (exchange: string, priority = 10) => ({ type: 'MX' as const, exchange, priority });
const a = (address: string) => ({ type: 'A' as const, address });
/** A domain that is healthy apart from what `extra` changes. */
const domain = (name: string, txt: string[] = ['v=spf1 mx -all'], opts: { mx?: boolean; dmarc?: boolean } = {}): Zone => ({
  [name]: [...(opts.mx === false ? [] : [mx(`mx.${name}`)]), ...txt.map(spf)],
  [`mx.${name}`]: [a('192.0.2.25')],
  ...(opts.dmarc === false ? {} : { [`_dmarc.${name}`]: [spf('v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test')] }),
  [`google._domainkey.${name}`]: [{ type: 'TXT', data: [DKIM_KEY.slice(0, 40), DKIM_KEY.slice(40)] }],
});

/** The name a list is asked under, written out here rather than taken from the code under test. */
const reversed = (ip: string): string => {
  if (!ip.includes(':')) return ip.split('.').reverse().join('.');
  const [head = '', tail = ''] = ip.split('::');
  const groups = (x: string) => (x ? x.split(':') : []);
  const fill = 8 - groups(head).length - groups(tail).length;
  const full = [...groups(head), ...Array<string>(fill).fill('0'), ...groups(tail)].map((g) => g.padStart(4, '0')).join('');
  return full.split('').reverse().join('.');
};
const listed = (ip: string, zones: Record<string, string>): Zone =>
  Object.fromEntries(Object.entries(zones).map(([zone, code]) => [`${reversed(ip)}.${zone}`, [a(code)]]));

export const CHECK_ZONE: Zone = {
  // Healthy: MX, SPF through one include, DMARC p=reject with reports, a DKIM key at a common selector.
  ...domain('good.test', ['v=spf1 ip4:192.0.2.0/24 include:_spf.mailer.test ~all', 'google-site-verification=abc']),
  '_dmarc.good.test': [spf('v=DMARC1; p=reject; rua=mailto:dmarc@good.test')],
  '_spf.mailer.test': [spf('v=spf1 ip4:198.51.100.0/24 -all')],
  'mail.good.test': [a('192.0.2.26'), mx('mx.good.test')],

  ...domain('nomx.test', ['v=spf1 ip4:192.0.2.25 -all'], { mx: false }),
  ...domain('implicit.test', ['v=spf1 a -all'], { mx: false }),
  'implicit.test': [a('192.0.2.27'), spf('v=spf1 a -all')],
  ...domain('nullmx.test', ['v=spf1 -all'], { mx: false }),
  'nullmx.test': [mx('', 0), spf('v=spf1 -all')],
  ...domain('nospf.test', []),
  ...domain('twospf.test', ['v=spf1 mx -all', 'v=spf1 ip4:192.0.2.25 -all']),
  // 2 includes + (a mx ptr exists include) + (a mx a: mx:) + (a) = 12 terms that cost a lookup
  ...domain('deep.test', ['v=spf1 include:l1.deep.test include:l2.deep.test -all']),
  'l1.deep.test': [spf('v=spf1 a mx ptr exists:x.deep.test include:l3.deep.test -all')],
  'l2.deep.test': [spf('v=spf1 a mx a:b.deep.test mx:c.deep.test -all')],
  'l3.deep.test': [spf('v=spf1 a -all')],
  ...domain('loop.test', ['v=spf1 include:spf.loop2.test -all']),
  'spf.loop2.test': [spf('v=spf1 include:loop.test -all')],
  ...domain('plusall.test', ['v=spf1 mx +all']),
  ...domain('neutral.test', ['v=spf1 mx ?all']),
  ...domain('badsyntax.test', ['v=spf1 ip4:192.0.2.300 mx -all']),
  ...domain('brokeninclude.test', ['v=spf1 include:nothing.mailer.test -all']),
  'nothing.mailer.test': [a('198.51.100.1')],
  ...domain('nodmarc.test', undefined, { dmarc: false }),
  // Three terms whose lookups find nothing (RFC 7208 4.6.4 allows two): a permerror; two are still fine.
  ...domain('voids.test', ['v=spf1 a:gone1.voids.test mx:gone2.voids.test exists:gone3.voids.test ip4:192.0.2.25 -all']),
  ...domain('twovoids.test', ['v=spf1 a:gone1.twovoids.test mx:gone2.twovoids.test ip4:192.0.2.25 -all']),
  // A public record pointing into an internal zone: the check must not follow it.
  ...domain('leaky.test', ['v=spf1 include:spf.intranet.corp -all']),
  'spf.intranet.corp': [spf('v=spf1 ip4:10.0.0.0/8 secret-internal-term -all')],
  ...domain('dmarcnone.test'),
  '_dmarc.dmarcnone.test': [spf('v=DMARC1; p=none')],
  ...domain('nodkim.test'),
  'google._domainkey.nodkim.test': [],

  // IPs. Healthy: a PTR whose name resolves back; listed nowhere.
  '25.2.0.192.in-addr.arpa': [{ type: 'PTR', domain: 'mx.good.test' }],
  // PTR to a name that resolves elsewhere.
  '31.2.0.192.in-addr.arpa': [{ type: 'PTR', domain: 'mx.good.test' }],
  '7.100.51.198.in-addr.arpa': [{ type: 'PTR', domain: 'out7.mailer.test' }],
  'out7.mailer.test': [a('198.51.100.7')],
  '8.100.51.198.in-addr.arpa': [{ type: 'PTR', domain: 'out8.mailer.test' }],
  'out8.mailer.test': [a('198.51.100.8')],
  '9.100.51.198.in-addr.arpa': [{ type: 'PTR', domain: 'out9.mailer.test' }],
  'out9.mailer.test': [a('198.51.100.9')],
  ...listed('198.51.100.7', {
    'zen.spamhaus.org': '127.0.0.2',
    'bl.spamcop.net': '127.0.0.2',
    'b.barracudacentral.org': '127.0.0.2',
    'psbl.surriel.com': '127.0.0.2',
    'dnsbl-1.uceprotect.net': '127.0.0.2',
  }),
  // On the PBL only: a policy listing (an address that should send through its ISP), not a spam listing.
  ...listed('198.51.100.8', { 'zen.spamhaus.org': '127.0.0.11' }),
  // Spamhaus refusing to answer (a public resolver): an error code, never a listing.
  ...listed('198.51.100.9', { 'zen.spamhaus.org': '127.255.255.254' }),

  // IPv6 (2001:db8::/32, documentation): a confirmed PTR, and a listing on the one list that documents IPv6 queries.
  // The other lists carry the same address too: a check that asked them would report listings they never make.
  [`${reversed('2001:db8::7')}.ip6.arpa`]: [{ type: 'PTR', domain: 'out6.mailer.test' }],
  'out6.mailer.test': [{ type: 'AAAA', address: '2001:db8::7' }],
  ...listed('2001:db8::7', { 'zen.spamhaus.org': '127.0.0.3', 'bl.spamcop.net': '127.0.0.2', 'b.barracudacentral.org': '127.0.0.2' }),
  [`${reversed('2001:db8::25')}.ip6.arpa`]: [{ type: 'PTR', domain: 'out6b.mailer.test' }],
  'out6b.mailer.test': [{ type: 'AAAA', address: '2001:db8::25' }],
};
