/**
 * runCheck against a zone on a loopback dns2 server (test/support/check-zone.ts): one case per finding id, a healthy
 * domain and a healthy IP with none of severity error or warning. Every lookup goes to the configured server: the
 * report names it, and the server saw the questions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, selectorsFromHeaders, type CheckOptions, type CheckReport, type DomainRecords, type IpRecords } from '../../../src/probe/check/index.js';
import { createLimiter } from '../../../src/probe/limits.js';
import { MemoryStore } from '../../../src/state/memory.js';
import { CHECK_ZONE } from '../../support/check-zone.js';
import { startDns, type RunningDns } from '../../support/dns-server.js';

let dns: RunningDns;

beforeAll(async () => {
  dns = await startDns(CHECK_ZONE);
  dns.silence('slow.test');
  dns.silence('_dmarc.slow.test');
});
afterAll(() => dns.close());

const DOCS = ['192.0.2.0/24', '198.51.100.0/24'];

async function check(target: string, options: CheckOptions = {}): Promise<CheckReport> {
  const outcome = await runCheck(target, { dnsServers: [dns.server], allowCidrs: DOCS, lookupTimeoutMs: 1000, ...options });
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.refusal)}`);
  return outcome.report;
}

const ids = (r: CheckReport) => r.findings.map((f) => f.id);
const serious = (r: CheckReport) => r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.id}: ${f.message.en}`);

describe('a healthy domain and IP', () => {
  it('good.test: every record found, no error or warning, the requirements pass', async () => {
    const before = dns.queries.length;
    const r = await check('good.test');
    expect(serious(r)).toEqual([]);
    expect(r.kind).toBe('domain');
    const rec = r.records as DomainRecords;
    expect(rec.resolver).toEqual([dns.server]);
    expect(rec.mx).toEqual([{ exchange: 'mx.good.test', priority: 10 }]);
    expect(rec.spf).toMatchObject({ record: 'v=spf1 ip4:192.0.2.0/24 include:_spf.mailer.test ~all', lookups: 1, all: '~', includes: ['_spf.mailer.test'] });
    expect(rec.dmarc).toMatchObject({ policy: 'reject', at: 'good.test', reports: true });
    expect(rec.dkim.keys).toEqual([{ selector: 'google', domain: 'good.test', found: true, revoked: false }]);
    expect(rec.requirements.filter((q) => q.status === 'fail')).toEqual([]);
    expect(rec.requirements.find((q) => q.id === 'spf-and-dkim')?.status).toBe('pass');
    const asked = dns.queries.slice(before);
    for (const q of ['good.test MX', 'good.test TXT', '_spf.mailer.test TXT', '_dmarc.good.test TXT', 'google._domainkey.good.test TXT']) expect(asked).toContain(q);
  });

  it('a subdomain without its own DMARC record inherits the organisational domain’s', async () => {
    const r = await check('mail.good.test');
    expect((r.records as DomainRecords).dmarc).toMatchObject({ at: 'good.test', policy: 'reject' });
    expect(ids(r)).not.toContain('dmarc-missing');
  });

  it('an address is checked as its domain', async () => {
    const r = await check('taro@good.test');
    expect(r.target).toBe('good.test');
    expect(serious(r)).toEqual([]);
  });

  it('192.0.2.25: PTR confirmed, listed nowhere, no error or warning', async () => {
    const before = dns.queries.length;
    const r = await check('192.0.2.25');
    expect(r.kind).toBe('ip');
    expect(serious(r)).toEqual([]);
    expect(r.findings).toEqual([]);
    const rec = r.records as IpRecords;
    expect(rec.resolver).toEqual([dns.server]);
    expect(rec.ptr).toEqual({ names: ['mx.good.test'], forwardConfirmed: true, error: null });
    expect(rec.dnsbl.map((d) => d.zone)).toEqual(['zen.spamhaus.org', 'bl.spamcop.net', 'b.barracudacentral.org', 'psbl.surriel.com', 'dnsbl-1.uceprotect.net']);
    expect(rec.dnsbl.every((d) => !d.listed && d.error === null)).toBe(true);
    expect(dns.queries.slice(before)).toContain('25.2.0.192.zen.spamhaus.org A');
  });
});

describe('one case per finding id', () => {
  it.each([
    ['nomx.test', 'mx-missing', 'error'],
    ['implicit.test', 'mx-missing', 'warning'],
    ['nosuchdomain.test', 'mx-missing', 'error'],
    ['nullmx.test', 'null-mx', 'error'],
    ['nospf.test', 'spf-missing', 'error'],
    ['twospf.test', 'spf-multiple', 'error'],
    ['deep.test', 'spf-too-many-lookups', 'error'],
    ['voids.test', 'spf-void-lookups', 'error'],
    ['loop.test', 'spf-too-many-lookups', 'error'],
    ['plusall.test', 'spf-permissive', 'error'],
    ['neutral.test', 'spf-permissive', 'warning'],
    ['badsyntax.test', 'spf-syntax', 'error'],
    ['brokeninclude.test', 'spf-syntax', 'error'],
    ['nodmarc.test', 'dmarc-missing', 'warning'],
    ['dmarcnone.test', 'dmarc-none', 'info'],
    ['nodkim.test', 'dkim-missing', 'info'],
    ['192.0.2.30', 'ptr-missing', 'error'],
    ['192.0.2.31', 'fcrdns-mismatch', 'error'],
  ])('%s → %s (%s)', async (target, id, severity) => {
    const r = await check(target);
    const f = r.findings.find((x) => x.id === id);
    expect(f, `${id} in ${JSON.stringify(ids(r))}`).toBeDefined();
    expect(f?.severity).toBe(severity);
    expect(f?.message.ja).not.toBe('');
    expect(f?.message.en).not.toBe(f?.message.ja);
  });

  it('SPF: the lookup count goes through includes; a loop is named', async () => {
    expect((await check('deep.test')).records).toMatchObject({ spf: { lookups: 12 } });
    const loop = await check('loop.test');
    expect(loop.findings.find((f) => f.id === 'spf-too-many-lookups')?.message.en).toContain('spf.loop2.test');
  });

  it('SPF void lookups: three names without records are a permerror, two are not', async () => {
    const r = await check('voids.test');
    const f = r.findings.find((x) => x.id === 'spf-void-lookups');
    expect(f).toMatchObject({ severity: 'error', category: 'sender-authentication', entry: 'sender-auth-spf-dkim' });
    for (const name of ['gone1.voids.test', 'gone2.voids.test', 'gone3.voids.test']) expect(f?.message.en).toContain(name);
    expect(dns.queries).toEqual(expect.arrayContaining(['gone1.voids.test A', 'gone2.voids.test MX', 'gone3.voids.test A']));
    expect(serious(await check('twovoids.test'))).toEqual([]);
    // The domain's own missing record is spf-missing, not a void lookup of a term.
    expect(ids(await check('nospf.test'))).not.toContain('spf-void-lookups');
  });

  it('findings point at the knowledge entries that explain them', async () => {
    const spf = (await check('nospf.test')).findings.find((f) => f.id === 'spf-missing');
    expect(spf).toMatchObject({ category: 'sender-authentication', entry: 'sender-auth-spf-dkim' });
    const dmarc = (await check('nodmarc.test')).findings.find((f) => f.id === 'dmarc-missing');
    expect(dmarc).toMatchObject({ category: 'sender-authentication', entry: 'sender-auth-dmarc' });
    const ptr = (await check('192.0.2.30')).findings.find((f) => f.id === 'ptr-missing');
    expect(ptr).toMatchObject({ category: 'ip-reputation', entry: 'ip-no-reverse-dns' });
  });

  it('dkim-missing is an error for a selector from a pasted header that has no key', async () => {
    const header = 'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=good.test;\r\n s=s2024; h=from:to:subject; bh=abc=; b=xyz=';
    const dkim = selectorsFromHeaders(header);
    expect(dkim).toEqual([{ selector: 's2024', domain: 'good.test' }]);
    const r = await check('good.test', { dkim });
    expect(r.findings.find((f) => f.id === 'dkim-missing')).toMatchObject({ severity: 'error', entry: 'sender-auth-spf-dkim' });
    expect(dns.queries).toContain('s2024._domainkey.good.test TXT');
    // ... and none when the header's selector has a key.
    const ok = await check('good.test', { dkim: selectorsFromHeaders('DKIM-Signature: v=1; d=good.test; s=google; b=x') });
    expect(ids(ok)).not.toContain('dkim-missing');
  });

  it('listed:<zone> for each list that answers, with the list’s documented meaning', async () => {
    const r = await check('198.51.100.7');
    const listed = r.findings.filter((f) => f.id.startsWith('listed:')).map((f) => f.id);
    expect(listed).toEqual([
      'listed:zen.spamhaus.org',
      'listed:bl.spamcop.net',
      'listed:b.barracudacentral.org',
      'listed:psbl.surriel.com',
      'listed:dnsbl-1.uceprotect.net',
    ]);
    const zen = r.findings.find((f) => f.id === 'listed:zen.spamhaus.org');
    expect(zen).toMatchObject({ severity: 'error', category: 'ip-reputation', entry: 'ip-blocklisted' });
    expect(zen?.message.en).toContain('SBL');
    expect(r.findings.find((f) => f.id === 'listed:dnsbl-1.uceprotect.net')?.severity).toBe('warning');
    expect(ids(r)).not.toContain('ptr-missing');
  });

  it('an IPv6 address is asked of the lists that document IPv6, by its reversed nibbles, and of no other', async () => {
    const v6 = { allowCidrs: [...DOCS, '2001:db8::/32'] };
    const nibbles = '7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2';
    const before = dns.queries.length;
    const r = await check('2001:db8::7', v6);
    expect(r.findings.map((f) => f.id)).toEqual(['listed:zen.spamhaus.org']);
    expect(r.findings[0]?.message.en).toContain('CSS');
    const asked = dns.queries.slice(before);
    expect(asked).toContain(`${nibbles}.zen.spamhaus.org A`);
    expect(asked.filter((q) => q.includes('spamcop') || q.includes('barracuda') || q.includes('uceprotect') || q.includes('surriel'))).toEqual([]);
    expect((r.records as IpRecords).dnsbl.map((d) => d.zone)).toEqual(['zen.spamhaus.org']);
    expect(serious(await check('2001:db8::25', v6))).toEqual([]);
  });

  it('a PBL listing points at the dynamic-address entry, as a warning', async () => {
    const r = await check('198.51.100.8');
    expect(r.findings).toEqual([expect.objectContaining({ id: 'listed:zen.spamhaus.org', severity: 'warning', entry: 'ip-dynamic-residential' })]);
  });

  it('Spamhaus refusing the resolver (127.255.255.254) is no listing, and says why', async () => {
    const r = await check('198.51.100.9');
    expect(ids(r)).toEqual(['dnsbl-error:zen.spamhaus.org']);
    expect(r.findings[0]?.severity).toBe('info');
    expect(r.findings[0]?.message.en).toContain('public resolver');
  });

  it('a DNS server that does not answer gives dns-failed, not a false "missing"', async () => {
    const r = await check('slow.test', { lookupTimeoutMs: 200, totalTimeoutMs: 2000 });
    expect(ids(r)).toContain('dns-failed');
    expect(ids(r)).not.toContain('spf-missing');
    expect(ids(r)).not.toContain('dmarc-missing');
  });
});

describe('guard and limits', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:192.168.0.1', 'private'],
  ])('refuses %s (%s) without a single query', async (target, addressClass) => {
    const before = dns.queries.length;
    const outcome = await runCheck(target, { dnsServers: [dns.server] });
    expect(outcome).toEqual({ ok: false, refusal: { reason: 'address-not-allowed', detail: { address: expect.any(String), addressClass } } });
    expect(dns.queries.length).toBe(before);
  });

  it.each(['intranet.corp', 'printer.local', 'router.home.arpa', '1.168.192.in-addr.arpa', 'db.internal'])(
    'refuses %s, a name outside public DNS, without a single query',
    async (target) => {
      const before = dns.queries.length;
      expect(await runCheck(target, { dnsServers: [dns.server] })).toEqual({ ok: false, refusal: { reason: 'name-not-public', detail: { host: target } } });
      expect(dns.queries.length).toBe(before);
    },
  );

  it('does not follow an SPF include into an internal name', async () => {
    const r = await check('leaky.test');
    expect(dns.queries).not.toContain('spf.intranet.corp TXT');
    expect(JSON.stringify(r)).not.toContain('secret-internal-term');
  });

  it('refuses what is not a domain or an address', async () => {
    expect(await runCheck('2130706433', { dnsServers: [dns.server] })).toMatchObject({ ok: false, refusal: { reason: 'numeric-trick' } });
    expect(await runCheck('localhost', { dnsServers: [dns.server] })).toMatchObject({ ok: false, refusal: { reason: 'single-label' } });
  });

  it('a user over the rate limit is refused with the wait', async () => {
    const limiter = createLimiter({ store: new MemoryStore(), perMinute: 1, maxConcurrent: 4, busyRetrySec: 15 });
    expect((await runCheck('good.test', { dnsServers: [dns.server], limiter, userId: 'u1' })).ok).toBe(true);
    const second = await runCheck('good.test', { dnsServers: [dns.server], limiter, userId: 'u1' });
    expect(second).toMatchObject({ ok: false, refusal: { reason: 'rate-limited', detail: { retryAfterSec: expect.any(Number) } } });
    expect((await runCheck('good.test', { dnsServers: [dns.server], limiter, userId: 'u2' })).ok).toBe(true);
  });
});
