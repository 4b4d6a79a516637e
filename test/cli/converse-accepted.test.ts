/**
 * A transcript or log in which the server accepted every step, pasted to the bot, through `converse --jsonl`: said to
 * be a successful send with the user's own line that shows it, in the user's language — not an error it cannot place,
 * and no diagnosis guessed from the codes. Not addressed, it gets silence. A failure after accepted steps is diagnosed.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const SWAKS = [
  '<-  220 smtp.example.jp ESMTP Postfix',
  ' -> EHLO host.example.jp',
  '<-  250-STARTTLS',
  ' -> STARTTLS',
  '<-  220 2.0.0 Ready to start TLS',
  '<~  235 2.7.0 Authentication successful',
  '<~  250 2.1.5 Ok',
  '<~  250 2.0.0 Ok: queued as 4F2A11C0',
  '<~  221 2.0.0 Bye',
].join('\n');
const SENT = 'Dec  7 10:00:01 mail postfix/smtp[2211]: 4F2A11C0: to=<b@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=0.5, dsn=2.0.0, status=sent (250 2.0.0 OK queued)';

describe('a pasted transcript where every step was accepted', () => {
  it('is a successful send, with the line that shows it, in English and Japanese', async () => {
    const [en, log, ja] = await converse([
      ...dialogue('acc-en', SWAKS),
      ...dialogue('acc-log', SENT),
      ...dialogue('acc-ja', `テスト送信のログです。\n${SWAKS}`),
    ]);
    expect(en?.kind).toBe('diagnosis');
    expect(en?.category).toBeNull();
    expect(en?.text).toContain('successful send');
    expect(en?.text).toContain('250 2.0.0 Ok: queued as 4F2A11C0');
    expect(log?.text).toContain('status=sent (250 2.0.0 OK queued)');
    expect(ja?.lang).toBe('ja');
    expect(ja?.text).toContain('送信に成功しています');
    expect(ja?.text).toContain('250 2.0.0 Ok: queued as 4F2A11C0');
  });

  it('gets silence in a channel, and a failure after accepted steps is diagnosed', async () => {
    const refused = `${SWAKS.split('\n').slice(0, 7).join('\n')}\n<~  554 5.7.1 <b@example.com>: Relay access denied`;
    const [channel, failed] = await converse([{ conversation: 'acc-ch', text: SWAKS, addressed: false }, ...dialogue('acc-fail', refused)]);
    expect(channel?.kind).toBe('silence');
    expect(failed?.kind).toBe('diagnosis');
    expect(failed?.category).toBe('relay-denied');
  });
});
