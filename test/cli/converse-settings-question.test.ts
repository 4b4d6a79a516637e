/**
 * A question about the outgoing server's values that names no single topic ("送信サーバー名とポート番号、暗号化は
 * どう設定すればいいですか？", "which host, port and encryption do I enter?") in a conversation whose provider is known
 * is answered with that provider's server, not left as a follow-up.
 */
import { describe, expect, it } from 'vitest';
import { converse } from '../support/converse.js';

describe('a settings question once the provider is known', () => {
  it('gets the provider\'s server (ja, en)', async () => {
    const out = await converse([
      { conversation: 'xs', text: 'エックスサーバーで作ったアドレスがiPhoneから送信できません' },
      { conversation: 'xs', text: '送信サーバー名とポート番号、暗号化はどう設定すればいいですか？' },
      { conversation: 'ic', text: 'Outlook on my PC will not send from my iCloud address' },
      { conversation: 'ic', text: 'ok so which host, port and encryption do I enter for sending?' },
    ]);
    expect(out[1]?.kind, out[1]?.text).toBe('answer');
    expect(out[1]?.provider).toBe('xserver');
    expect(out[1]?.text).toContain('xserver.jp');
    expect(out[3]?.kind, out[3]?.text).toBe('answer');
    expect(out[3]?.text).toContain('smtp.mail.me.com');
  });
});
