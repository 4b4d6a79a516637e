import { describe, expect, it } from 'vitest';
import { codeText, explained } from '../../src/probe/explain.js';
import { loadProbeUi } from '../../src/probe/ui.js';
import { portLine } from '../../src/probe/reply.js';
import type { PortResult } from '../../src/probe/types.js';

const ui = loadProbeUi();

describe('raw probe codes said in the user language', () => {
  it('explains a certificate code and keeps the code beside it', () => {
    expect(codeText(ui, 'ja', 'DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('自己署名の証明書: DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(codeText(ui, 'en', 'CERT_HAS_EXPIRED')).toBe('certificate expired: CERT_HAS_EXPIRED');
  });

  it('reads a server reply code as a reply, and leaves a code it does not know as it is', () => {
    expect(codeText(ui, 'en', 'REPLY_554')).toBe('the server answered 554');
    expect(codeText(ui, 'ja', 'REPLY_421')).toBe('サーバーの応答 421');
    expect(codeText(ui, 'ja', 'ERR_SOMETHING_NEW')).toBe('ERR_SOMETHING_NEW');
  });

  it('names the step, not the internal phase id', () => {
    expect(explained(ui, 'ja', { phase: 'greeting', code: 'TIMEOUT', port: 587 })).toEqual({ phase: '最初のあいさつ（グリーティング）', code: '時間内に応答なし: TIMEOUT', port: 587 });
  });

  it('a port line of the report carries no bare upper-case phase', () => {
    const p = { port: 587, state: 'open', connectMs: 3, tls: 'none', tlsVersion: null, banner: null, authMechanisms: [], certificate: null, capabilities: [], wrongMode: null, error: { phase: 'greeting', code: 'TIMEOUT', message: 'x' } } as unknown as PortResult;
    const ja = portLine(p, 'ja', ui);
    expect(ja).toContain('最初のあいさつ（グリーティング）で失敗（時間内に応答なし: TIMEOUT）');
    expect(ja).not.toContain('GREETING');
    expect(portLine(p, 'en', ui)).toContain('failed at the greeting step (no answer in time: TIMEOUT)');
  });
});
