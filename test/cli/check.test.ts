/**
 * `smtp-doctor check`: the built CLI against the loopback DNS zone of test/support/check-zone.ts (through --dns and
 * through DNS_SERVERS), and the command in process for the rate limit, which lives as long as its process.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/check.js';
import type { ProbeConfig } from '../../src/config.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { createLimiter } from '../../src/probe/limits.js';
import { MemoryStore } from '../../src/state/memory.js';
import { runCli } from '../support/cli.js';
import { CHECK_ZONE } from '../support/check-zone.js';
import { startDns, type RunningDns } from '../support/dns-server.js';

let dns: RunningDns;
const DOCS = { PROBE_ALLOW_CIDRS: '192.0.2.0/24,198.51.100.0/24' };

beforeAll(async () => {
  dns = await startDns(CHECK_ZONE);
});
afterAll(() => dns.close());

interface JsonReport {
  target: string;
  kind: string;
  records: { resolver: string[] };
  findings: { id: string; severity: string; category: string; entry: string; message: string }[];
}

describe('smtp-doctor check (the built CLI)', () => {
  it('--json: exactly the contract, asked of the --dns server only', async () => {
    const before = dns.queries.length;
    const r = await runCli(['check', 'nospf.test', '--json', '--dns', dns.server], '', DOCS);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(Object.keys(report)).toEqual(['target', 'kind', 'records', 'findings']);
    expect(report).toMatchObject({ target: 'nospf.test', kind: 'domain' });
    expect(report.records.resolver).toEqual([dns.server]);
    const spf = report.findings.find((f) => f.id === 'spf-missing');
    expect(spf).toEqual({ id: 'spf-missing', severity: 'error', category: 'sender-authentication', entry: 'sender-auth-spf-dkim', message: expect.stringContaining('no SPF record') });
    expect(r.code).toBe(1);
    expect(dns.queries.slice(before)).toEqual(expect.arrayContaining(['nospf.test MX', 'nospf.test TXT', '_dmarc.nospf.test TXT']));
  });

  it('DNS_SERVERS is used when --dns is not given; a healthy IP exits 0', async () => {
    const before = dns.queries.length;
    const r = await runCli(['check', '192.0.2.25', '--json'], '', { ...DOCS, DNS_SERVERS: dns.server });
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.kind).toBe('ip');
    expect(report.records.resolver).toEqual([dns.server]);
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.code).toBe(0);
    expect(dns.queries.slice(before)).toContain('25.2.0.192.in-addr.arpa PTR');
  });

  it('human output in Japanese and English, with the fix and the Gmail/Yahoo checklist', async () => {
    const ja = await runCli(['check', 'nodmarc.test', '--dns', dns.server, '--lang', 'ja'], '', DOCS);
    expect(ja.stdout).toContain('nodmarc.test の送信ドメイン設定チェック');
    expect(ja.stdout).toContain('DMARC レコード（_dmarc.nodmarc.test）がありません');
    expect(ja.stdout).toContain('## 直し方: DMARC ポリシーによりメールが拒否されました');
    expect(ja.stdout).toContain('大量送信者（1 日約 5,000 通以上）の追加要件');
    expect(ja.code).toBe(0);
    const en = await runCli(['check', '198.51.100.7', '--dns', dns.server, '--lang=en'], '', DOCS);
    expect(en.stdout).toContain('198.51.100.7 is listed on Spamhaus ZEN: SBL');
    expect(en.stdout).toContain('Spamhaus does not answer queries that come through public resolvers');
    expect(en.code).toBe(1);
  });

  it('a private address is refused with the reason, exit 3, and no query is sent', async () => {
    const before = dns.queries.length;
    const r = await runCli(['check', '10.0.0.8', '--dns', dns.server], '', DOCS);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('10.0.0.8 is a private network address');
    expect(r.stderr).toContain('This check cannot be run');
    const json = await runCli(['check', '127.0.0.1', '--json', '--dns', dns.server]);
    expect(JSON.parse(json.stdout)).toMatchObject({ refusal: { reason: 'address-not-allowed', detail: { addressClass: 'loopback' } } });
    expect(dns.queries.length).toBe(before);
  });

  it.each([
    [['check', 'bad target!', '--dns', '127.0.0.1:53'], 3, 'does not read as a server name, domain or e-mail address'],
    [['check', '--dns', '127.0.0.1:53'], 2, 'Give exactly one target to check'],
    [['check', 'good.test', '--dns', 'dns.example:53'], 2, '--dns dns.example:53 is not a DNS server'],
    [['check', 'good.test', '--selector', 'bad selector!'], 2, 'is not a valid DKIM selector'],
    [['check', 'good.test', '--frob'], 2, 'Unknown option: --frob'],
  ])('bad input %j exits %i with a clear message', async (args, code, message) => {
    const r = await runCli(args, '', DOCS);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad DNS_SERVERS is named at start', async () => {
    const r = await runCli(['check', 'good.test'], '', { DNS_SERVERS: '127.0.0.1:99999' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DNS_SERVERS');
    expect(r.stderr).toContain('"127.0.0.1:99999"');
  });
});

describe('checkCommand in process', () => {
  const kb = loadKnowledge();
  const config = (): ProbeConfig => ({
    allowCidrs: ['192.0.2.0/24'],
    ports: [25],
    extraAllowedPorts: [],
    connectTimeoutMs: 1000,
    greetingTimeoutMs: 1000,
    totalTimeoutMs: 5000,
    ratePerMinute: 1,
    maxConcurrent: 4,
    egress25Blocked: false,
    dnsServers: [dns.server],
  });
  async function run(argv: string[], limiter: ReturnType<typeof createLimiter>) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await checkCommand(argv, { stdout, stderr }, { config: config(), ui: kb.ui, entries: kb.entries, limiter });
    return { code, out, err };
  }

  it('is rate-limited like probes', async () => {
    const limiter = createLimiter({ store: new MemoryStore(), perMinute: 1, maxConcurrent: 4, busyRetrySec: 5 });
    expect((await run(['good.test'], limiter)).code).toBe(0);
    const second = await run(['good.test', '--lang', 'ja'], limiter);
    expect(second.code).toBe(3);
    expect(second.err).toContain('上限に達しました');
  });

  it('--selector checks the named DKIM selector', async () => {
    const limiter = createLimiter({ store: new MemoryStore(), perMinute: 5, maxConcurrent: 4, busyRetrySec: 5 });
    const r = await run(['good.test', '--json', '--selector', 'mailer2025'], limiter);
    const report = JSON.parse(r.out) as JsonReport;
    expect(report.findings.find((f) => f.id === 'dkim-missing')).toMatchObject({ severity: 'error', message: expect.stringContaining('mailer2025') });
    expect(dns.queries).toContain('mailer2025._domainkey.good.test TXT');
  });
});
