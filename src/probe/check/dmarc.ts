/**
 * DMARC (RFC 7489): the record at _dmarc.<domain>, else at the organisational domain (section 6.6.3; the public
 * suffix list through tldts), its policy, and what it implies for alignment.
 */
import { getDomain } from 'tldts';
import { joinTxt, type Asker } from './lookup.js';
import type { DmarcRecords } from './types.js';

export type DmarcProblem =
  | { kind: 'missing' }
  | { kind: 'multiple'; at: string }
  | { kind: 'invalid'; at: string; record: string }
  | { kind: 'none' }
  | { kind: 'failed'; name: string; code: string };

export interface DmarcCheck {
  records: DmarcRecords;
  problems: DmarcProblem[];
}

const POLICIES = new Set(['none', 'quarantine', 'reject']);

export function parseDmarcTags(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return tags;
}

export async function checkDmarc(domain: string, dns: Asker): Promise<DmarcCheck> {
  const records: DmarcRecords = { record: null, at: null, policy: null, subdomainPolicy: null, reports: false, aspf: 'r', adkim: 'r' };
  const org = getDomain(domain) ?? domain;
  const places = org !== domain ? [domain, org] : [domain];

  for (const at of places) {
    const name = `_dmarc.${at}`;
    const answer = await dns.ask((r) => r.resolveTxt(name));
    if (answer.kind === 'failed') return { records, problems: [{ kind: 'failed', name, code: answer.code }] };
    // The version tag must come first, exactly "v=DMARC1" (section 6.4).
    const found = answer.kind === 'ok' ? joinTxt(answer.value).filter((t) => /^v\s*=\s*DMARC1\s*(;|$)/.test(t)) : [];
    if (found.length === 0) continue;
    // Several records mean no DMARC at all to a receiver (section 6.6.3).
    if (found.length > 1) return { records: { ...records, at }, problems: [{ kind: 'multiple', at }] };
    const record = found[0] ?? '';
    const tags = parseDmarcTags(record);
    const policy = tags.get('p')?.toLowerCase() ?? null;
    const sp = tags.get('sp')?.toLowerCase() ?? null;
    const parsed: DmarcRecords = {
      record,
      at,
      policy,
      subdomainPolicy: sp,
      reports: tags.has('rua'),
      aspf: tags.get('aspf')?.toLowerCase() === 's' ? 's' : 'r',
      adkim: tags.get('adkim')?.toLowerCase() === 's' ? 's' : 'r',
    };
    if (policy === null || !POLICIES.has(policy)) return { records: parsed, problems: [{ kind: 'invalid', at, record }] };
    // At the organisational domain, a subdomain gets sp= when it is set (section 6.3).
    const effective = at !== domain && sp !== null && POLICIES.has(sp) ? sp : policy;
    return { records: parsed, problems: effective === 'none' ? [{ kind: 'none' }] : [] };
  }
  return { records, problems: [{ kind: 'missing' }] };
}
