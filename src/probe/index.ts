/**
 * runProbe: target → guard → DNS → guard again on what DNS said → every port in parallel (+ PTR) → AUTH → findings.
 * Bad input and refusals come back as values, never as exceptions, and a report always comes back within the total
 * time limit, whatever the network does: a silent port costs its own timeout, not the report's.
 */
import { performance } from 'node:perf_hooks';
import type { ProbeConfig } from '../config.js';
import { mapStrings, withoutCredentials } from '../engine/redact.js';
import type { Text, UiStrings } from '../engine/types.js';
import { t } from '../engine/i18n.js';
import { testAuth, type Credentials } from './auth.js';
import { buildFindings } from './findings.js';
import { PRIVATE_CIDRS, checkAddress, checkPort } from './guard.js';
import { createLimiter, type LimiterStore, type ProbeLimiter } from './limits.js';
import { createResolver, resolveTarget, reverseLookup, type ProbeResolver } from './resolve.js';
import { probePort } from './smtp.js';
import { parseTarget } from './target.js';
import type { AuthResult, PortResult, ProbeEvent, ProbeOutcome, ProbeRefusal, ProbeReport, PtrResult } from './types.js';
import { probeUi } from './ui-snapshot.js';

export type * from './types.js';
export { displayTarget, parseTarget } from './target.js';
export { checkAddress, checkPort, SMTP_PORTS, PRIVATE_CIDRS } from './guard.js';
export { createLimiter, type LimiterStore, type ProbeLimiter } from './limits.js';
export { createResolver, type DnsResolver, type ProbeResolver } from './resolve.js';
export type { Credentials } from './auth.js';

export interface ProbeTimeouts {
  connectMs: number;
  greetingMs: number;
  /** Each EHLO/STARTTLS answer, the TLS handshake, a DNS lookup and the AUTH test. */
  commandMs: number;
  totalMs: number;
}

export interface ProbeOptions {
  /** Ports to probe when the target names none; default 25, 465, 587. */
  ports?: number[];
  timeouts?: Partial<ProbeTimeouts>;
  /** CIDRs that may be probed although private or reserved (internal deployments, tests). */
  allowCidrs?: string[];
  /** Opens the private ranges of PRIVATE_CIDRS (loopback, RFC 1918, CGNAT, ULA); link-local stays closed. */
  allowPrivate?: boolean;
  extraAllowedPorts?: number[];
  /** Ports spoken to in TLS from the first byte; default 465 (RFC 8314). Others get plain text, then STARTTLS. */
  implicitTlsPorts?: number[];
  /** The bot's own network blocks outbound 25: port 25 is skipped and the report says why. */
  egress25Blocked?: boolean;
  resolver?: ProbeResolver;
  /** DNS servers (`host:port`) for the resolver made when none is given; the system's when absent. */
  dnsServers?: string[];
  credentials?: Credentials;
  onProgress?: (event: ProbeEvent) => void;
  signal?: AbortSignal;
  ui?: UiStrings;
  /** Extra trusted CAs (PEM) for servers with certificates from an internal CA. */
  ca?: string[];
  /** Rate limit and concurrency cap; applied when both limiter and userId are given. */
  limiter?: ProbeLimiter;
  userId?: string;
  ehloName?: string;
}

const DEADLINE_GRACE_MS = 100;

export const DEFAULT_TIMEOUTS: ProbeTimeouts = { connectMs: 5_000, greetingMs: 10_000, commandMs: 5_000, totalMs: 20_000 };
export const DEFAULT_PORTS: readonly number[] = [25, 465, 587];
/** A name under .invalid (RFC 6761) says honestly that this is a test client and leaks nothing about the bot's host. */
export const DEFAULT_EHLO_NAME = 'probe.smtp-doctor.invalid';

export function probeOptionsFromConfig(config: ProbeConfig): ProbeOptions {
  return {
    ports: config.ports,
    timeouts: {
      connectMs: config.connectTimeoutMs,
      greetingMs: config.greetingTimeoutMs,
      commandMs: config.connectTimeoutMs,
      totalMs: config.totalTimeoutMs,
    },
    allowCidrs: config.allowCidrs,
    extraAllowedPorts: config.extraAllowedPorts,
    egress25Blocked: config.egress25Blocked,
    ...(config.dnsServers && config.dnsServers.length > 0 ? { dnsServers: config.dnsServers } : {}),
  };
}

/** The limiter a deployment needs: PROBE_RATE_PER_MINUTE per user, PROBE_MAX_CONCURRENT at once. */
export function limiterFromConfig(config: ProbeConfig, store: LimiterStore): ProbeLimiter {
  return createLimiter({
    store,
    perMinute: config.ratePerMinute,
    maxConcurrent: config.maxConcurrent,
    busyRetrySec: Math.ceil(config.totalTimeoutMs / 1000),
  });
}

const refuse = (reason: ProbeRefusal['reason'], detail: ProbeRefusal['detail'] = {}): ProbeOutcome => ({ ok: false, refusal: { reason, detail } });

export async function runProbe(input: string, options: ProbeOptions = {}): Promise<ProbeOutcome> {
  const parsed = parseTarget(input);
  if (!parsed.ok) return refuse(parsed.reason);
  const target = parsed.target;

  const requested = target.port !== undefined ? [target.port] : (options.ports ?? [...DEFAULT_PORTS]);
  const ports = [...new Set(requested)];
  const badPort = ports.find((p) => !checkPort(p, options.extraAllowedPorts ?? []));
  if (badPort !== undefined) return refuse('port-not-allowed', { port: badPort });

  const allow = { cidrs: [...(options.allowCidrs ?? []), ...(options.allowPrivate ? PRIVATE_CIDRS : [])] };
  // An IP literal is judged before anything else happens, so a refused target costs not even a DNS query.
  if (target.kind === 'ip') {
    const decision = checkAddress(target.host, allow);
    if (!decision.allowed) return refuse('address-not-allowed', { address: target.host, addressClass: decision.reason });
  }

  // Loaded before the clock starts: reading the strings is no part of the time a server is given.
  const ui = options.ui ?? (await probeUi());
  let release: (() => Promise<void>) | undefined;
  if (options.limiter && options.userId !== undefined) {
    const slot = await options.limiter.acquire(options.userId);
    if (!slot.ok) return refuse(slot.reason, { retryAfterSec: slot.retryAfterSec });
    release = slot.release;
  }
  try {
    return await probe(target, ports, allow, ui, options);
  } finally {
    await release?.();
  }
}

async function probe(target: ProbeReport['target'], ports: number[], allow: { cidrs: string[] }, ui: UiStrings, options: ProbeOptions): Promise<ProbeOutcome> {
  const t0 = performance.now();
  const timeouts: ProbeTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const deadline = t0 + timeouts.totalMs;
  const left = () => Math.max(1, deadline - performance.now());
  // A server may echo what it was sent (a password in a 535 reply): with credentials, every text it sent back is
  // cleaned of them before anyone sees it, in progress events and in the report alike.
  const creds = options.credentials;
  const scrub = <T>(value: T): T => (creds ? mapStrings(value, (s) => withoutCredentials(s, creds)) : value);
  const cleanPort = (p: PortResult): PortResult => ({ ...p, banner: scrub(p.banner), error: scrub(p.error) });
  const cleanAuth = (a: AuthResult): AuthResult => ({ ...a, response: scrub(a.response) });
  const emit = (e: ProbeEvent) => {
    const clean: ProbeEvent = e.kind === 'port' ? { kind: 'port', result: cleanPort(e.result) } : e.kind === 'auth' ? { kind: 'auth', result: cleanAuth(e.result) } : e;
    // A broken progress callback (a chat API failing) must not break the probe itself.
    try {
      options.onProgress?.(clean);
    } catch {
      return;
    }
  };

  const stop = new AbortController();
  // Every phase already ends by the deadline; this backstop only catches a step that would not, so it fires a
  // little later and does not race the phases' own timeouts.
  const timer = setTimeout(() => stop.abort(), timeouts.totalMs + DEADLINE_GRACE_MS);
  const onCancel = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  else options.signal?.addEventListener('abort', onCancel, { once: true });

  try {
    const resolver =
      options.resolver ??
      createResolver({ timeoutMs: timeouts.commandMs, tries: 2, ...(options.dnsServers?.length ? { servers: options.dnsServers } : {}) });
    const resolution = await resolveTarget(target, resolver, Math.min(timeouts.commandMs * 2, left()));
    emit({ kind: 'resolved', resolution });

    for (const address of resolution.addresses) {
      const decision = checkAddress(address, allow);
      if (!decision.allowed) {
        return refuse('address-not-allowed', { host: resolution.host ?? target.host, address, addressClass: decision.reason });
      }
    }

    const notes: Text[] = [text(ui, 'probe.note.vantage')];
    const address = resolution.addresses.find((a) => !a.includes(':')) ?? resolution.addresses[0];
    let portResults: PortResult[] = [];
    let ptr: PtrResult | null = null;
    let auth: AuthResult | undefined;

    if (address !== undefined && resolution.host !== null) {
      const hostname = resolution.host;
      if (hostname !== target.host) notes.push(text(ui, 'probe.note.mx-host', { host: hostname }));
      if (resolution.addresses.length > 1) notes.push(text(ui, 'probe.note.address', { address, count: resolution.addresses.length }));
      const skip25 = options.egress25Blocked === true && ports.includes(25);
      if (skip25) notes.push(text(ui, 'probe.note.egress25'));

      const portJobs = new Map<number, Promise<PortResult>>();
      for (const port of ports.filter((p) => !(skip25 && p === 25))) {
        const job = probePort({
          address,
          port,
          mode: (options.implicitTlsPorts ?? [465]).includes(port) ? 'implicit' : 'starttls',
          hostname,
          ehloName: options.ehloName ?? DEFAULT_EHLO_NAME,
          timeouts,
          deadline,
          ...(options.ca ? { ca: options.ca } : {}),
          signal: stop.signal,
        }).then((r) => {
          emit({ kind: 'port', result: r });
          return r;
        });
        portJobs.set(port, job);
      }
      // Reverse DNS only means something for public addresses; asking public DNS about an allow-listed private
      // one would only leak the internal address.
      const ptrJob = checkAddress(address, { cidrs: [] }).allowed
        ? reverseLookup(resolver, address, Math.min(timeouts.commandMs, left())).then((r) => {
            emit({ kind: 'ptr', ptr: r });
            return r;
          })
        : Promise.resolve(null);

      // AUTH waits only for the submission ports, so a black-holed port 25 does not hold it up.
      const authJob = creds
        ? Promise.all([...portJobs].filter(([p]) => p !== 25).map(([, j]) => j)).then(async (subs) => {
            const result = await testAuth(subs, creds, {
              hostname,
              ehloName: options.ehloName ?? DEFAULT_EHLO_NAME,
              timeoutMs: Math.min(timeouts.commandMs, left()),
              budgetMs: left(),
              ...(options.ca ? { ca: options.ca } : {}),
            });
            emit({ kind: 'auth', result });
            return result;
          })
        : Promise.resolve(undefined);

      [portResults, ptr, auth] = await Promise.all([Promise.all(portJobs.values()), ptrJob, authJob]);
    }
    if (options.signal?.aborted) notes.push(text(ui, 'probe.note.cancelled'));

    portResults = portResults.map(cleanPort);
    if (auth) auth = cleanAuth(auth);
    const findings = buildFindings({ target, resolution, ptr, ports: portResults, ...(auth ? { auth } : {}) }, ui);
    const durationMs = Math.round(performance.now() - t0);
    const report: ProbeReport = {
      target,
      host: resolution.host,
      addresses: resolution.addresses,
      mx: resolution.mx,
      ptr,
      durationMs,
      ports: portResults.sort((a, b) => a.port - b.port),
      ...(auth ? { auth } : {}),
      findings,
      notes,
    };
    emit({ kind: 'done', durationMs });
    return { ok: true, report };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
  }
}

function text(ui: UiStrings, key: string, vars: Record<string, string | number> = {}): Text {
  return { ja: t(ui, key, 'ja', vars), en: t(ui, key, 'en', vars) };
}
