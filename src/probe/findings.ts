/**
 * Turns raw probe results into findings that point at knowledge entries, so a probe and a pasted error lead to the
 * same explanation. Pure. The order is the order of reading: DNS, reachability, TLS, AUTH, then what to set.
 */
import { t } from '../engine/i18n.js';
import { explained } from './explain.js';
import type { CategoryId, Text, UiStrings } from '../engine/types.js';
import type { AuthResult, Finding, FindingSeverity, PortResult, ProbeTarget, PtrResult, ResolutionResult } from './types.js';

export interface FindingInput {
  target: ProbeTarget;
  resolution: ResolutionResult;
  ptr: PtrResult | null;
  ports: PortResult[];
  auth?: AuthResult;
}

type Vars = Record<string, string | number>;

/** DNS failures that say the bot could not ask at all, rather than that the name is wrong. */
const DNS_UNAVAILABLE = new Set(['ECONNREFUSED', 'ETIMEOUT', 'ECANCELLED', 'ECONNRESET', 'EUNKNOWN', 'ENETUNREACH']);

const SUBMISSION_PORTS = [587, 465, 2525];

export function buildFindings(input: FindingInput, ui: UiStrings): Finding[] {
  const out: Finding[] = [];
  const text = (key: string, vars: Vars = {}): Text => ({ ja: t(ui, key, 'ja', explained(ui, 'ja', vars)), en: t(ui, key, 'en', explained(ui, 'en', vars)) });
  const add = (category: CategoryId, entry: string, severity: FindingSeverity, key: string, vars: Vars = {}) =>
    out.push({ category, entry, severity, message: text(key, vars) });

  dnsFindings(input, add);
  if (input.resolution.addresses.length === 0) return out;

  const { ports } = input;
  const answered = (p: PortResult) => p.state === 'open' && (p.banner !== null || p.wrongMode !== null);
  const byPort = (n: number) => ports.find((p) => p.port === n);
  const submissionAnswered = ports.filter((p) => p.port !== 25 && answered(p)).map((p) => p.port);

  for (const p of ports) {
    const port = p.port;
    // A cancelled step says nothing about the server; the report's note says the probe was cancelled.
    if (p.error?.code === 'ABORTED') continue;
    if (p.state === 'refused') add('smtp-unreachable', 'connection-refused', 'warning', 'probe.finding.port-refused', { port });
    else if (p.state === 'timeout' && port === 25 && submissionAnswered.length > 0) {
      add('port-25-blocked', 'op25b-port-25-blocked', 'warning', 'probe.finding.op25b', { others: submissionAnswered.join(', ') });
    } else if (p.state === 'timeout') add('smtp-unreachable', 'connection-timed-out', 'warning', 'probe.finding.port-timeout', { port });
    else if (p.state === 'unreachable') add('smtp-unreachable', 'connection-timed-out', 'warning', 'probe.finding.port-unreachable', { port });
    else if (p.state === 'error') add('smtp-unreachable', 'connection-refused', 'warning', 'probe.finding.port-error', { port, code: p.error?.code ?? '' });
    else portFindings(p, add);
  }

  const considered = ports.filter((p) => p.error?.code !== 'ABORTED');
  if (considered.length > 0 && !considered.some(answered)) {
    if (considered.every((p) => p.state === 'unreachable')) add('offline', 'offline', 'error', 'probe.finding.network-unreachable');
    else if (considered.every((p) => p.state === 'refused')) add('smtp-unreachable', 'connection-refused', 'error', 'probe.finding.none-open-refused');
    else add('smtp-unreachable', 'connection-timed-out', 'error', 'probe.finding.none-open');
  }

  ptrFindings(input.ptr, add);
  if (input.auth) authFindings(input.auth, add);
  settingsFindings(byPort(587), byPort(465), byPort(2525), add);
  return out;
}

type Add = (category: CategoryId, entry: string, severity: FindingSeverity, key: string, vars?: Vars) => void;

function dnsFindings({ target, resolution: r }: FindingInput, add: Add) {
  const host = target.unicode ?? target.host;
  if (r.nullMx) {
    add('recipient-domain-invalid', 'recipient-domain-null-mx', target.kind === 'address' ? 'error' : 'warning', 'probe.finding.null-mx', { domain: host });
  } else if (r.mx && r.mx.length > 0 && r.addresses.length > 0) {
    add('recipient-domain-invalid', 'probe-mx-ok', 'ok', 'probe.finding.mx-ok', { domain: host, count: r.mx.length, mx: r.host ?? '' });
  } else if (r.implicitMx && r.addresses.length > 0 && target.kind === 'address') {
    add('recipient-domain-invalid', 'recipient-domain-invalid', 'info', 'probe.finding.implicit-mx', { domain: host });
  }
  if (r.addresses.length > 0 || r.nullMx) return;

  const code = r.error ?? 'ENODATA';
  if (code === 'ETIMEOUT') add('offline', 'dns-temporary-failure', 'error', 'probe.finding.dns-unavailable', { code });
  else if (DNS_UNAVAILABLE.has(code)) add('offline', 'offline', 'error', 'probe.finding.dns-unavailable', { code });
  else if (code === 'ESERVFAIL') add('smtp-host-not-found', 'smtp-host-not-found', 'error', 'probe.finding.dns-servfail', { host });
  else if (r.mx && r.mx.length > 0) add('smtp-host-not-found', 'smtp-host-not-found', 'error', 'probe.finding.mx-host-not-found', { domain: host, mx: r.host ?? '' });
  else if (target.kind === 'address') add('recipient-domain-invalid', 'recipient-domain-invalid', 'error', 'probe.finding.domain-not-found', { domain: host });
  else add('smtp-host-not-found', 'smtp-host-not-found', 'error', 'probe.finding.host-not-found', { host });
}

function portFindings(p: PortResult, add: Add) {
  const port = p.port;
  if (p.wrongMode === 'speaks-plain') add('tls-mismatch', 'tls-wrong-mode', 'warning', 'probe.finding.wrong-mode-plain', { port });
  if (p.wrongMode === 'speaks-tls') add('tls-mismatch', 'tls-wrong-mode', 'warning', 'probe.finding.wrong-mode-tls', { port });

  const e = p.error;
  if (e) {
    if (e.code === 'OVERSIZED') add('connection-dropped', 'connection-reset', 'error', 'probe.finding.oversized', { port, phase: e.phase });
    else if (e.phase === 'greeting' && e.code === 'TIMEOUT') add('tls-mismatch', 'greeting-never-received', 'error', 'probe.finding.no-greeting', { port });
    else if (e.phase === 'greeting' && /^REPLY_\d{3}$/.test(e.code) && p.banner) {
      add('smtp-unreachable', 'connection-refused', 'error', 'probe.finding.greeting-rejected', { port, reply: p.banner ?? '' });
    } else if (e.phase === 'greeting') add('connection-dropped', 'connection-reset', 'error', 'probe.finding.closed-early', { port });
    else if (e.phase === 'tls') {
      const entry = /PROTOCOL|VERSION|CIPHER/i.test(e.code) ? 'tls-unsupported-protocol' : 'tls-wrong-mode';
      add('tls-mismatch', entry, 'error', 'probe.finding.tls-failed', { port, code: e.code });
    } else add('connection-dropped', 'connection-reset', 'warning', 'probe.finding.dialogue-failed', { port, phase: e.phase, code: e.code });
  }
  if (p.banner === null) return;

  if (p.tls === 'none' && p.capabilities.length > 0 && !p.capabilities.includes('STARTTLS')) {
    add('tls-mismatch', 'starttls-not-supported', port === 25 ? 'warning' : 'error', port === 25 ? 'probe.finding.no-starttls-25' : 'probe.finding.no-starttls', { port });
  }
  if (p.certificate) {
    const c = p.certificate;
    if (c.valid) add('tls-certificate', 'probe-tls-ok', 'ok', 'probe.finding.cert-ok', { port, version: p.tlsVersion ?? '', issuer: c.issuer, validTo: c.validTo.slice(0, 10) });
    // Servers delivering to port 25 rarely insist on a valid certificate, so there it weakens TLS but stops no mail.
    else add('tls-certificate', certEntry(c.error), port === 25 ? 'warning' : 'error', certKey(c.error), { port, names: c.altNames.slice(0, 5).join(', ') || c.subject, validTo: c.validTo.slice(0, 10) });
  }
  const before = p.capabilitiesBeforeTls ?? [];
  if (p.tls === 'starttls' && p.authMechanisms.length > 0 && !before.includes('AUTH')) {
    add('auth-required', 'smtp-auth-required', 'info', 'probe.finding.auth-after-starttls', { port });
  }
  if (SUBMISSION_PORTS.includes(port) && p.capabilities.length > 0 && p.authMechanisms.length === 0 && e === null) {
    add('auth-required', 'smtp-auth-required', 'warning', 'probe.finding.no-auth', { port });
  }
}

function certEntry(code: string | null): string {
  if (code === 'CERT_HAS_EXPIRED') return 'tls-certificate-expired';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'tls-hostname-mismatch';
  return 'tls-certificate-invalid';
}

function certKey(code: string | null): string {
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN') return 'probe.finding.cert-self-signed';
  if (code === 'CERT_HAS_EXPIRED') return 'probe.finding.cert-expired';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'probe.finding.cert-wrong-name';
  return 'probe.finding.cert-untrusted';
}

function ptrFindings(ptr: PtrResult | null, add: Add) {
  if (!ptr) return;
  const address = ptr.address;
  if (ptr.names.length === 0) add('ip-reputation', 'ip-no-reverse-dns', 'warning', 'probe.finding.no-ptr', { address });
  else if (!ptr.forwardConfirmed) add('ip-reputation', 'ip-no-reverse-dns', 'warning', 'probe.finding.fcrdns-mismatch', { address, name: ptr.names[0] ?? '' });
  else add('ip-reputation', 'probe-ptr-ok', 'ok', 'probe.finding.ptr-ok', { address, name: ptr.names[0] ?? '' });
}

function authFindings(a: AuthResult, add: Add) {
  const port = a.port ?? '';
  const response = a.response ?? '';
  switch (a.outcome) {
    case 'accepted':
      return add('auth-failed', 'probe-auth-ok', 'ok', 'probe.finding.auth-accepted', { port });
    case 'rejected':
      return add('auth-failed', 'auth-bad-credentials', 'error', 'probe.finding.auth-rejected', { port, response });
    case 'not-offered':
      return add('auth-required', 'smtp-auth-required', 'warning', 'probe.finding.auth-not-offered', { port });
    case 'method-mismatch':
      return add('auth-failed', 'auth-method-mismatch', 'error', 'probe.finding.auth-method', { port, response });
    case 'skipped':
      if (a.code === 'certificate-invalid') return add('tls-certificate', 'tls-certificate-invalid', 'warning', 'probe.finding.auth-skipped-cert', { port });
      return add('tls-mismatch', 'starttls-not-supported', 'warning', 'probe.finding.auth-skipped-no-tls');
    case 'error':
      if (a.code === 'ETIMEDOUT') return add('smtp-unreachable', 'connection-timed-out', 'warning', 'probe.finding.auth-timeout', { port });
      return add('auth-failed', 'auth-bad-credentials', 'warning', 'probe.finding.auth-error', { port, response });
  }
}

/** The positive answer a user came for: which port and mode to put in the mail client. */
function settingsFindings(p587: PortResult | undefined, p465: PortResult | undefined, p2525: PortResult | undefined, add: Add) {
  const works = (p: PortResult | undefined, tls: PortResult['tls']) => p && p.error === null && p.tls === tls && p.certificate?.valid === true;
  const mechanisms = (p: PortResult) => p.authMechanisms.join(', ');
  if (p587 && works(p587, 'starttls') && p587.authMechanisms.length > 0) {
    add('smtp-unreachable', 'probe-client-settings', 'ok', 'probe.finding.use-587', { mechanisms: mechanisms(p587) });
  } else if (p465 && works(p465, 'implicit') && p465.authMechanisms.length > 0) {
    add('smtp-unreachable', 'probe-client-settings', 'ok', 'probe.finding.use-465', { mechanisms: mechanisms(p465) });
  } else if (p2525 && works(p2525, 'starttls') && p2525.authMechanisms.length > 0) {
    add('smtp-unreachable', 'probe-client-settings', 'ok', 'probe.finding.use-2525', { mechanisms: mechanisms(p2525) });
  }
}
