/** Hand-made probe results for the pure tests (findings, replies): a healthy port and the usual failures. */
import type { PortResult } from '../../src/probe/types.js';

export function port(p: number, more: Partial<PortResult> = {}): PortResult {
  return {
    port: p,
    address: '198.51.100.25',
    state: 'open',
    connectMs: 12,
    banner: 'mail.example.jp ESMTP',
    tls: p === 465 ? 'implicit' : 'starttls',
    tlsVersion: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    capabilities: ['PIPELINING', 'SIZE', 'AUTH', '8BITMIME'],
    capabilitiesBeforeTls: p === 465 ? null : ['PIPELINING', 'SIZE', 'STARTTLS', '8BITMIME'],
    authMechanisms: ['PLAIN', 'LOGIN'],
    sizeLimit: 10240000,
    certificate: { subject: 'mail.example.jp', altNames: ['mail.example.jp'], issuer: "Let's Encrypt / R11", validTo: '2027-03-01T00:00:00.000Z', valid: true, error: null },
    wrongMode: null,
    error: null,
    durationMs: 40,
    ...more,
  };
}

export const timedOut = (p: number): PortResult =>
  port(p, { state: 'timeout', connectMs: null, banner: null, tls: 'none', tlsVersion: null, cipher: null, capabilities: [], capabilitiesBeforeTls: null, authMechanisms: [], certificate: null, error: { phase: 'connect', code: 'TIMEOUT', message: 'x' } });
export const refused = (p: number): PortResult => ({ ...timedOut(p), state: 'refused', error: { phase: 'connect', code: 'ECONNREFUSED', message: 'x' } });
