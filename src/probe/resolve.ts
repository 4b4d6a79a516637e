/**
 * DNS for the probe: MX in preference order (null MX and the RFC 5321 implicit MX included), the host's addresses,
 * and reverse DNS with its forward confirmation. The resolver is injectable so tests answer from a loopback DNS server.
 */
import { promises as dns } from 'node:dns';
import ipaddr from 'ipaddr.js';
import type { MxHost, ProbeTarget, PtrResult, ResolutionResult } from './types.js';

export interface ProbeResolver {
  resolveMx(name: string): Promise<MxHost[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  reverse(ip: string): Promise<string[]>;
}

/** What the sender-side checks need beyond the probe: TXT records and A lookups of DNSBL names, and which servers answer. */
export interface DnsResolver extends ProbeResolver {
  resolveTxt(name: string): Promise<string[][]>;
  /** The servers queries go to, as `host:port`, so a caller (and a test) can tell which resolver is in use. */
  servers(): string[];
}

export interface ResolverOptions {
  timeoutMs: number;
  tries?: number;
  /** `host` or `host:port`; the system's servers when absent. */
  servers?: string[];
}

export function arpaName(ip: string): string {
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv4') return `${(addr as ipaddr.IPv4).octets.slice().reverse().join('.')}.in-addr.arpa`;
  const hex = addr.toByteArray().map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.split('').reverse().join('.')}.ip6.arpa`;
}

export function createResolver(opts: ResolverOptions): DnsResolver {
  const r = new dns.Resolver({ timeout: opts.timeoutMs, tries: opts.tries ?? 2 });
  if (opts.servers && opts.servers.length > 0) r.setServers(opts.servers);
  return {
    resolveMx: (name) => r.resolveMx(name),
    resolve4: (name) => r.resolve4(name),
    resolve6: (name) => r.resolve6(name),
    resolveTxt: (name) => r.resolveTxt(name),
    servers: () => r.getServers(),
    // A PTR query through DNS, not Resolver#reverse: that one answers from /etc/hosts first, and the names a
    // remote mail server sees are the ones in public DNS.
    reverse: (ip) => r.resolvePtr(arpaName(ip)),
  };
}

export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

/** Bounds a lookup whatever the injected resolver does; `ETIMEOUT` is what c-ares itself reports. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' })), Math.max(1, ms));
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

type Settled<T> = { ok: true; value: T } | { ok: false; code: string };

async function settle<T>(p: Promise<T>, ms: number): Promise<Settled<T>> {
  try {
    return { ok: true, value: await within(p, ms) };
  } catch (err) {
    return { ok: false, code: errorCode(err) };
  }
}

/** "The name has no records of this type" as opposed to a failure worth reporting. */
const NO_DATA = new Set(['ENODATA', 'ENOTFOUND']);

async function addressesOf(resolver: ProbeResolver, host: string, ms: number): Promise<{ addresses: string[]; error: string | null }> {
  const [a, aaaa] = await Promise.all([settle(resolver.resolve4(host), ms), settle(resolver.resolve6(host), ms)]);
  const addresses = [...(a.ok ? a.value : []), ...(aaaa.ok ? aaaa.value : [])];
  if (addresses.length > 0) return { addresses, error: null };
  const failures = [a, aaaa].filter((s): s is { ok: false; code: string } => !s.ok).map((s) => s.code);
  // A real failure (timeout, refused) explains more than "no such name", so it wins.
  const error = failures.find((c) => !NO_DATA.has(c)) ?? (failures.includes('ENOTFOUND') ? 'ENOTFOUND' : 'ENODATA');
  return { addresses, error };
}

function isNullMx(mx: MxHost[]): boolean {
  return mx.length === 1 && (mx[0]?.exchange === '' || mx[0]?.exchange === '.');
}

export async function resolveTarget(target: ProbeTarget, resolver: ProbeResolver, budgetMs: number): Promise<ResolutionResult> {
  const none: ResolutionResult = { host: null, addresses: [], mx: null, nullMx: false, implicitMx: false, error: null };
  if (ipaddr.isValid(target.host) && (ipaddr.IPv4.isValidFourPartDecimal(target.host) || target.host.includes(':'))) {
    return { ...none, host: target.host, addresses: [target.host] };
  }

  // A name with a port is a server the user named; otherwise MX decides, as it does for a sending MTA.
  const wantsMx = target.kind === 'address' || (target.kind === 'name' && target.port === undefined);
  const [mxs, own] = await Promise.all([
    wantsMx ? settle(resolver.resolveMx(target.host), budgetMs) : Promise.resolve(null),
    target.kind === 'name' ? addressesOf(resolver, target.host, budgetMs) : Promise.resolve(null),
  ]);

  if (mxs && mxs.ok && mxs.value.length > 0) {
    const mx = [...mxs.value].sort((x, y) => x.priority - y.priority || x.exchange.localeCompare(y.exchange));
    if (isNullMx(mx)) {
      if (own && own.addresses.length > 0) return { ...none, host: target.host, addresses: own.addresses, mx, nullMx: true };
      return { ...none, mx, nullMx: true };
    }
    let lastError: string | null = null;
    // Each MX lookup may cost the whole budget; three hosts bound the time a long MX list can take.
    for (const m of mx.slice(0, 3)) {
      const found = await addressesOf(resolver, m.exchange, budgetMs);
      if (found.addresses.length > 0) return { ...none, host: m.exchange.replace(/\.$/, ''), addresses: found.addresses, mx };
      lastError = found.error;
    }
    return { ...none, host: mx[0]?.exchange ?? null, mx, error: lastError };
  }

  const mxError = mxs && !mxs.ok ? mxs.code : null;
  if (mxError !== null && !NO_DATA.has(mxError)) return { ...none, error: mxError };
  if (mxError === 'ENOTFOUND' && target.kind === 'address') return { ...none, error: 'ENOTFOUND' };

  const found = own ?? (await addressesOf(resolver, target.host, budgetMs));
  const implicitMx = wantsMx;
  if (found.addresses.length === 0) return { ...none, host: target.host, implicitMx, error: found.error };
  return { ...none, host: target.host, addresses: found.addresses, implicitMx };
}

export async function reverseLookup(resolver: ProbeResolver, address: string, budgetMs: number): Promise<PtrResult> {
  const names = await settle(resolver.reverse(address), budgetMs);
  if (!names.ok) return { address, names: [], forwardConfirmed: false, error: names.code };
  const v6 = address.includes(':');
  const normalized = ipaddr.parse(address).toString();
  const checks = await Promise.all(
    names.value.slice(0, 3).map((name) => settle(v6 ? resolver.resolve6(name) : resolver.resolve4(name), budgetMs)),
  );
  const forwardConfirmed = checks.some((c) => c.ok && c.value.some((a) => ipaddr.isValid(a) && ipaddr.parse(a).toString() === normalized));
  return { address, names: names.value, forwardConfirmed, error: null };
}
