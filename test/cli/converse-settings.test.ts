/**
 * A setting told on its own after a diagnosis ("ポートは587にしてます") is a fact for the search, not small talk: it is
 * kept, and the answer goes on to the next cause instead of the bot's help text.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const OUTLOOK = 'Outlookで送信できません。エラーは 0x800CCC0F です';
const RELAY = '554 5.7.1 <bob@example.com>: Relay access denied';

describe('converse --jsonl: a setting told after a diagnosis', () => {
  it('moves on with what was told, in either language, and keeps it', async () => {
    const out = await converse([
      ...dialogue('s1', OUTLOOK, 'ポートは587にしてます'),
      ...dialogue('s2', OUTLOOK, '暗号化はSTARTTLSにしています'),
      ...dialogue('s3', RELAY, "I'm on port 465"),
      ...dialogue('s4', RELAY, 'encryption is set to STARTTLS'),
    ]);
    for (const i of [1, 3, 5, 7]) {
      const o = out[i];
      expect(o?.kind, `${i}: ${o?.text}`).toBe('followup');
      expect(o?.text).not.toBe(out[i - 1]?.text);
      expect(o?.probeTarget).toBeNull();
    }
    expect(out[1]?.lang).toBe('ja');
    expect(out[5]?.lang).toBe('en');
  });
});

describe('converse --jsonl: what the user has, told as a statement in the middle of a trouble', () => {
  it('goes on with the trouble, however its words name a topic; the same topic asked about is answered', async () => {
    const out = await converse([
      ...dialogue('t1', OUTLOOK, '送信の認証はPOP before SMTPを使っています', 'POP before SMTPって何ですか'),
      ...dialogue('t2', RELAY, 'the outgoing server is the SMTP host of my ISP, with SMTP auth set to LOGIN', 'what is SMTP auth?'),
      ...dialogue('t3', 'メールが送れません。受信はできます', '送信サーバーはプロバイダから案内されたSMTPサーバーにしています'),
    ]);
    for (const i of [1, 4, 7]) {
      expect(out[i]?.kind, `${i}: ${out[i]?.text}`).toBe('followup');
      expect(out[i]?.probeTarget).toBeNull();
    }
    expect(out[2]?.kind).toBe('answer');
    expect(out[2]?.topic).toBe('pop-before-smtp');
    expect(out[5]?.kind).toBe('answer');
    expect(out[5]?.topic).toBe('smtp-auth');
  });
});
