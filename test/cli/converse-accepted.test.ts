/**
 * A transcript or log in which the server accepted every step, pasted to the bot, through `converse --jsonl`: said to
 * be a successful send with the user's own line that shows it, in the user's language — not an error it cannot place,
 * and no diagnosis guessed from the codes. Not addressed, it gets silence. A failure after accepted steps is diagnosed.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';
import { ACCEPTED_POSTFIX as SENT, ACCEPTED_SWAKS as SWAKS, REFUSED_AFTER_ACCEPTED } from '../support/transcripts.js';

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
    const [channel, failed] = await converse([{ conversation: 'acc-ch', text: SWAKS, addressed: false }, ...dialogue('acc-fail', REFUSED_AFTER_ACCEPTED)]);
    expect(channel?.kind).toBe('silence');
    expect(failed?.kind).toBe('diagnosis');
    expect(failed?.category).toBe('relay-denied');
  });
});
