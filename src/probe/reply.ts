/**
 * Probe results as the platform-neutral Reply every renderer understands. Pure: the same report gives the same
 * reply in either language, and nothing here can leak a credential because reports never hold one.
 */
import { pick, t } from '../engine/i18n.js';
import type { Lang, UiStrings } from '../engine/types.js';
import type { Reply, ReplyAction, ReplySection, Severity } from '../render/model.js';
import { pickSubmissionPort } from './auth.js';
import { codeText, explained } from './explain.js';
import type { Finding, PortResult, ProbeEvent, ProbeRefusal, ProbeReport, PtrResult, ResolutionResult } from './types.js';

const RANK: Record<Severity, number> = { ok: 0, info: 1, warning: 2, error: 3 };
const MARK: Record<Severity, string> = { ok: '✔', info: 'ℹ', warning: '⚠', error: '✖' };

function worst(findings: Finding[]): Severity {
  return findings.reduce<Severity>((w, f) => (RANK[f.severity] > RANK[w] ? f.severity : w), 'ok');
}

export function portLine(p: PortResult, lang: Lang, ui: UiStrings): string {
  const parts: string[] = [t(ui, `probe.state.${p.state}`, lang)];
  if (p.connectMs !== null) parts[0] += ` (${p.connectMs} ms)`;
  if (p.tls !== 'none') parts.push(`${p.tls === 'implicit' ? 'SSL/TLS' : 'STARTTLS'} ${p.tlsVersion ?? ''}`.trim());
  else if (p.banner !== null) parts.push(t(ui, 'probe.port.no-tls', lang));
  if (p.authMechanisms.length > 0) parts.push(`AUTH ${p.authMechanisms.join(' ')}`);
  if (p.certificate) {
    parts.push(
      p.certificate.valid
        ? t(ui, 'probe.port.cert-valid', lang, { validTo: p.certificate.validTo.slice(0, 10) })
        : t(ui, 'probe.port.cert-invalid', lang, { code: codeText(ui, lang, p.certificate.error ?? 'UNABLE_TO_VERIFY') }),
    );
  }
  if (p.error) parts.push(t(ui, 'probe.port.failed-at', lang, explained(ui, lang, { phase: p.error.phase, code: p.error.code })));
  return `${p.port}: ${parts.join(' · ')}`;
}

function dnsLines(r: Pick<ReplyInput, 'mx' | 'host' | 'addresses'>, lang: Lang, ui: UiStrings): string[] {
  const lines: string[] = [];
  if (r.mx && r.mx.length > 0) {
    lines.push(`MX: ${r.mx.map((m) => `${m.priority} ${m.exchange || '.'}`).join(', ')}`);
  }
  if (r.host) {
    const addresses = r.addresses.length > 0 ? r.addresses.join(', ') : t(ui, 'probe.dns.no-address', lang);
    lines.push(`${r.host} → ${addresses}`);
  }
  return lines;
}

type ReplyInput = Pick<ProbeReport, 'mx' | 'host' | 'addresses'>;

function ptrLine(ptr: PtrResult, lang: Lang, ui: UiStrings): string {
  if (ptr.names.length === 0) return t(ui, 'probe.dns.ptr-none', lang, { address: ptr.address });
  const key = ptr.forwardConfirmed ? 'probe.dns.ptr-confirmed' : 'probe.dns.ptr-unconfirmed';
  return t(ui, key, lang, { address: ptr.address, name: ptr.names.join(', ') });
}

function settingsSteps(report: ProbeReport, lang: Lang, ui: UiStrings): string[] {
  const port = pickSubmissionPort(report.ports.filter((p) => p.port !== 25 && p.certificate?.valid === true && p.authMechanisms.length > 0));
  if (!port || !report.host) return [];
  const mode = port.tls === 'implicit' ? 'SSL/TLS' : 'STARTTLS';
  return [
    t(ui, 'probe.settings.server', lang, { host: report.host }),
    t(ui, 'probe.settings.port', lang, { port: port.port, mode }),
    t(ui, 'probe.settings.auth', lang),
  ];
}

export function probeReply(report: ProbeReport, lang: Lang, ui: UiStrings): Reply {
  const severity = worst(report.findings);
  const target = report.target.unicode ?? report.target.host;
  const sections: ReplySection[] = [];
  if (report.findings.length > 0) {
    sections.push({
      heading: t(ui, 'probe.reply.findings', lang),
      style: 'bullets',
      items: report.findings.map((f) => `${MARK[f.severity]} ${pick(f.message, lang)}`),
    });
  }
  const dns = dnsLines(report, lang, ui);
  if (report.ptr) dns.push(ptrLine(report.ptr, lang, ui));
  if (dns.length > 0) sections.push({ heading: t(ui, 'probe.reply.dns', lang), style: 'bullets', items: dns });
  if (report.ports.length > 0) {
    sections.push({ heading: t(ui, 'probe.reply.ports', lang), style: 'bullets', items: report.ports.map((p) => portLine(p, lang, ui)) });
  }
  const steps = settingsSteps(report, lang, ui);
  if (steps.length > 0) sections.push({ heading: t(ui, 'probe.reply.settings', lang), style: 'steps', items: steps });

  const actions: ReplyAction[] = [];
  const offersAuth = report.ports.some((p) => p.port !== 25 && p.authMechanisms.length > 0 && p.certificate?.valid === true);
  if (!report.auth && offersAuth) actions.push({ id: 'auth-test', label: t(ui, 'probe.reply.action-auth', lang), value: report.target.input });
  if (severity === 'error' || severity === 'warning') {
    actions.push({ id: 'show-checklist', label: t(ui, 'probe.reply.action-checklist', lang), value: report.target.input });
  }

  return {
    kind: 'probe',
    lang,
    title: t(ui, 'probe.reply.title', lang, { target }),
    summary: t(ui, `probe.reply.summary-${severity}`, lang, { seconds: (report.durationMs / 1000).toFixed(1) }),
    severity,
    sections,
    actions,
    footer: report.notes.map((n) => pick(n, lang)).join(' '),
  };
}

function resolvedLine(r: ResolutionResult, lang: Lang, ui: UiStrings): string {
  const lines = dnsLines(r, lang, ui);
  if (lines.length > 0) return `DNS: ${lines.join(' / ')}`;
  return `DNS: ${t(ui, 'probe.dns.failed', lang, { code: codeText(ui, lang, r.error ?? 'ENODATA') })}`;
}

export function probeProgressReply(events: ProbeEvent[], lang: Lang, ui: UiStrings): Reply {
  const items: string[] = [];
  let done: number | null = null;
  for (const e of events) {
    if (e.kind === 'resolved') items.push(resolvedLine(e.resolution, lang, ui));
    else if (e.kind === 'ptr') items.push(`PTR: ${ptrLine(e.ptr, lang, ui)}`);
    else if (e.kind === 'port') items.push(portLine(e.result, lang, ui));
    else if (e.kind === 'auth') items.push(`AUTH: ${t(ui, `probe.auth.${e.result.outcome}`, lang, { port: e.result.port ?? '' })}`);
    else done = e.durationMs;
  }
  return {
    kind: 'probe-progress',
    lang,
    title: t(ui, 'probe.progress.title', lang),
    summary: done === null ? t(ui, 'probe.progress.running', lang, { steps: items.length }) : t(ui, 'probe.progress.done', lang, { seconds: (done / 1000).toFixed(1) }),
    severity: 'info',
    sections: items.length > 0 ? [{ heading: t(ui, 'probe.progress.steps', lang), style: 'bullets', items }] : [],
    actions: [],
  };
}

export function probeRefusalReply(refusal: ProbeRefusal, lang: Lang, ui: UiStrings): Reply {
  const d = refusal.detail;
  const vars: Record<string, string | number> = {
    port: d.port ?? '',
    address: d.address ?? '',
    host: d.host ?? d.address ?? '',
    seconds: d.retryAfterSec ?? '',
    range: d.addressClass ? t(ui, `probe.class.${d.addressClass}`, lang) : '',
  };
  const key = refusal.reason === 'address-not-allowed' && d.host && d.host !== d.address ? 'probe.refusal.resolves-not-allowed' : `probe.refusal.${refusal.reason}`;
  return {
    kind: 'error',
    lang,
    title: t(ui, 'probe.refusal.title', lang),
    summary: t(ui, key, lang, vars),
    severity: refusal.reason === 'rate-limited' || refusal.reason === 'busy' ? 'info' : 'warning',
    sections: [{ heading: t(ui, 'probe.refusal.accepted-heading', lang), style: 'bullets', items: [t(ui, 'probe.refusal.accepted', lang)] }],
    actions: [],
  };
}
