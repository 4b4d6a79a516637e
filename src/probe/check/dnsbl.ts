/**
 * DNS blocklists: the IP's reversed octets (IPv4) or reversed nibbles (IPv6, RFC 5782 section 2.4) under each list's
 * zone, asked as an A record. The lists and their documented answers are data (knowledge/dnsbl.yaml, with sources);
 * an IPv6 address is asked only of the lists whose documentation says they answer for IPv6, since the others would
 * answer NXDOMAIN, i.e. "not listed", for an address they never look at. A list's error codes (Spamhaus
 * 127.255.255.x: refused, e.g. for queries through a public resolver) are never taken for a listing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import yaml from 'js-yaml';
import { z } from 'zod';
import { DEFAULT_KNOWLEDGE_DIR } from '../../knowledge/snapshot.js';
import type { Asker } from './lookup.js';
import type { DnsblResult } from './types.js';

const text = z.strictObject({ ja: z.string().min(1), en: z.string().min(1) });
const severity = z.enum(['error', 'warning']);
const ip4 = z.string().regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/, 'must be an answer under 127.0.0.0/8');

export const dnsblSchema = z.array(
  z.strictObject({
    zone: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/),
    name: z.string().min(1),
    listed: z.strictObject({ severity, entry: z.string().min(1) }),
    source: z.string().min(1),
    /** Present when the list documents IPv6 queries: where that is said, and the day it was read. */
    ipv6: z.strictObject({ source: z.string().min(1) }).optional(),
    codes: z.array(z.strictObject({ code: ip4, list: z.string().min(1), severity, entry: z.string().min(1), meaning: text })),
    errors: z.array(z.strictObject({ code: ip4, meaning: text })),
  }),
);

export type Dnsbl = z.infer<typeof dnsblSchema>[number];

// From the one knowledge directory, not a path relative to this file: the bundled CLI puts this code elsewhere.
export const DNSBL_FILE = join(DEFAULT_KNOWLEDGE_DIR, 'dnsbl.yaml');

let cached: Dnsbl[] | null = null;

export function loadDnsbls(file: string = DNSBL_FILE): Dnsbl[] {
  if (file === DNSBL_FILE && cached) return cached;
  const lists = dnsblSchema.parse(yaml.load(readFileSync(file, 'utf8'), { schema: yaml.CORE_SCHEMA }));
  if (file === DNSBL_FILE) cached = lists;
  return lists;
}

const LOOPBACK = ipaddr.parseCIDR('127.0.0.0/8');

/** The name a list is asked under: 4.3.2.1 for 1.2.3.4; every hex digit of the full IPv6 address, reversed. */
export function dnsblName(address: string): string | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return address.split('.').reverse().join('.');
  if (!ipaddr.IPv6.isValid(address)) return null;
  const parsed = ipaddr.IPv6.parse(address);
  // An IPv4-mapped address (::ffff:192.0.2.1) is the IPv4 address: the lists file it there.
  if (parsed.isIPv4MappedAddress()) return parsed.toIPv4Address().octets.slice().reverse().join('.');
  return parsed.parts.map((p) => p.toString(16).padStart(4, '0')).join('').split('').reverse().join('.');
}

/** The lists that can answer for an address: all of them for IPv4, those that document IPv6 for IPv6. */
export function listsFor(address: string, lists: Dnsbl[]): Dnsbl[] {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return lists;
  if (!ipaddr.IPv6.isValid(address)) return [];
  return ipaddr.IPv6.parse(address).isIPv4MappedAddress() ? lists : lists.filter((l) => l.ipv6 !== undefined);
}

export async function checkDnsbls(address: string, lists: Dnsbl[], dns: Asker): Promise<DnsblResult[]> {
  const reversed = dnsblName(address);
  if (reversed === null) return [];
  return Promise.all(
    listsFor(address, lists).map(async (list): Promise<DnsblResult> => {
      const base = { zone: list.zone, name: list.name };
      const answer = await dns.ask((r) => r.resolve4(`${reversed}.${list.zone}`));
      if (answer.kind === 'failed') return { ...base, listed: false, codes: [], error: answer.code };
      if (answer.kind === 'none') return { ...base, listed: false, codes: [], error: null };
      const errors = answer.value.filter((a) => list.errors.some((e) => e.code === a));
      // An answer outside 127/8 is a resolver rewriting NXDOMAIN (ad-serving ISPs do), not the list speaking.
      const odd = answer.value.filter((a) => !ipaddr.IPv4.isValid(a) || !ipaddr.IPv4.parse(a).match(LOOPBACK));
      const codes = answer.value.filter((a) => !errors.includes(a) && !odd.includes(a));
      const error = errors[0] ?? (odd.length > 0 ? `unexpected answer ${odd[0]}` : null);
      return { ...base, listed: codes.length > 0, codes, error: codes.length > 0 ? null : error };
    }),
  );
}
