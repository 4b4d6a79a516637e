/**
 * Check results → findings with stable ids (README, "Sender checks"), each pointing at the knowledge entry whose
 * explanation and fix apply, with a message in both languages. Pure. A healthy domain or IP gets no finding of
 * severity error or warning.
 */
import { t } from '../../engine/i18n.js';
import type { CategoryId, Text, UiStrings } from '../../engine/types.js';
import type { MxHost } from '../types.js';
import type { DkimProblem } from './dkim.js';
import type { DmarcProblem } from './dmarc.js';
import type { Dnsbl } from './dnsbl.js';
import type { Answer } from './lookup.js';
import { SPF_LOOKUP_LIMIT, SPF_VOID_LIMIT, type SpfProblem } from './spf.js';
import type { CheckFinding, CheckSeverity, DomainRecords, IpRecords, Requirement } from './types.js';

type Vars = Record<string, string | number>;
type Add = (id: string, severity: CheckSeverity, category: CategoryId, entry: string, key: string, vars?: Vars) => void;

function collector(ui: UiStrings): { out: CheckFinding[]; add: Add } {
  const out: CheckFinding[] = [];
  const text = (key: string, vars: Vars): Text => ({ ja: t(ui, key, 'ja', vars), en: t(ui, key, 'en', vars) });
  return {
    out,
    add: (id, severity, category, entry, key, vars = {}) => {
      out.push({ id, severity, category, entry, message: text(key, vars) });
    },
  };
}

const SPF = ['sender-authentication', 'sender-auth-spf-dkim'] as const;
const DMARC = ['sender-authentication', 'sender-auth-dmarc'] as const;
const SENDER_DOMAIN = ['sender-rejected', 'sender-domain-rejected'] as const;
const REVERSE = ['ip-reputation', 'ip-no-reverse-dns'] as const;
const DNS_FAILED = ['offline', 'dns-temporary-failure'] as const;

export interface DomainInput {
  /** The domain as shown (Unicode for an IDN). */
  domain: string;
  /** The domain as DNS knows it (punycode). */
  ascii: string;
  mx: Answer<MxHost[]>;
  hasAddress: boolean;
  records: DomainRecords;
  spf: SpfProblem[];
  dmarc: DmarcProblem[];
  dkim: DkimProblem[];
}

export function domainFindings(input: DomainInput, ui: UiStrings): CheckFinding[] {
  const { out, add } = collector(ui);
  const { domain, records } = input;
  const failed = new Set<string>();
  const dnsFailed = (name: string, code: string) => {
    if (failed.has(name)) return;
    failed.add(name);
    add('dns-failed', 'error', ...DNS_FAILED, 'check.finding.dns-failed', { name, code });
  };

  const mx = input.mx;
  if (mx.kind === 'failed') dnsFailed(domain, mx.code);
  else if (mx.kind === 'none' && mx.code === 'ENOTFOUND' && !input.hasAddress) add('mx-missing', 'error', ...SENDER_DOMAIN, 'check.finding.domain-not-found', { domain });
  else if (mx.kind === 'none' && input.hasAddress) add('mx-missing', 'warning', ...SENDER_DOMAIN, 'check.finding.mx-implicit', { domain });
  else if (mx.kind === 'none') add('mx-missing', 'error', ...SENDER_DOMAIN, 'check.finding.mx-missing', { domain });
  else if (records.nullMx) add('null-mx', 'error', ...SENDER_DOMAIN, 'check.finding.null-mx', { domain });

  for (const p of input.spf) {
    switch (p.kind) {
      case 'missing':
        add('spf-missing', 'error', ...SPF, 'check.finding.spf-missing', { domain });
        break;
      case 'multiple':
        add('spf-multiple', 'error', ...SPF, 'check.finding.spf-multiple', { domain, count: p.count });
        break;
      case 'include-multiple':
        add('spf-multiple', 'error', ...SPF, 'check.finding.spf-include-multiple', { target: p.target });
        break;
      case 'syntax':
        add('spf-syntax', 'error', ...SPF, 'check.finding.spf-syntax', { domain: p.domain, term: p.term });
        break;
      case 'include-missing':
        add('spf-syntax', 'error', ...SPF, 'check.finding.spf-include-missing', { domain: p.domain, target: p.target });
        break;
      case 'too-many-lookups':
        add('spf-too-many-lookups', 'error', ...SPF, 'check.finding.spf-too-many-lookups', { lookups: p.lookups, limit: SPF_LOOKUP_LIMIT });
        break;
      case 'void-lookups':
        add('spf-void-lookups', 'error', ...SPF, 'check.finding.spf-void-lookups', { voids: p.voids, limit: SPF_VOID_LIMIT, names: p.names.slice(0, 4).join(', ') });
        break;
      case 'loop':
        add('spf-too-many-lookups', 'error', ...SPF, 'check.finding.spf-loop', { domain: p.domain, target: p.target });
        break;
      case 'failed':
        dnsFailed(p.name, p.code);
        break;
    }
  }
  if (records.spf.record !== null) {
    const all = records.spf.all;
    if (all === '+') add('spf-permissive', 'error', ...SPF, 'check.finding.spf-plus-all', { domain });
    else if (all === '?') add('spf-permissive', 'warning', ...SPF, 'check.finding.spf-neutral-all', { domain });
    else if (all === null && !input.spf.some((p) => p.kind !== 'failed')) add('spf-permissive', 'warning', ...SPF, 'check.finding.spf-no-all', { domain });
  }

  for (const p of input.dmarc) {
    if (p.kind === 'missing') add('dmarc-missing', 'warning', ...DMARC, 'check.finding.dmarc-missing', { domain });
    else if (p.kind === 'multiple') add('dmarc-missing', 'warning', ...DMARC, 'check.finding.dmarc-multiple', { at: p.at });
    else if (p.kind === 'invalid') add('dmarc-missing', 'warning', ...DMARC, 'check.finding.dmarc-invalid', { at: p.at });
    else if (p.kind === 'none') add('dmarc-none', 'info', ...DMARC, 'check.finding.dmarc-none', { domain });
    else dnsFailed(p.name, p.code);
  }
  const dmarc = records.dmarc;
  if (dmarc.record !== null && (dmarc.aspf === 's' || dmarc.adkim === 's')) {
    add('dmarc-alignment', 'info', ...DMARC, 'check.finding.dmarc-strict', { domain });
  } else if (dmarc.record !== null && records.spf.includes.length > 0) {
    add('dmarc-alignment', 'info', ...DMARC, 'check.finding.dmarc-alignment', { domain, includes: records.spf.includes.slice(0, 3).join(', ') });
  }

  for (const p of input.dkim) {
    if (p.kind === 'failed') dnsFailed(p.name, p.code);
    else if (p.source === 'header') add('dkim-missing', 'error', ...SPF, 'check.finding.dkim-missing-header', { selectors: p.selectors.join(', '), domain });
    else add('dkim-missing', 'info', ...SPF, 'check.finding.dkim-missing-common', { domain });
  }
  for (const k of records.dkim.keys.filter((k) => k.revoked)) {
    if (records.dkim.source === 'header') continue;
    add('dkim-missing', 'info', ...SPF, 'check.finding.dkim-revoked', { selector: k.selector, domain: k.domain });
  }
  const ascii = input.ascii;
  const headerOther = records.dkim.keys.find((k) => k.found && k.domain !== ascii && !ascii.endsWith(`.${k.domain}`));
  if (headerOther) add('dmarc-alignment', 'info', ...DMARC, 'check.finding.dkim-unaligned', { d: headerOther.domain, domain });
  return out;
}

/** The 2024 Gmail/Yahoo sender rules as far as DNS shows them; the rest is for the sender to confirm ('manual'). */
export function requirements(records: DomainRecords, spfProblems: SpfProblem[]): Requirement[] {
  const spfOk = records.spf.record !== null && !spfProblems.some((p) => p.kind !== 'failed') && records.spf.all !== '+';
  const dkimOk = records.dkim.keys.some((k) => k.found);
  const dmarcOk = records.dmarc.record !== null && records.dmarc.policy !== null && ['none', 'quarantine', 'reject'].includes(records.dmarc.policy);
  // DKIM not found at the common selectors proves nothing (any name can be a selector): the sender confirms.
  const dkimUnknown = !dkimOk && records.dkim.source === 'common';
  const status = (ok: boolean): Requirement['status'] => (ok ? 'pass' : 'fail');
  return [
    { id: 'spf-or-dkim', scope: 'all', status: spfOk || dkimOk ? 'pass' : dkimUnknown ? 'manual' : 'fail' },
    { id: 'ptr', scope: 'all', status: 'manual' },
    { id: 'tls', scope: 'all', status: 'manual' },
    { id: 'spam-rate', scope: 'all', status: 'manual' },
    { id: 'spf-and-dkim', scope: 'bulk', status: !spfOk ? 'fail' : dkimOk ? 'pass' : dkimUnknown ? 'manual' : 'fail' },
    { id: 'dmarc', scope: 'bulk', status: status(dmarcOk) },
    { id: 'alignment', scope: 'bulk', status: 'manual' },
    { id: 'unsubscribe', scope: 'bulk', status: 'manual' },
  ];
}

export function ipFindings(address: string, records: IpRecords, lists: Dnsbl[], ui: UiStrings): CheckFinding[] {
  const { out, add } = collector(ui);
  const ptr = records.ptr;
  if (ptr.error !== null) add('dns-failed', 'error', ...DNS_FAILED, 'check.finding.dns-failed', { name: address, code: ptr.error });
  else if (ptr.names.length === 0) add('ptr-missing', 'error', ...REVERSE, 'check.finding.ptr-missing', { address });
  else if (!ptr.forwardConfirmed) add('fcrdns-mismatch', 'error', ...REVERSE, 'check.finding.fcrdns-mismatch', { address, name: ptr.names[0] ?? '' });

  for (const r of records.dnsbl) {
    const list = lists.find((l) => l.zone === r.zone);
    if (!list) continue;
    if (r.listed) {
      const known = r.codes.map((c) => list.codes.find((k) => k.code === c)).filter((k) => k !== undefined);
      const worst = known.find((k) => k.severity === 'error') ?? known[0];
      const severity = worst?.severity ?? list.listed.severity;
      const entry = worst?.entry ?? list.listed.entry;
      const meaning = (lang: 'ja' | 'en') => (known.length > 0 ? known.map((k) => k.meaning[lang]).join(', ') : r.codes.join(', '));
      out.push({
        id: `listed:${r.zone}`,
        severity,
        category: 'ip-reputation',
        entry,
        message: {
          ja: t(ui, 'check.finding.listed', 'ja', { address, list: list.name, meaning: meaning('ja') }),
          en: t(ui, 'check.finding.listed', 'en', { address, list: list.name, meaning: meaning('en') }),
        },
      });
    } else if (r.error !== null) {
      const documented = list.errors.find((e) => e.code === r.error);
      out.push({
        id: `dnsbl-error:${r.zone}`,
        severity: 'info',
        category: 'ip-reputation',
        entry: 'ip-blocklisted',
        message: {
          ja: t(ui, 'check.finding.dnsbl-error', 'ja', { list: list.name, reason: documented ? documented.meaning.ja : r.error }),
          en: t(ui, 'check.finding.dnsbl-error', 'en', { list: list.name, reason: documented ? documented.meaning.en : r.error }),
        },
      });
    }
  }
  return out;
}
