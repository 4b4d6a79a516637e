/** knowledge/dnsbl.yaml: valid, sourced, and pointing at knowledge entries that exist. */
import { describe, expect, it } from 'vitest';
import { loadDnsbls } from '../../../src/probe/check/dnsbl.js';
import { loadKnowledge } from '../../../src/knowledge/load.js';

describe('the DNS blocklists', () => {
  const lists = loadDnsbls();
  const entries = new Set(loadKnowledge().entries.map((e) => e.id));

  it('include Spamhaus ZEN, SpamCop and Barracuda, each with a dated source', () => {
    expect(lists.map((l) => l.zone)).toEqual(expect.arrayContaining(['zen.spamhaus.org', 'bl.spamcop.net', 'b.barracudacentral.org']));
    for (const l of lists) expect(l.source, l.zone).toMatch(/https:\/\/\S+.*20\d\d-\d\d-\d\d/);
  });

  it('point every listing at a knowledge entry that exists', () => {
    for (const l of lists) {
      expect(entries.has(l.listed.entry), `${l.zone} → ${l.listed.entry}`).toBe(true);
      for (const c of l.codes) expect(entries.has(c.entry), `${l.zone} ${c.code} → ${c.entry}`).toBe(true);
    }
  });

  it('never take one of Spamhaus’s error codes for a listing', () => {
    const zen = lists.find((l) => l.zone === 'zen.spamhaus.org');
    expect(zen?.errors.map((e) => e.code)).toEqual(['127.255.255.252', '127.255.255.254', '127.255.255.255']);
    expect(zen?.codes.some((c) => c.code.startsWith('127.255.'))).toBe(false);
  });
});
