/** The SPF parser (RFC 7208 sections 4.6, 5, 6), pure: which terms are errors to a receiver and which are not. */
import { describe, expect, it } from 'vitest';
import { isSpf, parseSpf } from '../../../src/probe/check/spf.js';

describe('parseSpf', () => {
  it('reads mechanisms, qualifiers and a redirect', () => {
    const p = parseSpf('v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a mx:mx.example.test/24//64 include:_spf.example.test -exists:%{i}.x.test ~all');
    expect(p.errors).toEqual([]);
    expect(p.terms.map((t) => `${t.qualifier}${t.mechanism}`)).toEqual(['+ip4', '+ip6', '+a', '+mx', '+include', '-exists', '~all']);
    expect(parseSpf('v=spf1 redirect=_spf.example.test').redirect).toBe('_spf.example.test');
  });

  it.each([
    ['v=spf1 ip4:192.0.2.300 -all', 'ip4:192.0.2.300'],
    ['v=spf1 ip4:192.0.2.0/33 -all', 'ip4:192.0.2.0/33'],
    ['v=spf1 include -all', 'include'],
    ['v=spf1 all:example.test', 'all:example.test'],
    ['v=spf1 mx foo:bar -all', 'foo:bar'],
    ['v=spf1 redirect=a.test redirect=b.test', 'redirect= twice'],
  ])('%s is a permerror (%s)', (record, term) => {
    expect(parseSpf(record).errors).toContain(term);
  });

  it('unknown modifiers are allowed (section 6)', () => {
    expect(parseSpf('v=spf1 mx moo=bar -all').errors).toEqual([]);
  });

  it('isSpf needs exactly the version tag', () => {
    expect(isSpf('v=spf1 -all')).toBe(true);
    expect(isSpf('v=spf1')).toBe(true);
    expect(isSpf('v=spf10 -all')).toBe(false);
    expect(isSpf('google-site-verification=abc')).toBe(false);
  });
});
