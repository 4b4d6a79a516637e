/**
 * Decides whether the bot may open a connection to an address and port. Pure, so every range can be tested without
 * a packet. Only global unicast addresses pass by default; anything else needs an explicit allow-list entry, because
 * anyone in a chat can ask for a probe and the bot must not become a way into the network it runs in.
 */
import ipaddr from 'ipaddr.js';
import type { AddressClass } from './types.js';

export type AddressDecision = { allowed: true } | { allowed: false; reason: AddressClass; embedded?: string };

export const SMTP_PORTS: readonly number[] = [25, 465, 587, 2525];

/** What `--allow-private` opens: the ranges of an internal deployment. Link-local (cloud metadata) stays closed. */
export const PRIVATE_CIDRS: readonly string[] = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '::1/128',
  'fc00::/7',
];

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

const table = (rows: [string, AddressClass][]): [Cidr, AddressClass][] => rows.map(([c, k]) => [ipaddr.parseCIDR(c), k]);

// Order matters: the first match wins (broadcast before the reserved 240/4 around it).
const V4 = table([
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade-nat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
]);

const V6 = table([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'private'],
  ['fc00::/7', 'unique-local'],
  ['fec0::/10', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['2001::/23', 'reserved'],
  ['100::/64', 'reserved'],
  ['5f00::/16', 'reserved'],
]);

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * Cloud metadata and host-agent endpoints: closed whatever an allow-list or --allow-private opens, because a probe
 * there hands a chat user the machine's credentials. Checked 2026-12-07:
 * 169.254.169.254 — AWS, GCP, Azure, Oracle and DigitalOcean instance metadata (also closed as link-local);
 * fd00:ec2::254 — AWS IMDS over IPv6 (EC2 API reference, HttpProtocolIpv6; aws-sdk metadata_service/endpoint.js);
 * 169.254.170.2 — AWS ECS task metadata and credentials;
 * 100.100.100.200 — Alibaba Cloud ECS metadata (cloud-init AliYun datasource docs), inside CGNAT 100.64.0.0/10;
 * 168.63.129.16 — Azure WireServer, a public-looking address (Microsoft Learn, "What is IP address 168.63.129.16?").
 */
const METADATA = ['169.254.169.254/32', '169.254.170.2/32', 'fd00:ec2::254/128', '100.100.100.200/32', '168.63.129.16/32'].map((c) => ipaddr.parseCIDR(c));

/** IPv6 forms that carry an IPv4 address a router or the kernel would end up talking to. */
const EMBEDDING: { cidr: Cidr; offset: number; always?: AddressClass }[] = [
  { cidr: ipaddr.parseCIDR('::ffff:0:0/96'), offset: 12 },
  { cidr: ipaddr.parseCIDR('::ffff:0:0:0/96'), offset: 12 },
  { cidr: ipaddr.parseCIDR('64:ff9b::/96'), offset: 12 },
  { cidr: ipaddr.parseCIDR('2002::/16'), offset: 2 },
  // IPv4-compatible addresses are deprecated (RFC 4291): never routable, whatever they embed.
  { cidr: ipaddr.parseCIDR('::/96'), offset: 12, always: 'reserved' },
];

function parseIp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(ip)) return ipaddr.IPv4.parse(ip);
  if (!ip.includes('%') && ipaddr.IPv6.isValid(ip)) return ipaddr.IPv6.parse(ip);
  return null;
}

function inside(addr: ipaddr.IPv4 | ipaddr.IPv6, cidr: Cidr): boolean {
  return addr.kind() === cidr[0].kind() && addr.match(cidr);
}

function classify(addr: ipaddr.IPv4 | ipaddr.IPv6): AddressClass | null {
  const rows = addr.kind() === 'ipv4' ? V4 : V6;
  for (const [cidr, cls] of rows) if (inside(addr, cidr)) return cls;
  if (addr.kind() === 'ipv6' && !inside(addr, GLOBAL_UNICAST_V6)) return 'reserved';
  return null;
}

function embeddedV4(addr: ipaddr.IPv6): { v4: ipaddr.IPv4; always?: AddressClass } | null {
  if (addr.toNormalizedString() === '0:0:0:0:0:0:0:0' || addr.toNormalizedString() === '0:0:0:0:0:0:0:1') return null;
  const bytes = addr.toByteArray();
  for (const e of EMBEDDING) {
    if (!inside(addr, e.cidr)) continue;
    const v4 = new ipaddr.IPv4(bytes.slice(e.offset, e.offset + 4));
    return e.always ? { v4, always: e.always } : { v4 };
  }
  return null;
}

function parseAllowList(cidrs: string[]): Cidr[] {
  const out: Cidr[] = [];
  for (const c of cidrs) {
    // A malformed entry must never widen access, so it is skipped rather than guessed at; ipaddr.js alone would
    // read `0x0a.0.0.0/8` as 10.0.0.0/8.
    const [base = '', bits = ''] = c.split('/');
    const addr = parseIp(base);
    if (!addr || !/^\d{1,3}$/.test(bits) || Number(bits) > (addr.kind() === 'ipv4' ? 32 : 128)) continue;
    out.push([addr, Number(bits)]);
  }
  return out;
}

export function checkAddress(ip: string, allow: { cidrs: string[] }): AddressDecision {
  const decision = decide(ip, allow);
  if (!decision.allowed) return decision;
  const addr = parseIp(ip);
  const embedded = addr?.kind() === 'ipv6' ? embeddedV4(addr as ipaddr.IPv6) : null;
  const metadata = (a: ipaddr.IPv4 | ipaddr.IPv6) => METADATA.some((c) => inside(a, c));
  if ((addr && metadata(addr)) || (embedded && metadata(embedded.v4))) return { allowed: false, reason: 'metadata' };
  return decision;
}

function decide(ip: string, allow: { cidrs: string[] }): AddressDecision {
  const addr = parseIp(ip);
  if (!addr) return { allowed: false, reason: 'invalid' };
  const allowList = parseAllowList(allow.cidrs);
  const embedded = addr.kind() === 'ipv6' ? embeddedV4(addr as ipaddr.IPv6) : null;
  const allowed = (a: ipaddr.IPv4 | ipaddr.IPv6) => allowList.some((c) => inside(a, c));

  if (embedded) {
    if (allowed(addr) || (!embedded.always && allowed(embedded.v4))) return { allowed: true };
    const inner = classify(embedded.v4);
    const reason = embedded.always ?? inner;
    return reason ? { allowed: false, reason, embedded: embedded.v4.toString() } : { allowed: true };
  }
  if (allowed(addr)) return { allowed: true };
  const cls = classify(addr);
  return cls ? { allowed: false, reason: cls } : { allowed: true };
}

export function checkPort(port: number, extraAllowed: readonly number[] = []): boolean {
  return Number.isInteger(port) && (SMTP_PORTS.includes(port) || extraAllowed.includes(port));
}
