/**
 * runCheck: the sender-side checks, DNS only (no SMTP connection). A domain gets MX, SPF, DMARC and DKIM and the
 * Gmail/Yahoo 2024 sender requirements as a checklist; an IP gets PTR with forward confirmation and the DNS
 * blocklists. Same target rules as the probe (src/probe/target.ts, guard.ts: an IP must be public) and the same
 * per-user limits (limits.ts). Refusals are values, never exceptions; the report comes back within the time limit.
 */
import { performance } from 'node:perf_hooks';
import type { ProbeConfig } from '../../config.js';
import type { UiStrings } from '../../engine/types.js';
import { PRIVATE_CIDRS, checkAddress } from '../guard.js';
import type { ProbeLimiter } from '../limits.js';
import { createResolver, type DnsResolver } from '../resolve.js';
import { parseTarget } from '../target.js';
import type { ProbeRefusal } from '../types.js';
import { checkDkim, selectorsFromHeaders, type HeaderSelector } from './dkim.js';
import { checkDmarc } from './dmarc.js';
import { checkDnsbls, loadDnsbls, type Dnsbl } from './dnsbl.js';
import { domainFindings, ipFindings, requirements } from './findings.js';
import { asker, isPublicName } from './lookup.js';
import { checkPtr } from './ptr.js';
import { checkSpf } from './spf.js';
import type { CheckReport, DomainRecords, IpRecords } from './types.js';
import { loadCheckUi } from './ui.js';

export type * from './types.js';
export { selectorsFromHeaders, withoutDkimSignatures, type HeaderSelector } from './dkim.js';
export { loadCheckUi } from './ui.js';
export { isPublicName } from './lookup.js';

export interface CheckOptions {
  /** A resolver to use (tests); else one on `dnsServers`, else on the system's servers. */
  resolver?: DnsResolver;
  dnsServers?: string[];
  /** Each DNS question; default 3 s. */
  lookupTimeoutMs?: number;
  /** The whole check; default 15 s. */
  totalTimeoutMs?: number;
  /** Ranges an IP target may be in although private or reserved (internal deployments, tests). */
  allowCidrs?: string[];
  allowPrivate?: boolean;
  /** DKIM selectors read from a pasted header (`selectorsFromHeaders`); none → the common selectors are tried. */
  dkim?: HeaderSelector[];
  /** DKIM selectors of the target domain itself (`--selector`). */
  selectors?: string[];
  lists?: Dnsbl[];
  ui?: UiStrings;
  limiter?: ProbeLimiter;
  userId?: string;
}

export type CheckOutcome = { ok: true; report: CheckReport } | { ok: false; refusal: ProbeRefusal };

const DEFAULT_LOOKUP_MS = 3_000;
const DEFAULT_TOTAL_MS = 15_000;

export function checkOptionsFromConfig(config: ProbeConfig): CheckOptions {
  return {
    allowCidrs: config.allowCidrs,
    lookupTimeoutMs: Math.min(config.connectTimeoutMs, DEFAULT_LOOKUP_MS),
    totalTimeoutMs: config.totalTimeoutMs,
    ...(config.dnsServers && config.dnsServers.length > 0 ? { dnsServers: config.dnsServers } : {}),
  };
}

const refuse = (reason: ProbeRefusal['reason'], detail: ProbeRefusal['detail'] = {}): CheckOutcome => ({ ok: false, refusal: { reason, detail } });

export async function runCheck(input: string, options: CheckOptions = {}): Promise<CheckOutcome> {
  const parsed = parseTarget(input);
  if (!parsed.ok) return refuse(parsed.reason);
  const target = parsed.target;
  if (target.kind !== 'ip' && !isPublicName(target.host)) return refuse('name-not-public', { host: target.unicode ?? target.host });
  if (target.kind === 'ip') {
    const allow = { cidrs: [...(options.allowCidrs ?? []), ...(options.allowPrivate ? PRIVATE_CIDRS : [])] };
    const decision = checkAddress(target.host, allow);
    if (!decision.allowed) return refuse('address-not-allowed', { address: target.host, addressClass: decision.reason });
  }

  let release: (() => void) | undefined;
  if (options.limiter && options.userId !== undefined) {
    const slot = await options.limiter.acquire(options.userId);
    if (!slot.ok) return refuse(slot.reason, { retryAfterSec: slot.retryAfterSec });
    release = slot.release;
  }
  try {
    const t0 = performance.now();
    const totalMs = options.totalTimeoutMs ?? DEFAULT_TOTAL_MS;
    const left = () => Math.max(1, t0 + totalMs - performance.now());
    const lookupMs = options.lookupTimeoutMs ?? DEFAULT_LOOKUP_MS;
    const resolver =
      options.resolver ?? createResolver({ timeoutMs: lookupMs, tries: 1, ...(options.dnsServers?.length ? { servers: options.dnsServers } : {}) });
    const dns = asker(resolver, lookupMs, left);
    const ui = options.ui ?? loadCheckUi();
    const name = target.unicode ?? target.host;

    if (target.kind === 'ip') {
      const lists = options.lists ?? loadDnsbls();
      const [ptr, dnsbl] = await Promise.all([checkPtr(target.host, dns), checkDnsbls(target.host, lists, dns)]);
      const records: IpRecords = { ptr, dnsbl, resolver: resolver.servers() };
      const findings = ipFindings(target.host, records, lists, ui);
      return { ok: true, report: { target: target.host, kind: 'ip', records, findings, durationMs: Math.round(performance.now() - t0) } };
    }

    const domain = target.host;
    // A pasted header's signatures count when they are for this domain or a parent or child of it.
    const related = (options.dkim ?? []).filter((s) => s.domain === domain || s.domain.endsWith(`.${domain}`) || domain.endsWith(`.${s.domain}`));
    const given = [...(options.selectors ?? []).map((selector) => ({ selector, domain })), ...related];
    const [mx, own, spf, dmarc, dkim] = await Promise.all([
      dns.ask((r) => r.resolveMx(domain)),
      Promise.all([dns.ask((r) => r.resolve4(domain)), dns.ask((r) => r.resolve6(domain))]),
      checkSpf(domain, dns),
      checkDmarc(domain, dns),
      checkDkim(domain, given, dns),
    ]);
    const mxHosts = mx.kind === 'ok' ? [...mx.value].sort((a, b) => a.priority - b.priority) : null;
    const nullMx = mxHosts !== null && mxHosts.length === 1 && (mxHosts[0]?.exchange === '' || mxHosts[0]?.exchange === '.');
    const records: DomainRecords = {
      mx: mxHosts,
      nullMx,
      spf: spf.records,
      dmarc: dmarc.records,
      dkim: { source: given.length > 0 ? 'header' : 'common', keys: dkim.keys },
      requirements: [],
      resolver: resolver.servers(),
    };
    records.requirements = requirements(records, spf.problems);
    const hasAddress = own.some((a) => a.kind === 'ok');
    const findings = domainFindings({ domain: name, ascii: domain, mx, hasAddress, records, spf: spf.problems, dmarc: dmarc.problems, dkim: dkim.problems }, ui);
    return { ok: true, report: { target: domain, kind: 'domain', records, findings, durationMs: Math.round(performance.now() - t0) } };
  } finally {
    release?.();
  }
}
