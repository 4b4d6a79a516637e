/**
 * DKIM (RFC 6376): the public key at <selector>._domainkey.<domain>. The selector comes from a pasted header's
 * `DKIM-Signature: ... s=` when there is one; otherwise the selectors that common mail services use are tried, and
 * not finding one there proves nothing (the selector may be any name), which the finding says.
 */
import { joinTxt, type Asker } from './lookup.js';
import type { DkimKey } from './types.js';

/**
 * Google Workspace (google), Microsoft 365 (selector1, selector2), cPanel and many hosts (default), Mailchimp (k1..k3),
 * SendGrid (s1, s2), and names common in self-hosted setups.
 */
export const COMMON_SELECTORS: readonly string[] = ['google', 'selector1', 'selector2', 'default', 'k1', 'k2', 'k3', 's1', 's2', 'mail', 'dkim', 'smtp', 'key1', 'sig1'];

const SELECTOR = /^[a-z0-9](?:[a-z0-9._-]{0,62})$/i;

export interface HeaderSelector {
  selector: string;
  domain: string;
}

/** `s=` and `d=` of every DKIM-Signature header in a pasted message (headers may be folded over several lines). */
export function selectorsFromHeaders(text: string): HeaderSelector[] {
  const out: HeaderSelector[] = [];
  const unfolded = text.replace(/\r?\n[ \t]+/g, ' ');
  for (const m of unfolded.matchAll(/^\s*DKIM-Signature:(.*)$/gim)) {
    const tags = new Map<string, string>();
    for (const part of (m[1] ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0) tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).replace(/\s+/g, ''));
    }
    const selector = tags.get('s') ?? '';
    const domain = (tags.get('d') ?? '').toLowerCase();
    if (SELECTOR.test(selector) && domain && !out.some((o) => o.selector === selector && o.domain === domain)) out.push({ selector, domain });
  }
  return out;
}

/** The text without its DKIM-Signature fields (folded lines included): what a user wrote around a pasted header. */
export function withoutDkimSignatures(text: string): string {
  return text.replace(/^[ \t]*DKIM-Signature:[^\n]*(?:\n[ \t]+[^\n]*)*/gim, '').trim();
}

export type DkimProblem = { kind: 'missing'; source: 'header' | 'common'; selectors: string[] } | { kind: 'failed'; name: string; code: string };

export interface DkimCheck {
  keys: DkimKey[];
  problems: DkimProblem[];
}

/** `given`: selectors from a header (each with its d= domain); none → the common selectors at `domain`. */
export async function checkDkim(domain: string, given: HeaderSelector[], dns: Asker): Promise<DkimCheck> {
  const source = given.length > 0 ? 'header' : 'common';
  const wanted = (given.length > 0 ? given : COMMON_SELECTORS.map((selector) => ({ selector, domain }))).filter((s) => SELECTOR.test(s.selector)).slice(0, 20);
  const names = wanted.map((w) => w.selector);
  const problems: DkimProblem[] = [];
  const keys = await Promise.all(
    wanted.map(async ({ selector, domain }): Promise<DkimKey> => {
      const name = `${selector}._domainkey.${domain}`;
      const answer = await dns.ask((r) => r.resolveTxt(name));
      if (answer.kind === 'failed') {
        // Guessed selectors fail quietly: a missing name is the normal answer there.
        if (source === 'header') problems.push({ kind: 'failed', name, code: answer.code });
        return { selector, domain, found: false, revoked: false };
      }
      const records = answer.kind === 'ok' ? joinTxt(answer.value) : [];
      const key = records.find((t) => /(^|;)\s*p\s*=/.test(t));
      const p = key === undefined ? undefined : /(?:^|;)\s*p\s*=([^;]*)/.exec(key)?.[1]?.trim();
      return { selector, domain, found: p !== undefined && p !== '', revoked: p === '' };
    }),
  );
  const found = keys.filter((k) => k.found);
  if (found.length === 0 && problems.length === 0) problems.push({ kind: 'missing', source, selectors: names });
  return { keys: source === 'common' ? keys.filter((k) => k.found || k.revoked) : keys, problems };
}
