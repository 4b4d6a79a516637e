/** The per-port phase machine against real loopback servers. */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probePort, type PortProbeOptions } from '../../src/probe/smtp.js';
import { closedPort, startHangup, startSilent, startSmtp, testCert, type Running, type RunningSmtp, type TestCert } from '../support/smtp-servers.js';

const NAME = 'mail.example.test';
const timeouts = { connectMs: 300, greetingMs: 300, commandMs: 300 };
let good: TestCert;
const open: Running[] = [];

async function keep<T extends Running>(p: Promise<T>): Promise<T> {
  const r = await p;
  open.push(r);
  return r;
}

function probe(port: number, mode: PortProbeOptions['mode'], more: Partial<PortProbeOptions> = {}) {
  return probePort({
    address: '127.0.0.1',
    port,
    mode,
    hostname: NAME,
    ehloName: 'probe.smtp-doctor.invalid',
    timeouts,
    deadline: performance.now() + 3000,
    ca: [good.cert],
    ...more,
  });
}

beforeAll(async () => {
  good = await testCert([NAME, '127.0.0.1']);
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

describe('probePort: servers that work', () => {
  let starttls: RunningSmtp;
  let implicit: RunningSmtp;
  beforeAll(async () => {
    starttls = await keep(startSmtp({ cert: good, banner: 'ESMTP test ready' }));
    implicit = await keep(startSmtp({ cert: good, secure: true }));
  });

  it('STARTTLS: greeting, EHLO before and after TLS, certificate valid for the host name', async () => {
    const r = await probe(starttls.port, 'starttls');
    expect(r).toMatchObject({ state: 'open', tls: 'starttls', error: null, wrongMode: null });
    expect(r.banner).toContain('ESMTP test ready');
    expect(r.connectMs).toBeGreaterThanOrEqual(0);
    expect(r.capabilitiesBeforeTls).toContain('STARTTLS');
    expect(r.capabilities).not.toContain('STARTTLS');
    expect(r.capabilities).toEqual(expect.arrayContaining(['PIPELINING', '8BITMIME', 'SMTPUTF8', 'AUTH']));
    expect(r.authMechanisms).toEqual(['PLAIN', 'LOGIN']);
    expect(r.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(r.cipher).toBeTruthy();
    expect(r.certificate).toMatchObject({ valid: true, error: null, subject: NAME, altNames: [NAME, '127.0.0.1'] });
    expect(starttls.mailCommands).toBe(0);
  });

  it('implicit TLS on a 465-style port', async () => {
    const r = await probe(implicit.port, 'implicit');
    expect(r).toMatchObject({ state: 'open', tls: 'implicit', error: null, wrongMode: null });
    expect(r.capabilitiesBeforeTls).toBeNull();
    expect(r.certificate?.valid).toBe(true);
    expect(r.authMechanisms).toContain('PLAIN');
  });

  it('names the certificate problem: untrusted, wrong name, expired', async () => {
    expect((await probe(starttls.port, 'starttls', { ca: [] })).certificate).toMatchObject({ valid: false, error: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect((await probe(starttls.port, 'starttls', { hostname: 'other.example.test' })).certificate).toMatchObject({
      valid: false,
      error: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    const old = await testCert([NAME], { expired: true });
    const expired = await keep(startSmtp({ cert: old, secure: true }));
    const r = await probe(expired.port, 'implicit', { ca: [old.cert] });
    expect(r.certificate).toMatchObject({ valid: false, error: 'CERT_HAS_EXPIRED' });
    expect(Date.parse(r.certificate?.validTo ?? '')).toBeLessThan(Date.now());
  });

  it('a server without STARTTLS stays in plain text and says so', async () => {
    const plain = await keep(startSmtp({ cert: good, noStartTls: true }));
    const r = await probe(plain.port, 'starttls');
    expect(r).toMatchObject({ state: 'open', tls: 'none', certificate: null, error: null });
    expect(r.capabilities).not.toContain('STARTTLS');
  });
});

describe('probePort: wrong TLS mode', () => {
  it('TLS to a plain port fails with "wrong version number" and is retried in plain text', async () => {
    const plain = await keep(startSmtp({ cert: good }));
    const r = await probe(plain.port, 'implicit');
    expect(r.wrongMode).toBe('speaks-plain');
    expect(r.tls).toBe('starttls');
    expect(r.banner).not.toBeNull();
  });

  it('an implicit-TLS port where plain text was expected is found without waiting out the greeting timeout', async () => {
    const tlsOnly = await keep(startSmtp({ cert: good, secure: true }));
    const r = await probe(tlsOnly.port, 'starttls', { timeouts: { connectMs: 3000, greetingMs: 6000, commandMs: 3000 }, deadline: performance.now() + 10_000 });
    expect(r.wrongMode).toBe('speaks-tls');
    expect(r.tls).toBe('implicit');
    expect(r.error).toBeNull();
    expect(r.banner).not.toBeNull();
    // TLS starts beside the silent plain connection after a moment, not after the 6 s greeting timeout.
    expect(r.durationMs).toBeLessThan(3000);
  });

  it('on a port with no plain-text convention, TLS is tried at once beside plain text, and a plain server still wins', async () => {
    const plain = await keep(startSmtp({ cert: good }));
    const r = await probe(plain.port, 'starttls', { plainFirst: false });
    expect(r).toMatchObject({ tls: 'starttls', wrongMode: null, error: null });
  });

  it('on a plain-first port (25, 587, 2525), a server that greets at once never sees a second (TLS) connection', async () => {
    const plain = await keep(startSmtp({ cert: good }));
    const r = await probe(plain.port, 'starttls', { plainFirst: true });
    expect(r).toMatchObject({ tls: 'starttls', wrongMode: null, error: null });
    expect(plain.connections).toBe(1);
  });
});

describe('probePort: servers that fail', () => {
  it('a closed port is refused at once', async () => {
    const port = await closedPort();
    const t0 = performance.now();
    const r = await probe(port, 'starttls');
    expect(r).toMatchObject({ state: 'refused', connectMs: null, banner: null, error: { phase: 'connect', code: 'ECONNREFUSED' } });
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('a server that never greets times out at the greeting, and not as a TLS port either', async () => {
    const silent = await keep(startSilent());
    const r = await probe(silent.port, 'starttls');
    expect(r).toMatchObject({ state: 'open', banner: null, wrongMode: null, error: { phase: 'greeting', code: 'TIMEOUT' } });
    // Plain text and TLS wait side by side: a silent port costs its greeting timeout once, not twice.
    const twice = await probe(silent.port, 'starttls', { timeouts: { connectMs: 1000, greetingMs: 2000, commandMs: 2000 }, deadline: performance.now() + 10_000 });
    expect(twice.error).toMatchObject({ phase: 'greeting', code: 'TIMEOUT' });
    expect(twice.durationMs).toBeGreaterThanOrEqual(1900);
    expect(twice.durationMs).toBeLessThan(3500);
  });

  it('a server that hangs up right after connecting', async () => {
    const hangup = await keep(startHangup());
    const r = await probe(hangup.port, 'starttls');
    expect(r.state).toBe('open');
    expect(r.error?.phase).toBe('greeting');
    expect(r.error?.code).not.toBe('TIMEOUT');
  });

  it('implicit TLS to a server that never answers times out in the handshake', async () => {
    const silent = await keep(startSilent());
    const r = await probe(silent.port, 'implicit');
    expect(r.error).toMatchObject({ phase: 'tls', code: 'TIMEOUT' });
    expect(r.wrongMode).toBeNull();
  });

  it('never runs past the deadline, whatever the per-phase timeouts say', async () => {
    const silent = await keep(startSilent());
    const t0 = performance.now();
    const r = await probe(silent.port, 'starttls', { timeouts: { connectMs: 5000, greetingMs: 5000, commandMs: 5000 }, deadline: performance.now() + 250 });
    expect(r.error?.code).toBe('TIMEOUT');
    expect(performance.now() - t0).toBeLessThan(600);
  });

  it('stops when the signal aborts', async () => {
    const silent = await keep(startSilent());
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    const t0 = performance.now();
    const r = await probe(silent.port, 'starttls', { timeouts: { connectMs: 5000, greetingMs: 5000, commandMs: 5000 }, signal: ctl.signal });
    expect(r.error).toMatchObject({ phase: 'greeting', code: 'ABORTED' });
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
