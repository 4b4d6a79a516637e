/**
 * SPF (RFC 7208): the record's syntax, more than one record, the 10-lookup limit, the void-lookup limit and the `all`
 * it ends with. Lookups are counted as receivers count them (section 4.6.4): every include, a, mx, ptr, exists and
 * redirect, through included and redirected records, where exceeding 10 is a permerror, i.e. SPF fails for all mail.
 * Only include and redirect are followed (their records add terms); a, mx and exists are also asked once each, for
 * the same section's second limit: more than 2 lookups that find nothing (NXDOMAIN, or no records of the type) is a
 * permerror too. ptr and macro targets depend on the connecting client, so they are counted but never asked.
 */
import ipaddr from 'ipaddr.js';
import { isPublicName, joinTxt, type Asker } from './lookup.js';
import type { SpfRecords } from './types.js';

export const SPF_LOOKUP_LIMIT = 10;
/** RFC 7208 section 4.6.4: "SPF implementations SHOULD limit 'void lookups' to two". */
export const SPF_VOID_LIMIT = 2;
/** Records fetched at most while following includes: enough to see a limit broken, bounded for a hostile zone. */
const MAX_RECORDS = 25;

type Qualifier = '+' | '-' | '~' | '?';

export interface SpfTerm {
  qualifier: Qualifier;
  mechanism: 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists';
  value: string | null;
}

export interface ParsedSpf {
  terms: SpfTerm[];
  redirect: string | null;
  /** Problems that make receivers return permerror: each names the term. */
  errors: string[];
}

const COUNTED = new Set(['include', 'a', 'mx', 'ptr', 'exists']);
const MECHANISM = /^([+\-~?]?)([a-z0-9]+)(?::(.*?))?(\/\/?\d+.*)?$/i;
const MODIFIER = /^([a-z][a-z0-9_.-]*)=(.*)$/i;
const DOMAIN_SPEC = /^(?:%\{[a-z][0-9]*r?[.\-+,/_=]*\}|%%|%_|%-|[\x21-\x24\x26-\x7e])+$/i;

export function isSpf(text: string): boolean {
  return /^v=spf1(\s|$)/i.test(text.trim());
}

export function parseSpf(record: string): ParsedSpf {
  const out: ParsedSpf = { terms: [], redirect: null, errors: [] };
  const [, ...words] = record.trim().split(/\s+/);
  let exp = false;
  for (const word of words) {
    const modifier = MODIFIER.exec(word);
    if (modifier && !/^[+\-~?]/.test(word)) {
      const name = (modifier[1] ?? '').toLowerCase();
      const value = modifier[2] ?? '';
      if (name === 'redirect' || name === 'exp') {
        if (name === 'redirect' ? out.redirect !== null : exp) out.errors.push(`${name}= twice`);
        if (!DOMAIN_SPEC.test(value)) out.errors.push(word);
        if (name === 'redirect') out.redirect = value.toLowerCase();
        else exp = true;
      }
      // Unknown modifiers are allowed and ignored (section 6).
      continue;
    }
    const m = MECHANISM.exec(word);
    const name = (m?.[2] ?? '').toLowerCase();
    if (!m || !isMechanism(name)) {
      out.errors.push(word);
      continue;
    }
    const qualifier = (m[1] || '+') as Qualifier;
    const value = m[3] ?? null;
    const cidr = m[4] ?? null;
    if (!validTerm(name, value, cidr)) {
      out.errors.push(word);
      continue;
    }
    out.terms.push({ qualifier, mechanism: name, value: value === null ? null : value.toLowerCase() });
  }
  return out;
}

function isMechanism(name: string): name is SpfTerm['mechanism'] {
  return ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'].includes(name);
}

function validCidr(cidr: string | null, v4max: number, v6: boolean): boolean {
  if (cidr === null) return true;
  // a and mx take `/v4` and `//v6` together; ip4 and ip6 take one length of their own family.
  const m = v6 ? /^\/(\d{1,3})$/.exec(cidr) : /^(?:\/(\d{1,2}))?(?:\/\/(\d{1,3}))?$/.exec(cidr);
  if (!m) return false;
  const [a, b] = [m[1], m[2]].map((x) => (x === undefined ? undefined : Number(x)));
  if (v6) return a !== undefined && a <= 128;
  return (a === undefined || a <= v4max) && (b === undefined || b <= 128);
}

function validTerm(name: SpfTerm['mechanism'], value: string | null, cidr: string | null): boolean {
  switch (name) {
    case 'all':
      return value === null && cidr === null;
    case 'include':
    case 'exists':
      return value !== null && DOMAIN_SPEC.test(value) && cidr === null;
    case 'a':
    case 'mx':
      return (value === null || DOMAIN_SPEC.test(value)) && validCidr(cidr, 32, false);
    case 'ptr':
      return (value === null || DOMAIN_SPEC.test(value)) && cidr === null;
    case 'ip4':
      return value !== null && ipaddr.IPv4.isValidFourPartDecimal(value) && (cidr === null || /^\/([0-9]|[12][0-9]|3[0-2])$/.test(cidr));
    case 'ip6':
      return value !== null && ipaddr.IPv6.isValid(value) && validCidr(cidr, 0, true);
  }
}

export type SpfProblem =
  | { kind: 'missing' }
  | { kind: 'multiple'; count: number }
  | { kind: 'syntax'; domain: string; term: string }
  | { kind: 'include-missing'; domain: string; target: string }
  | { kind: 'include-multiple'; domain: string; target: string }
  | { kind: 'too-many-lookups'; lookups: number }
  | { kind: 'void-lookups'; voids: number; names: string[] }
  | { kind: 'loop'; domain: string; target: string }
  | { kind: 'failed'; name: string; code: string };

export interface SpfCheck {
  records: SpfRecords;
  problems: SpfProblem[];
}

export async function checkSpf(domain: string, dns: Asker): Promise<SpfCheck> {
  const problems: SpfProblem[] = [];
  const includes: string[] = [];
  let lookups = 0;
  let fetched = 0;
  /** Names whose lookup found nothing, in the order a receiver would ask them; a, mx and exists answer later. */
  const voids: (string | Promise<string | null>)[] = [];

  /** `term`: the lookup is an include's or a redirect's (the domain's own record is no term's lookup). */
  const txt = async (name: string, term = true): Promise<string[] | null> => {
    fetched++;
    const a = await dns.ask((r) => r.resolveTxt(name));
    if (a.kind === 'failed') {
      problems.push({ kind: 'failed', name, code: a.code });
      return null;
    }
    if (a.kind === 'none' && term) voids.push(name);
    return a.kind === 'ok' ? joinTxt(a.value).filter(isSpf) : [];
  };

  /**
   * Whether the lookup of an a, mx or exists term finds nothing. `a` is void only when the name has neither A nor
   * AAAA (a receiver asks the one of its client's family: the lenient reading never claims a failure that an IPv6
   * client would not see). A lookup that fails is no void: dns-failed says so elsewhere.
   */
  const isVoid = async (term: SpfTerm, domain: string): Promise<string | null> => {
    const name = term.value ?? domain;
    if (name.includes('%') || !isPublicName(name)) return null;
    if (term.mechanism === 'mx') return (await dns.ask((r) => r.resolveMx(name))).kind === 'none' ? name : null;
    if (term.mechanism === 'exists') return (await dns.ask((r) => r.resolve4(name))).kind === 'none' ? name : null;
    const [v4, v6] = await Promise.all([dns.ask((r) => r.resolve4(name)), dns.ask((r) => r.resolve6(name))]);
    return v4.kind === 'none' && v6.kind === 'none' ? name : null;
  };

  /** Follows one record; returns its effective `all` (through a redirect). `path` holds the domains being evaluated. */
  const walk = async (name: string, records: string[], path: string[]): Promise<Qualifier | null> => {
    const parsed = parseSpf(records[0] ?? '');
    for (const term of parsed.errors) problems.push({ kind: 'syntax', domain: name, term });
    let all: Qualifier | null = null;
    for (const term of parsed.terms) {
      if (COUNTED.has(term.mechanism)) lookups++;
      // Past the lookup limit a receiver has stopped with a permerror already.
      if ((term.mechanism === 'a' || term.mechanism === 'mx' || term.mechanism === 'exists') && lookups <= SPF_LOOKUP_LIMIT) voids.push(isVoid(term, name));
      if (term.mechanism === 'all') all ??= term.qualifier;
      if (term.mechanism === 'include' && term.value !== null) {
        if (path.length === 1) includes.push(term.value);
        await follow(name, term.value, path, 'include');
      }
    }
    if (parsed.redirect !== null) {
      lookups++;
      // A redirect is ignored when the record has an `all` (section 6.1).
      if (all === null) return follow(name, parsed.redirect, path, 'redirect');
    }
    return all;
  };

  const follow = async (from: string, target: string, path: string[], how: 'include' | 'redirect'): Promise<Qualifier | null> => {
    // Macros (%{i} ...) depend on the message, so their targets cannot be looked up here; an internal name is not
    // asked about, so that a public record cannot make the bot read (and quote) internal DNS.
    if (target.includes('%') || !isPublicName(target)) return null;
    if (path.includes(target)) {
      problems.push({ kind: 'loop', domain: from, target });
      return null;
    }
    if (lookups > SPF_LOOKUP_LIMIT || fetched >= MAX_RECORDS) return null;
    const found = await txt(target);
    if (found === null) return null;
    if (found.length === 0) {
      problems.push({ kind: 'include-missing', domain: from, target });
      return null;
    }
    if (found.length > 1) problems.push({ kind: 'include-multiple', domain: from, target });
    const all = await walk(target, found, [...path, target]);
    return how === 'redirect' ? all : null;
  };

  const top = await txt(domain, false);
  const records: SpfRecords = { record: top?.[0] ?? null, records: top ?? [], lookups: 0, all: null, includes };
  if (top === null) return { records, problems };
  if (top.length === 0) return { records, problems: [{ kind: 'missing' }] };
  if (top.length > 1) problems.push({ kind: 'multiple', count: top.length });
  records.all = await walk(domain, top, [domain]);
  records.lookups = lookups;
  if (lookups > SPF_LOOKUP_LIMIT) problems.push({ kind: 'too-many-lookups', lookups });
  const empty = (await Promise.all(voids)).filter((n): n is string => n !== null);
  if (empty.length > SPF_VOID_LIMIT) problems.push({ kind: 'void-lookups', voids: empty.length, names: [...new Set(empty)] });
  return { records, problems };
}
