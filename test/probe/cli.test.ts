/** `smtp-doctor probe` with in-memory stdio against loopback servers. Only IP literals: the CLI has no test resolver. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeCommand } from '../../src/cli/probe.js';
import type { ProbeConfig } from '../../src/config.js';
import { loadProbeUi } from '../../src/probe/ui.js';
import { startDns, type RunningDns } from '../support/dns-server.js';
import { startSmtp, testCert, type RunningSmtp } from '../support/smtp-servers.js';

const ui = loadProbeUi();
const USER = 'taro@example.test';
const PASS = 'Very-secret-42';
let server: RunningSmtp;
let caFile: string;

beforeAll(async () => {
  const c = await testCert(['127.0.0.1']);
  caFile = join(mkdtempSync(join(tmpdir(), 'probe-cli-')), 'ca.pem');
  writeFileSync(caFile, c.cert);
  server = await startSmtp({ cert: c, auth: { user: USER, pass: PASS } });
});
afterAll(() => server.close());

function config(): ProbeConfig {
  return {
    allowCidrs: [],
    ports: [server.port],
    extraAllowedPorts: [server.port],
    connectTimeoutMs: 500,
    greetingTimeoutMs: 500,
    totalTimeoutMs: 3000,
    ratePerMinute: 5,
    maxConcurrent: 4,
    egress25Blocked: false,
  };
}

async function run(argv: string[], stdinText = '', lang?: 'ja' | 'en') {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(stdinText);
  const code = await probeCommand(argv, { stdin, stdout, stderr, isTTY: false }, { config: config(), ui, ...(lang ? { lang } : {}) });
  return { code, out, err };
}

describe('probe command', () => {
  it('--json prints one JSON report', async () => {
    const r = await run(['127.0.0.1', '--allow-private', '--json']);
    const report = JSON.parse(r.out) as { target: { host: string }; ports: { port: number; state: string; tls: string }[] };
    expect(report.target.host).toBe('127.0.0.1');
    expect(report.ports).toEqual([expect.objectContaining({ port: server.port, state: 'open', tls: 'starttls' })]);
    // The self-signed certificate is an error finding, hence exit 1.
    expect(r.code).toBe(1);
  });

  it('human output in the chosen language', async () => {
    const ja = await run(['127.0.0.1', '--allow-private', '--lang', 'ja']);
    expect(ja.out).toContain('127.0.0.1 の接続テスト');
    expect(ja.out).toContain('自己署名');
    const en = await run(['--lang=en', '127.0.0.1', '--allow-private', `--port=${server.port}`]);
    expect(en.out).toContain('Connection test for 127.0.0.1');
  });

  it('a refused target exits 3 with the reason and connects nowhere', async () => {
    const before = server.connections;
    const r = await run(['127.0.0.1']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('a loopback address');
    const ja = await run(['169.254.169.254', '--allow-private'], '', 'ja');
    expect(ja.code).toBe(3);
    expect(ja.err).toContain('リンクローカル');
    const json = await run(['10.0.0.1', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ refusal: { reason: 'address-not-allowed', detail: { addressClass: 'private' } } });
    expect(server.connections).toBe(before);
  });

  it('a target URL with credentials is refused, and no output shows its password', async () => {
    for (const argv of [['smtp://me:CmdSecret1@smtp.example.com:587'], ['smtp://me:CmdSecret1@smtp.example.com:587', '--json'], ['smtps://u:Pa/ss@word@smtp.example.com']]) {
      const r = await run(argv);
      expect(r.code).toBe(3);
      expect(r.out + r.err).not.toContain('CmdSecret1');
      expect(r.out + r.err).not.toContain('Pa/ss@word');
    }
  });

  it.each([
    [['--bogus', 'x.example'], 'Unknown option: --bogus'],
    [['x.example', '--port', 'abc'], '--port abc is not a number'],
    [['x.example', '--port'], '--port needs a value'],
    [['x.example', '--timeout', '5'], '--timeout 5 must be'],
    [['x.example', '--lang', 'fr'], '--lang must be ja or en'],
    [[], 'Give exactly one target'],
    [['a.example', 'b.example'], 'Give exactly one target'],
    [['x.example', '--password', 'hunter2'], 'Do not put a password on the command line'],
    [['x.example', '-p', 'hunter2'], 'Do not put a password on the command line'],
    [['x.example', '--password-stdin'], '--password-stdin needs --user'],
    [['x.example', '--user', 'taro'], 'The password is empty'],
    [['x.example', '--ca', '/nonexistent/ca.pem'], 'Could not read a CA certificate'],
    [['x.example', '--dns', 'dns.example:53'], '--dns dns.example:53 is not a DNS server'],
  ])('bad usage %j exits 2: %s', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('Usage: smtp-doctor probe');
    expect(r.err).not.toContain('hunter2');
  });

  it('--help prints the usage', async () => {
    const r = await run(['--help'], '', 'ja');
    expect(r.code).toBe(0);
    expect(r.out).toContain('使い方: smtp-doctor probe');
  });

  it('reads the password from stdin, tests the login, and never prints the password', async () => {
    const ok = await run(['127.0.0.1', '--allow-private', '--json', '--ca', caFile, '--user', USER, '--password-stdin'], `${PASS}\n`);
    expect(JSON.parse(ok.out).auth).toMatchObject({ outcome: 'accepted', port: server.port });
    expect(ok.code).toBe(0);
    const bad = await run(['127.0.0.1', '--allow-private', '--ca', caFile, '--user', USER, '--password-stdin'], 'not-the-password');
    expect(bad.out).toContain('SMTP authentication was refused');
    expect(bad.code).toBe(1);
    for (const r of [ok, bad]) {
      expect(r.out + r.err).not.toContain(PASS);
      expect(r.out + r.err).not.toContain('not-the-password');
    }
  });

  it('sends no password to a server whose certificate it cannot verify', async () => {
    const before = server.authAttempts.length;
    const r = await run(['127.0.0.1', '--allow-private', '--json', '--user', USER, '--password-stdin'], PASS);
    expect(JSON.parse(r.out).auth).toMatchObject({ outcome: 'skipped', code: 'certificate-invalid' });
    expect(server.authAttempts.length).toBe(before);
  });
});

describe('probe --dns', () => {
  let dns: RunningDns;
  beforeAll(async () => {
    dns = await startDns({ 'smtp.cli.test': [{ type: 'A', address: '127.0.0.1' }] });
  });
  afterAll(() => dns.close());

  it('resolves the target through the DNS server it names', async () => {
    const r = await run(['smtp.cli.test', '--allow-private', '--json', '--dns', dns.server]);
    const report = JSON.parse(r.out) as { host: string; addresses: string[]; ports: { state: string }[] };
    expect(report.host).toBe('smtp.cli.test');
    expect(report.addresses).toEqual(['127.0.0.1']);
    expect(report.ports[0]?.state).toBe('open');
    expect(dns.queries).toContain('smtp.cli.test A');
  });

  it('DNS_SERVERS (the config) is used when --dns is not given', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stdin.end();
    const before = dns.queries.length;
    await probeCommand(['smtp.cli.test', '--allow-private', '--json'], { stdin, stdout, stderr: new PassThrough(), isTTY: false }, {
      config: { ...config(), dnsServers: [dns.server] },
      ui,
    });
    expect(JSON.parse(out).addresses).toEqual(['127.0.0.1']);
    expect(dns.queries.slice(before)).toContain('smtp.cli.test A');
  });
});
