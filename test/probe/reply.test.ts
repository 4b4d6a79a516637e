import { describe, expect, it } from 'vitest';
import type { Lang } from '../../src/engine/types.js';
import { buildFindings } from '../../src/probe/findings.js';
import { probeProgressReply, probeRefusalReply, probeReply } from '../../src/probe/reply.js';
import type { AddressClass, PortResult, ProbeRefusal, ProbeReport, ProbeTarget, ResolutionResult } from '../../src/probe/types.js';
import { loadProbeUi } from '../../src/probe/ui.js';
import { renderText } from '../../src/render/text.js';
import { port, refused, timedOut } from '../support/probe-fixtures.js';

const ui = loadProbeUi();
const LANGS: Lang[] = ['ja', 'en'];
const target: ProbeTarget = { input: 'example.jp', kind: 'address', host: 'example.jp' };
const resolution: ResolutionResult = {
  host: 'mail.example.jp',
  addresses: ['198.51.100.25'],
  mx: [{ exchange: 'mail.example.jp', priority: 10 }],
  nullMx: false,
  implicitMx: false,
  error: null,
};

function makeReport(ports: PortResult[], more: Partial<ProbeReport> = {}): ProbeReport {
  const ptr = { address: '198.51.100.25', names: ['mail.example.jp'], forwardConfirmed: true, error: null };
  return {
    target,
    host: resolution.host,
    addresses: resolution.addresses,
    mx: resolution.mx,
    ptr,
    durationMs: 1234,
    ports,
    findings: buildFindings({ target, resolution, ptr, ports }, ui),
    notes: [{ ja: 'ボットのネットワークから見た結果です。', en: "As seen from the bot's network." }],
    ...more,
  };
}

describe('probeReply', () => {
  it('port 25 blocked but 587 fine: a warning, client settings as steps, offers the login test', () => {
    const report = makeReport([timedOut(25), port(465), port(587)]);
    const en = probeReply(report, 'en', ui);
    expect(en).toMatchObject({ kind: 'probe', lang: 'en', title: 'Connection test for example.jp' });
    expect(en.severity).toBe('warning');
    const settings = en.sections.find((s) => s.style === 'steps');
    expect(settings?.items).toEqual([
      'Set the outgoing (SMTP) server to mail.example.jp.',
      'Set the port to 587 and the encryption to STARTTLS.',
      'Turn SMTP authentication on and use the same user name and password as for incoming mail.',
    ]);
    expect(en.actions.map((a) => a.id)).toEqual(['auth-test', 'show-checklist']);
    const text = renderText(en);
    expect(text).toContain('587: open');
    expect(text).toContain('MX: 10 mail.example.jp');
    expect(text).toContain("As seen from the bot's network.");
    const ja = renderText(probeReply(report, 'ja', ui));
    expect(ja).toContain('送信サーバー（SMTP サーバー）を mail.example.jp にします。');
    expect(ja).toContain('ボットのネットワークから見た結果です。');
  });

  it('everything refused: error severity and no settings to suggest', () => {
    const reply = probeReply(makeReport([refused(25), refused(465), refused(587)]), 'ja', ui);
    expect(reply.severity).toBe('error');
    expect(reply.sections.some((s) => s.style === 'steps')).toBe(false);
    expect(reply.summary).toContain('1.2 秒');
  });

  it('no problems: ok severity, no checklist button', () => {
    const reply = probeReply(makeReport([port(465, { authMechanisms: [], capabilities: ['PIPELINING'] })], { findings: [] }), 'en', ui);
    expect(reply.severity).toBe('ok');
    expect(reply.actions).toEqual([]);
  });

  it('fills every placeholder in both languages', () => {
    const bad = port(587, {
      wrongMode: 'speaks-tls',
      certificate: { subject: 'x', altNames: ['a.example.jp'], issuer: 'x', validTo: '2020-01-01T00:00:00.000Z', valid: false, error: 'CERT_HAS_EXPIRED' },
      error: { phase: 'ehlo-tls', code: 'REPLY_421', message: 'x' },
    });
    const report = makeReport([bad, timedOut(25)], {
      auth: { outcome: 'rejected', port: 587, response: '535 5.7.8 Authentication credentials invalid', responseCode: 535, code: 'EAUTH' },
    });
    report.findings = buildFindings({ target, resolution, ptr: report.ptr, ports: report.ports, ...(report.auth ? { auth: report.auth } : {}) }, ui);
    for (const lang of LANGS) {
      const text = renderText(probeReply(report, lang, ui));
      expect(text).not.toMatch(/\{\w+\}/);
    }
  });
});

describe('probeProgressReply', () => {
  it('one line per finished step, then done', () => {
    const events = [
      { kind: 'resolved' as const, resolution },
      { kind: 'port' as const, result: port(587) },
    ];
    const running = probeProgressReply(events, 'en', ui);
    expect(running).toMatchObject({ kind: 'probe-progress', summary: '2 step(s) done, still going…' });
    expect(running.sections[0]?.items).toEqual(['DNS: MX: 10 mail.example.jp / mail.example.jp → 198.51.100.25', expect.stringMatching(/^587: open \(12 ms\) · STARTTLS TLSv1.3/)]);
    const done = probeProgressReply([...events, { kind: 'done', durationMs: 2500 }], 'ja', ui);
    expect(done.summary).toBe('完了しました（2.5 秒）。');
    const failed = probeProgressReply([{ kind: 'resolved', resolution: { ...resolution, host: null, addresses: [], mx: null, error: 'ENOTFOUND' } }], 'en', ui);
    expect(failed.sections[0]?.items[0]).toBe('DNS: lookup failed (no such host name: ENOTFOUND)');
  });
});

describe('probeRefusalReply', () => {
  const reasons: ProbeRefusal[] = [
    { reason: 'empty', detail: {} },
    { reason: 'too-long', detail: {} },
    { reason: 'invalid', detail: {} },
    { reason: 'single-label', detail: {} },
    { reason: 'unsupported-scheme', detail: {} },
    { reason: 'credentials-in-target', detail: {} },
    { reason: 'numeric-trick', detail: {} },
    { reason: 'invalid-port', detail: {} },
    { reason: 'port-not-allowed', detail: { port: 22 } },
    { reason: 'address-not-allowed', detail: { address: '10.0.0.1', addressClass: 'private' } },
    { reason: 'address-not-allowed', detail: { host: 'intranet.example.jp', address: '10.0.0.1', addressClass: 'private' } },
    { reason: 'rate-limited', detail: { retryAfterSec: 42 } },
    { reason: 'busy', detail: { retryAfterSec: 20 } },
  ];

  it.each(reasons)('%j has a complete message in both languages', (refusal) => {
    for (const lang of LANGS) {
      const reply = probeRefusalReply(refusal, lang, ui);
      expect(reply.kind).toBe('error');
      expect(reply.summary.length).toBeGreaterThan(10);
      expect(reply.summary).not.toMatch(/\{\w+\}/);
    }
  });

  it('says why and when to retry', () => {
    expect(probeRefusalReply({ reason: 'rate-limited', detail: { retryAfterSec: 42 } }, 'en', ui).summary).toContain('42 seconds');
    expect(probeRefusalReply({ reason: 'rate-limited', detail: { retryAfterSec: 42 } }, 'ja', ui).summary).toContain('42 秒');
    const resolved = probeRefusalReply({ reason: 'address-not-allowed', detail: { host: 'intranet.example.jp', address: '10.0.0.1', addressClass: 'private' } }, 'en', ui);
    expect(resolved.summary).toBe('intranet.example.jp resolves to 10.0.0.1, which is a private network address, so it cannot be tested; only servers on the internet can.');
  });

  it('every address class has a name in both languages', () => {
    const classes: AddressClass[] = ['unspecified', 'loopback', 'private', 'carrier-grade-nat', 'link-local', 'multicast', 'broadcast', 'documentation', 'benchmarking', 'reserved', 'unique-local', 'metadata', 'invalid'];
    for (const c of classes) for (const lang of LANGS) expect(ui[`probe.class.${c}`]?.[lang]).toBeTruthy();
  });
});
