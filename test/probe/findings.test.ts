/** Findings from hand-made results: pure, no network. */
import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../../src/engine/types.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { buildFindings, type FindingInput } from '../../src/probe/findings.js';
import type { ResolutionResult } from '../../src/probe/types.js';
import { loadProbeUi } from '../../src/probe/ui.js';
import { port, refused, timedOut } from '../support/probe-fixtures.js';

const ui = loadProbeUi();

const resolved: ResolutionResult = { host: 'mail.example.jp', addresses: ['198.51.100.25'], mx: null, nullMx: false, implicitMx: false, error: null };

function input(more: Partial<FindingInput>): FindingInput {
  return { target: { input: 'mail.example.jp', kind: 'name', host: 'mail.example.jp' }, resolution: resolved, ptr: null, ports: [], ...more };
}

const entries = (i: FindingInput) => buildFindings(i, ui).map((f) => `${f.entry}:${f.severity}`);

describe('buildFindings', () => {
  it('25 times out while 587 answers: outbound port 25 blocking, and what to set instead', () => {
    const out = entries(input({ ports: [timedOut(25), port(465), port(587)] }));
    expect(out).toContain('op25b-port-25-blocked:warning');
    expect(out).not.toContain('connection-timed-out:warning');
    expect(out).toContain('probe-client-settings:ok');
    const msg = buildFindings(input({ ports: [timedOut(25), port(587)] }), ui).find((f) => f.entry === 'op25b-port-25-blocked');
    expect(msg?.category).toBe('port-25-blocked');
    expect(msg?.message.en).toContain('587');
    expect(msg?.message.ja).toContain('OP25B');
  });

  it('every port refused or timing out: per-port findings and an overall error', () => {
    expect(entries(input({ ports: [refused(25), refused(465), refused(587)] }))).toEqual([
      'connection-refused:warning',
      'connection-refused:warning',
      'connection-refused:warning',
      'connection-refused:error',
    ]);
    expect(entries(input({ ports: [timedOut(25), timedOut(587)] }))).toEqual(['connection-timed-out:warning', 'connection-timed-out:warning', 'connection-timed-out:error']);
    const unreachable = { ...timedOut(587), state: 'unreachable' as const };
    expect(entries(input({ ports: [unreachable] }))).toContain('offline:error');
  });

  it('TLS mode mix-ups', () => {
    expect(entries(input({ ports: [port(465, { wrongMode: 'speaks-plain', tls: 'starttls' })] }))).toContain('tls-wrong-mode:warning');
    expect(entries(input({ ports: [port(587, { wrongMode: 'speaks-tls', tls: 'implicit' })] }))).toContain('tls-wrong-mode:warning');
    const handshake = port(465, { tls: 'none', banner: null, certificate: null, error: { phase: 'tls', code: 'ERR_SSL_NO_PROTOCOLS_AVAILABLE', message: 'x' } });
    expect(entries(input({ ports: [handshake] }))).toContain('tls-unsupported-protocol:error');
    const stalled = { ...handshake, error: { phase: 'tls' as const, code: 'TIMEOUT', message: 'x' } };
    expect(entries(input({ ports: [stalled] }))).toContain('tls-wrong-mode:error');
  });

  it('greeting problems', () => {
    const silent = port(587, { banner: null, tls: 'none', certificate: null, capabilities: [], error: { phase: 'greeting', code: 'TIMEOUT', message: 'x' } });
    expect(entries(input({ ports: [silent] }))).toContain('greeting-never-received:error');
    const rejected = port(25, { banner: '554 no service for you', error: { phase: 'greeting', code: 'REPLY_554', message: 'x' } });
    const f = buildFindings(input({ ports: [rejected] }), ui).find((x) => x.entry === 'connection-refused');
    expect(f?.message.en).toContain('554 no service for you');
    const hangup = port(587, { banner: null, tls: 'none', certificate: null, capabilities: [], error: { phase: 'greeting', code: 'CLOSED', message: 'x' } });
    expect(entries(input({ ports: [hangup] }))).toContain('connection-reset:error');
  });

  it('an over-long reply is named as such, never as a greeting with nothing after the colon', () => {
    const flooded = port(587, { banner: null, tls: 'none', certificate: null, capabilities: [], error: { phase: 'greeting', code: 'OVERSIZED', message: 'x' } });
    const found = buildFindings(input({ ports: [flooded] }), ui);
    expect(found.map((f) => f.entry)).toContain('connection-reset');
    for (const f of found) for (const m of [f.message.en, f.message.ja]) expect(m, 'no message ends in an empty value').not.toMatch(/[:：]\s*$/);
    expect(found.find((f) => f.entry === 'connection-reset')?.message.en).toContain('at the greeting step');
    expect(found.find((f) => f.entry === 'connection-reset')?.message.ja).toContain('最初のあいさつ（グリーティング）の段階');
  });

  it('no STARTTLS: an error on a submission port, a warning on 25', () => {
    const plain = (p: number) => port(p, { tls: 'none', certificate: null, capabilitiesBeforeTls: null, capabilities: ['PIPELINING', 'AUTH'] });
    expect(entries(input({ ports: [plain(587)] }))).toContain('starttls-not-supported:error');
    expect(entries(input({ ports: [plain(25)] }))).toContain('starttls-not-supported:warning');
  });

  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls-certificate-invalid', 'self-signed'],
    ['CERT_HAS_EXPIRED', 'tls-certificate-expired', 'expired'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls-hostname-mismatch', 'not issued for this server name'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls-certificate-invalid', 'trusted authority'],
  ])('certificate problem %s → %s', (code, entry, words) => {
    const bad = port(587, { certificate: { subject: 'x', altNames: ['other.example.jp'], issuer: 'x', validTo: '2020-01-01T00:00:00.000Z', valid: false, error: code } });
    const f = buildFindings(input({ ports: [bad] }), ui).find((x) => x.entry === entry);
    expect(f).toMatchObject({ category: 'tls-certificate', severity: 'error' });
    expect(f?.message.en).toContain(words);
    expect(entries(input({ ports: [bad] }))).not.toContain('probe-client-settings:ok');
  });

  it('AUTH only after STARTTLS is explained; no AUTH on a submission port is a warning', () => {
    expect(entries(input({ ports: [port(587)] }))).toContain('smtp-auth-required:info');
    const noAuth = port(587, { authMechanisms: [], capabilities: ['PIPELINING'] });
    expect(entries(input({ ports: [noAuth] }))).toContain('smtp-auth-required:warning');
    const mx = port(25, { authMechanisms: [], capabilities: ['PIPELINING'] });
    expect(entries(input({ ports: [mx] })).filter((e) => e.startsWith('smtp-auth-required'))).toEqual([]);
  });

  it('DNS outcomes', () => {
    const none: ResolutionResult = { host: null, addresses: [], mx: null, nullMx: false, implicitMx: false, error: 'ENOTFOUND' };
    expect(entries(input({ resolution: none }))).toEqual(['smtp-host-not-found:error']);
    const address = { input: 'example.jp', kind: 'address' as const, host: 'example.jp' };
    expect(entries(input({ target: address, resolution: none }))).toEqual(['recipient-domain-invalid:error']);
    expect(entries(input({ target: address, resolution: { ...none, nullMx: true, mx: [{ exchange: '', priority: 0 }], error: null } }))).toEqual([
      'recipient-domain-null-mx:error',
    ]);
    expect(entries(input({ resolution: { ...none, error: 'ECONNREFUSED' } }))).toEqual(['offline:error']);
    expect(entries(input({ resolution: { ...none, error: 'ETIMEOUT' } }))).toEqual(['dns-temporary-failure:error']);
    expect(entries(input({ resolution: { ...none, error: 'ESERVFAIL' } }))).toEqual(['smtp-host-not-found:error']);
    expect(entries(input({ target: address, resolution: { ...resolved, implicitMx: true } }))).toContain('recipient-domain-invalid:info');
    expect(entries(input({ target: address, resolution: { ...resolved, mx: [{ exchange: 'mail.example.jp', priority: 10 }] } }))).toContain('probe-mx-ok:ok');
  });

  it('reverse DNS', () => {
    const base = { address: '198.51.100.25', error: null };
    expect(entries(input({ ptr: { ...base, names: [], forwardConfirmed: false, error: 'ENOTFOUND' } }))).toContain('ip-no-reverse-dns:warning');
    expect(entries(input({ ptr: { ...base, names: ['x.example.jp'], forwardConfirmed: false } }))).toContain('ip-no-reverse-dns:warning');
    expect(entries(input({ ptr: { ...base, names: ['mail.example.jp'], forwardConfirmed: true } }))).toContain('probe-ptr-ok:ok');
  });

  it('AUTH outcomes', () => {
    const auth = (outcome: 'accepted' | 'rejected' | 'not-offered' | 'method-mismatch' | 'skipped' | 'error', code: string | null = null) =>
      entries(input({ ports: [port(587)], auth: { outcome, port: 587, response: '535 5.7.8 bad', responseCode: 535, code } }));
    expect(auth('accepted')).toContain('probe-auth-ok:ok');
    expect(auth('rejected')).toContain('auth-bad-credentials:error');
    expect(auth('not-offered')).toContain('smtp-auth-required:warning');
    expect(auth('method-mismatch')).toContain('auth-method-mismatch:error');
    expect(auth('skipped', 'certificate-invalid')).toContain('tls-certificate-invalid:warning');
    expect(auth('skipped', 'no-tls-port')).toContain('starttls-not-supported:warning');
    expect(auth('error', 'ETIMEDOUT')).toContain('connection-timed-out:warning');
  });

  it('suggests 465 when 587 does not work, and every category is a real one', () => {
    const out = buildFindings(input({ ports: [refused(587), port(465)] }), ui);
    expect(out.find((f) => f.entry === 'probe-client-settings')?.message.en).toContain('port 465, SSL/TLS');
    for (const f of out) expect(CATEGORY_IDS).toContain(f.category);
  });

  it('points at knowledge entries that exist, with the same category', () => {
    const kb = loadKnowledge();
    const cert = (code: string) => port(587, { certificate: { subject: 'x', altNames: [], issuer: 'x', validTo: '2020-01-01T00:00:00.000Z', valid: false, error: code } });
    const none: ResolutionResult = { host: null, addresses: [], mx: null, nullMx: false, implicitMx: false, error: 'ENOTFOUND' };
    const address = { input: 'example.jp', kind: 'address' as const, host: 'example.jp' };
    const scenarios: FindingInput[] = [
      input({ ports: [timedOut(25), port(587), refused(465), cert('CERT_HAS_EXPIRED'), cert('ERR_TLS_CERT_ALTNAME_INVALID'), cert('X')] }),
      input({ ports: [timedOut(25), timedOut(587)], ptr: { address: '198.51.100.25', names: [], forwardConfirmed: false, error: 'ENOTFOUND' } }),
      input({ ports: [port(465, { wrongMode: 'speaks-plain' }), port(587, { banner: null, error: { phase: 'greeting', code: 'TIMEOUT', message: 'x' } })] }),
      input({ ports: [port(587, { tls: 'none', certificate: null, capabilities: ['PIPELINING'], authMechanisms: [] })] }),
      input({ ports: [port(587, { error: { phase: 'tls', code: 'ERR_SSL_UNSUPPORTED_PROTOCOL', message: 'x' } }), port(2525, { banner: null, error: { phase: 'greeting', code: 'CLOSED', message: 'x' } })] }),
      input({ ports: [{ ...timedOut(587), state: 'unreachable' }] }),
      input({ ports: [port(587)], auth: { outcome: 'rejected', port: 587, response: null, responseCode: 535, code: 'EAUTH' } }),
      input({ ports: [port(587)], auth: { outcome: 'method-mismatch', port: 587, response: null, responseCode: null, code: null } }),
      input({ resolution: none }),
      input({ resolution: { ...none, error: 'ETIMEOUT' } }),
      input({ resolution: { ...none, error: 'ECONNREFUSED' } }),
      input({ target: address, resolution: none }),
      input({ target: address, resolution: { ...none, nullMx: true, mx: [{ exchange: '', priority: 0 }], error: null } }),
    ];
    const seen = new Set<string>();
    for (const scenario of scenarios) {
      for (const f of buildFindings(scenario, kb.ui)) {
        seen.add(f.entry);
        if (f.entry.startsWith('probe-')) continue;
        const entry = kb.entries.find((e) => e.id === f.entry);
        expect(entry, `knowledge entry ${f.entry}`).toBeDefined();
        expect(f.category, f.entry).toBe(entry?.category);
      }
    }
    expect(seen.size).toBeGreaterThan(18);
  });
});
