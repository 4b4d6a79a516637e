/**
 * A check report as the platform-neutral Reply: findings first (worst first), the records, the Gmail/Yahoo
 * checklist for a domain, and the fix of the knowledge entry behind the worst finding. Pure.
 */
import { pick, t } from '../../engine/i18n.js';
import type { KnowledgeEntry, Lang, UiStrings } from '../../engine/types.js';
import type { Reply, ReplyAction, ReplySection, Severity } from '../../render/model.js';
import type { ProbeRefusal } from '../types.js';
import type { CheckFinding, CheckReport, DomainRecords, IpRecords } from './types.js';

const RANK: Record<CheckFinding['severity'], number> = { info: 1, warning: 2, error: 3 };
const MARK: Record<CheckFinding['severity'], string> = { info: 'ℹ', warning: '⚠', error: '✖' };

export function worstSeverity(findings: CheckFinding[]): Severity {
  const worst = findings.reduce((w, f) => Math.max(w, RANK[f.severity]), 0);
  return worst === 3 ? 'error' : worst === 2 ? 'warning' : 'ok';
}

function domainLines(r: DomainRecords, lang: Lang, ui: UiStrings): string[] {
  const lines: string[] = [];
  lines.push(
    r.mx && r.mx.length > 0
      ? t(ui, 'check.record.mx', lang, { mx: r.mx.map((m) => `${m.priority} ${m.exchange || '.'}`).join(', ') })
      : t(ui, 'check.record.mx-none', lang),
  );
  lines.push(r.spf.record !== null ? t(ui, 'check.record.spf', lang, { record: r.spf.record, lookups: r.spf.lookups }) : t(ui, 'check.record.spf-none', lang));
  lines.push(r.dmarc.record !== null ? t(ui, 'check.record.dmarc', lang, { at: `_dmarc.${r.dmarc.at ?? ''}`, record: r.dmarc.record }) : t(ui, 'check.record.dmarc-none', lang));
  const keys = r.dkim.keys.filter((k) => k.found);
  lines.push(keys.length > 0 ? t(ui, 'check.record.dkim', lang, { selectors: keys.map((k) => k.selector).join(', ') }) : t(ui, 'check.record.dkim-none', lang));
  return lines;
}

function ipLines(r: IpRecords, lang: Lang, ui: UiStrings, address: string): string[] {
  const lines: string[] = [];
  lines.push(
    r.ptr.names.length > 0
      ? t(ui, 'check.record.ptr', lang, { names: r.ptr.names.join(', '), confirmed: t(ui, r.ptr.forwardConfirmed ? 'check.record.yes' : 'check.record.no', lang) })
      : t(ui, 'check.record.ptr-none', lang),
  );
  const clean = r.dnsbl.filter((d) => !d.listed && d.error === null).map((d) => d.name);
  if (address.includes(':')) lines.push(t(ui, 'check.record.dnsbl-ipv6', lang));
  else if (clean.length > 0) lines.push(t(ui, 'check.record.dnsbl-clean', lang, { lists: clean.join(', ') }));
  return lines;
}

/** `entries`: the knowledge entries, for the fix of the worst finding (absent: findings and records only). */
export function checkReply(report: CheckReport, lang: Lang, ui: UiStrings, entries: readonly KnowledgeEntry[] = []): Reply {
  const findings = [...report.findings].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
  const severity = worstSeverity(findings);
  const sections: ReplySection[] = [];
  if (findings.length > 0) {
    sections.push({ heading: t(ui, 'check.reply.findings', lang), style: 'bullets', items: findings.map((f) => `${MARK[f.severity]} ${pick(f.message, lang)}`) });
  }
  const domain = report.kind === 'domain' ? (report.records as DomainRecords) : null;
  const records = domain ? domainLines(domain, lang, ui) : ipLines(report.records as IpRecords, lang, ui, report.target);
  sections.push({ heading: t(ui, 'check.reply.records', lang), style: 'bullets', items: records });
  if (domain) {
    for (const scope of ['all', 'bulk'] as const) {
      const items = domain.requirements.filter((r) => r.scope === scope).map((r) => `${t(ui, `check.status.${r.status}`, lang)} ${t(ui, `check.requirement.${r.id}`, lang)}`);
      sections.push({ heading: t(ui, `check.reply.requirements-${scope}`, lang), style: 'bullets', items });
    }
  }
  const top = findings.find((f) => f.severity !== 'info');
  const entry = top ? entries.find((e) => e.id === top.entry) : undefined;
  if (entry) sections.push({ heading: t(ui, 'check.reply.fix', lang, { title: pick(entry.title, lang) }), style: 'steps', items: entry.steps.map((s) => pick(s, lang)) });

  const actions: ReplyAction[] = [];
  if (top) actions.push({ id: 'show-checklist', label: t(ui, 'check.reply.action-checklist', lang), value: top.category });
  const notes = [t(ui, 'check.reply.note-dns-only', lang)];
  if (report.kind === 'ip') notes.push(t(ui, 'check.reply.note-spamhaus', lang));
  return {
    kind: 'check',
    lang,
    title: t(ui, report.kind === 'domain' ? 'check.reply.title-domain' : 'check.reply.title-ip', lang, { target: report.target }),
    summary: t(ui, `check.reply.summary-${severity}`, lang),
    severity,
    sections,
    actions,
    footer: notes.join(lang === 'ja' ? '' : ' '),
  };
}

export function checkRefusalReply(refusal: ProbeRefusal, lang: Lang, ui: UiStrings): Reply {
  const d = refusal.detail;
  const vars: Record<string, string | number> = {
    port: d.port ?? '',
    address: d.address ?? '',
    host: d.host ?? d.address ?? '',
    seconds: d.retryAfterSec ?? '',
    range: d.addressClass ? t(ui, `probe.class.${d.addressClass}`, lang) : '',
  };
  return {
    kind: 'error',
    lang,
    title: t(ui, 'check.refusal.title', lang),
    summary: t(ui, refusal.reason === 'name-not-public' ? 'check.refusal.name-not-public' : `probe.refusal.${refusal.reason}`, lang, vars),
    severity: refusal.reason === 'rate-limited' || refusal.reason === 'busy' ? 'info' : 'warning',
    sections: [{ heading: t(ui, 'check.refusal.accepted-heading', lang), style: 'bullets', items: [t(ui, 'check.refusal.accepted', lang)] }],
    actions: [],
  };
}

/** The `check --json` contract: messages in one language, the rest as the report holds it. */
export function checkJson(report: CheckReport, lang: Lang): object {
  return {
    target: report.target,
    kind: report.kind,
    records: report.records,
    findings: report.findings.map((f) => ({ id: f.id, severity: f.severity, category: f.category, entry: f.entry, message: pick(f.message, lang) })),
  };
}
