/** The AUTH test against smtp-server on loopback: what happened is reported, and the password goes nowhere else. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe, type ProbeOptions } from '../../src/probe/index.js';
import { probeReply } from '../../src/probe/reply.js';
import type { ProbeReport } from '../../src/probe/types.js';
import { loadProbeUi } from '../../src/probe/ui.js';
import { renderText } from '../../src/render/text.js';
import { startDns } from '../support/dns-server.js';
import { startSmtp, testCert, type RunningSmtp, type TestCert } from '../support/smtp-servers.js';

const USER = 'taro@example.test';
const PASS = 'S3cret-pässword!';
const ui = loadProbeUi();
let cert: TestCert;
let submission: RunningSmtp;
let smtps: RunningSmtp;
const others: RunningSmtp[] = [];

beforeAll(async () => {
  cert = await testCert(['127.0.0.1']);
  submission = await startSmtp({ cert, auth: { user: USER, pass: PASS } });
  smtps = await startSmtp({ cert, secure: true, auth: { user: USER, pass: PASS } });
});
afterAll(async () => {
  await Promise.all([submission.close(), smtps.close(), ...others.map((s) => s.close())]);
});

async function probeWith(ports: number[], pass: string, more: Partial<ProbeOptions> = {}, target = '127.0.0.1'): Promise<ProbeReport> {
  const outcome = await runProbe(target, {
    ports,
    extraAllowedPorts: ports,
    implicitTlsPorts: [smtps.port],
    allowCidrs: ['127.0.0.0/8'],
    timeouts: { connectMs: 500, greetingMs: 500, commandMs: 500, totalMs: 4000 },
    ca: [cert.cert],
    credentials: { user: USER, pass },
    ui,
    ...more,
  });
  if (!outcome.ok) throw new Error(outcome.refusal.reason);
  return outcome.report;
}

function expectNoSecret(report: ProbeReport, secret: string) {
  const json = JSON.stringify(report);
  expect(json).not.toContain(secret);
  for (const lang of ['ja', 'en'] as const) expect(renderText(probeReply(report, lang, ui))).not.toContain(secret);
}

describe('AUTH test', () => {
  it('a server that echoes the credentials in its reply: they are gone from the report, its findings and every progress event', async () => {
    const echo = await startSmtp({ cert, echoCredentials: true });
    others.push(echo);
    const events: unknown[] = [];
    const r = await probeWith([echo.port], PASS, { onProgress: (e) => events.push(e) });
    expect(r.auth?.outcome).toBe('rejected');
    expect(r.auth?.response).toContain('535');
    expect(r.auth?.response).toContain('rejected');
    const plain = Buffer.from(`\0${USER}\0${PASS}`).toString('base64');
    for (const out of [JSON.stringify(r), JSON.stringify(events)]) {
      expect(out).not.toContain(PASS);
      expect(out).not.toContain(plain);
      expect(out).not.toContain(USER);
    }
    expectNoSecret(r, PASS);
  });

  it('right password: accepted, on the STARTTLS port', async () => {
    const r = await probeWith([submission.port], PASS);
    expect(r.auth).toEqual({ outcome: 'accepted', port: submission.port, response: null, responseCode: null, code: null });
    expect(r.findings.map((f) => f.entry)).toContain('probe-auth-ok');
    expect(submission.authAttempts.at(-1)).toBe(USER);
    expectNoSecret(r, PASS);
  });

  it('connects to the resolved address but checks the certificate against the host name (SNI)', async () => {
    const named = await testCert(['smtp.auth.test']);
    const server = await startSmtp({ cert: named, auth: { user: USER, pass: PASS } });
    others.push(server);
    const dns = await startDns({ 'smtp.auth.test': [{ type: 'A', address: '127.0.0.1' }] });
    try {
      const r = await probeWith([server.port], PASS, { ca: [named.cert], resolver: dns.resolver() }, 'smtp.auth.test');
      expect(r.ports[0]?.certificate).toMatchObject({ valid: true, altNames: ['smtp.auth.test'] });
      expect(r.auth?.outcome).toBe('accepted');
    } finally {
      await dns.close();
    }
  });

  it('right password over implicit TLS', async () => {
    const r = await probeWith([smtps.port], PASS);
    expect(r.auth?.outcome).toBe('accepted');
    expect(r.auth?.port).toBe(smtps.port);
  });

  it('wrong password: rejected with the server reply, and neither password is anywhere in the report', async () => {
    const wrong = 'wrong-Pa55word';
    const r = await probeWith([submission.port], wrong);
    expect(r.auth).toMatchObject({ outcome: 'rejected', responseCode: 535, code: 'EAUTH' });
    expect(r.auth?.response).toContain('535');
    expect(r.findings).toContainEqual(expect.objectContaining({ entry: 'auth-bad-credentials', category: 'auth-failed', severity: 'error' }));
    expectNoSecret(r, wrong);
    expectNoSecret(r, PASS);
  });

  it('does not send the password to a server whose certificate cannot be verified', async () => {
    const before = submission.authAttempts.length;
    const r = await probeWith([submission.port], PASS, { ca: [] });
    expect(r.auth).toMatchObject({ outcome: 'skipped', code: 'certificate-invalid' });
    expect(submission.authAttempts.length).toBe(before);
  });

  it('does not send the password in plain text when there is no TLS', async () => {
    const plain = await startSmtp({ cert, noStartTls: true, auth: { user: USER, pass: PASS } });
    others.push(plain);
    const r = await probeWith([plain.port], PASS);
    expect(r.auth).toMatchObject({ outcome: 'skipped', code: 'no-tls-port' });
    expect(plain.authAttempts).toEqual([]);
  });

  it('a server without AUTH: not offered', async () => {
    const noAuth = await startSmtp({ cert, noAuth: true });
    others.push(noAuth);
    const r = await probeWith([noAuth.port], PASS);
    expect(r.auth).toMatchObject({ outcome: 'not-offered', port: noAuth.port });
    expect(r.findings.map((f) => f.entry)).toContain('smtp-auth-required');
  });

  it('a server that never answers AUTH cannot hold the report past the total time limit', async () => {
    const stuck = await startSmtp({ cert, auth: { user: USER, pass: PASS }, stallAuth: true });
    others.push(stuck);
    const t0 = Date.now();
    const r = await probeWith([stuck.port], PASS, { timeouts: { connectMs: 2000, greetingMs: 2000, commandMs: 2000, totalMs: 1200 } });
    expect(Date.now() - t0).toBeLessThan(1700);
    expect(r.auth).toMatchObject({ outcome: 'error', code: 'ETIMEDOUT' });
    expect(r.findings.map((f) => f.entry)).toContain('connection-timed-out');
    expect(stuck.authAttempts).toEqual([USER]);
  });

  it('a server offering only OAuth2: method mismatch, password not sent', async () => {
    const oauth = await startSmtp({ cert, auth: { user: USER, pass: PASS, methods: ['XOAUTH2'] } });
    others.push(oauth);
    const r = await probeWith([oauth.port], PASS);
    expect(r.auth).toMatchObject({ outcome: 'method-mismatch', response: 'XOAUTH2' });
    expect(r.findings.map((f) => f.entry)).toContain('auth-method-mismatch');
    expect(oauth.authAttempts).toEqual([]);
  });
});
