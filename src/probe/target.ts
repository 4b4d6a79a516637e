/**
 * Turns what a user typed into a probe target, or a reason it cannot be one. Pure: no DNS, no sockets.
 * Numeric IPv4 spellings other than plain dotted decimal are refused outright, because resolvers and URL parsers
 * read `2130706433`, `0x7f.1` or `0177.0.0.1` as 127.0.0.1 and that is how address filters get bypassed.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import ipaddr from 'ipaddr.js';
import type { ProbeRefusalReason, ProbeTarget } from './types.js';

export type ParseTargetResult = { ok: true; target: ProbeTarget } | { ok: false; reason: ProbeRefusalReason };

/** RFC 5321 limits: 254 for a path, 253 for a domain. */
const MAX_INPUT = 320;
const MAX_DOMAIN = 253;

const SCHEME = /^([a-z][a-z0-9+.-]*):(\/\/)?/i;
const DOTTED_DECIMAL = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Every label a number in any base: what inet_aton would accept as an address. */
const NUMERIC_HOST = /^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+))*\.?$/i;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

const fail = (reason: ProbeRefusalReason): ParseTargetResult => ({ ok: false, reason });

export function parseTarget(raw: string): ParseTargetResult {
  let s = raw.normalize('NFKC').trim();
  if (s === '') return fail('empty');
  if (s.length > MAX_INPUT) return fail('too-long');
  if (/[\s<>"'`,;\\]/.test(s)) return fail('invalid');

  let port: number | undefined;
  let viaUrl = false;
  const scheme = SCHEME.exec(s);
  // `host:port` and bare IPv6 also start like a scheme; only `x://` and `mailto:` are URLs here.
  if (scheme && (scheme[2] || /^mailto:/i.test(s))) {
    const name = (scheme[1] ?? '').toLowerCase();
    if (name === 'mailto' && !scheme[2]) {
      s = s.slice(scheme[0].length);
    } else if ((name === 'smtp' || name === 'smtps' || name === 'submission' || name === 'submissions') && scheme[2]) {
      viaUrl = true;
      s = s.slice(scheme[0].length).replace(/[/?#].*$/, '');
      if (s.includes('@')) return fail('credentials-in-target');
      if (name === 'smtps' || name === 'submissions') port = 465;
      else if (name === 'submission') port = 587;
    } else {
      return fail('unsupported-scheme');
    }
  }

  let kind: ProbeTarget['kind'] = 'name';
  if (!viaUrl && s.includes('@')) {
    const at = s.lastIndexOf('@');
    if (at === 0 || at === s.length - 1) return fail('invalid');
    s = s.slice(at + 1);
    kind = 'address';
  }

  let host = s;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1] ?? '';
    if (bracketed[2] !== undefined) {
      const p = parsePort(bracketed[2]);
      if (p === null) return fail('invalid-port');
      port = p;
    }
    if (!ipaddr.IPv6.isValid(host) || host.includes('%')) return fail('invalid');
  } else if ((s.match(/:/g) ?? []).length === 1) {
    const [h = '', p = ''] = s.split(':');
    const parsed = parsePort(p);
    if (parsed === null) return fail('invalid-port');
    host = h;
    port = parsed;
  }
  if (kind === 'address' && port !== undefined) return fail('invalid');

  if (host.includes(':')) {
    if (host.includes('%') || !ipaddr.IPv6.isValid(host)) return fail('invalid');
    const normalized = ipaddr.IPv6.parse(host).toRFC5952String();
    return { ok: true, target: withPort({ input: normalized, kind: kind === 'address' ? 'address' : 'ip', host: normalized }, port) };
  }

  host = host.replace(/\.$/, '');
  if (host === '') return fail(kind === 'address' ? 'invalid' : 'empty');
  if (DOTTED_DECIMAL.test(host)) {
    return { ok: true, target: withPort({ input: host, kind: kind === 'address' ? 'address' : 'ip', host }, port) };
  }
  if (NUMERIC_HOST.test(host) || /^(\d+|0x[0-9a-f]*)$/i.test(host.split('.').pop() ?? '')) return fail('numeric-trick');

  const ascii = domainToASCII(host);
  if (ascii === '') return fail('invalid');
  // The WHATWG host parser also reads numeric forms hidden in unusual digits (fullwidth, 0X), so check its answer too.
  if (ipaddr.IPv4.isValid(ascii)) return fail('numeric-trick');
  if (ascii.length > MAX_DOMAIN) return fail('too-long');
  const labels = ascii.split('.');
  if (!labels.every((l) => LABEL.test(l))) return fail('invalid');
  if (labels.length < 2) return fail('single-label');

  const target: ProbeTarget = { input: ascii, kind, host: ascii };
  if (ascii.includes('xn--')) target.unicode = domainToUnicode(ascii);
  return { ok: true, target: withPort(target, port) };
}

function parsePort(p: string): number | null {
  if (!/^\d{1,5}$/.test(p)) return null;
  const n = Number(p);
  return n >= 1 && n <= 65535 ? n : null;
}

function withPort(target: ProbeTarget, port: number | undefined): ProbeTarget {
  return port === undefined ? target : { ...target, port };
}

/** Longest target shown back to a user; anything longer is cut (a real one is far shorter). */
const MAX_SHOWN = 100;

/**
 * A target as it may be shown in a chat or a terminal, before or without parsing it: never with user info. A URL's
 * `user:password@` goes whole (the password may hold '@' or '/', so up to the last '@'), as does a `user:password@`
 * before a host; an address keeps its mailbox, which is not a secret and says which one is meant.
 */
export function displayTarget(raw: string): string {
  let s = raw.normalize('NFKC').trim();
  const scheme = /^[a-z][a-z0-9+.-]{0,20}:\/\//i.exec(s);
  const rest = scheme ? s.slice(scheme[0].length) : s;
  const at = rest.lastIndexOf('@');
  if (at >= 0 && (scheme || rest.slice(0, at).includes(':'))) s = `${scheme?.[0] ?? ''}${rest.slice(at + 1)}`;
  s = s.replace(/[\u0000-\u001f\u007f]/g, '');
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
}
