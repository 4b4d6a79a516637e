/**
 * The probe against a real MTA: Debian's postfix on 127.0.0.1:25/587/465, set up by scripts/ci-services.sh.
 * In CI a postfix that is not listening is a failure (the set-up broke); elsewhere the tests are skipped with the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runProbe, type ProbeOptions } from '../../src/probe/index.js';
import type { ProbeReport } from '../../src/probe/types.js';
import { loadProbeUi } from '../../src/probe/ui.js';

const CERT = '/etc/postfix/smtp-doctor-test-cert.pem';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

const up = (await Promise.all([25, 587, 465].map(listening))).every(Boolean);
const inCi = Boolean(process.env.CI);
const ca = existsSync(CERT) ? [readFileSync(CERT, 'utf8')] : undefined;
const ui = loadProbeUi();

async function probe(more: Partial<ProbeOptions> = {}): Promise<ProbeReport> {
  const outcome = await runProbe('127.0.0.1', {
    ports: [25, 465, 587],
    allowCidrs: ['127.0.0.0/8'],
    timeouts: { connectMs: 1000, greetingMs: 1500, commandMs: 1000, totalMs: 6000 },
    ui,
    ...(ca ? { ca } : {}),
    ...more,
  });
  if (!outcome.ok) throw new Error(`refused: ${outcome.refusal.reason}`);
  return outcome.report;
}

describe('postfix on loopback', () => {
  it.runIf(inCi)('is running in CI (scripts/ci-services.sh)', () => {
    expect(up, 'postfix must listen on 127.0.0.1:25, 587 and 465 in CI: run scripts/ci-services.sh as root first').toBe(true);
  });

  describe.skipIf(!up)(up ? 'probe' : 'probe (skipped: postfix is not listening on 127.0.0.1:25/587/465; run scripts/ci-services.sh as root)', () => {
    it('25 and 587 speak STARTTLS, 465 implicit TLS; capabilities and certificate as configured', async () => {
      const r = await probe();
      const [p25, p465, p587] = r.ports;
      expect(r.ports.map((p) => [p.port, p.state, p.tls, p.error])).toEqual([
        [25, 'open', 'starttls', null],
        [465, 'open', 'implicit', null],
        [587, 'open', 'starttls', null],
      ]);
      for (const p of r.ports) {
        expect(p.banner).toMatch(/ESMTP Postfix/);
        expect(p.capabilities).toEqual(expect.arrayContaining(['PIPELINING', 'SIZE', '8BITMIME', 'ENHANCEDSTATUSCODES']));
        expect(p.sizeLimit).toBeGreaterThan(0);
        expect(p.tlsVersion).toMatch(/^TLSv1\.[23]$/);
        expect(p.certificate).toMatchObject({ subject: 'localhost', altNames: ['localhost', '127.0.0.1'] });
        if (ca) expect(p.certificate?.valid).toBe(true);
        else expect(p.certificate?.error).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      }
      expect(p25?.capabilitiesBeforeTls).toContain('STARTTLS');
      expect(p587?.capabilitiesBeforeTls).toContain('STARTTLS');
      expect(p465?.capabilitiesBeforeTls).toBeNull();
      // No SASL is configured: a mail client could not log in on the submission ports, and the report says so.
      expect(p587?.authMechanisms).toEqual([]);
      expect(r.findings.filter((f) => f.entry === 'smtp-auth-required').map((f) => f.severity)).toEqual(['warning', 'warning']);
    });

    it('detects the wrong TLS mode on both submission ports', async () => {
      const r = await probe({ ports: [465, 587], implicitTlsPorts: [587] });
      expect(r.ports.find((p) => p.port === 587)).toMatchObject({ wrongMode: 'speaks-plain', tls: 'starttls' });
      expect(r.ports.find((p) => p.port === 465)).toMatchObject({ wrongMode: 'speaks-tls', tls: 'implicit' });
      expect(r.findings.filter((f) => f.entry === 'tls-wrong-mode')).toHaveLength(2);
    });

    it('an AUTH test on a server without SASL reports "not offered" and sends no password', async () => {
      const r = await probe({ ports: [587], credentials: { user: 'root', pass: 'never-sent-9' } });
      expect(r.auth).toMatchObject({ outcome: ca ? 'not-offered' : 'skipped', port: 587 });
      expect(JSON.stringify(r)).not.toContain('never-sent-9');
    });
  });
});
