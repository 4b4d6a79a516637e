/**
 * Sending limits through `converse --jsonl`, in both languages and as users write them: a session's message cap, a
 * provider's rate limit and a daily quota are the sender's own volume (rate-limited), never a busy server.
 */
import { describe, expect, it } from 'vitest';
import { converse } from '../support/converse.js';

describe('converse --jsonl: a sending limit is read as one, not as a busy server', () => {
  it('reads per-session and per-rate caps as rate-limited, told in either language', async () => {
    const texts = [
      '一度に100件くらい送ったら「421 4.7.0 Too many messages」と出て、残りが送れませんでした',
      'お知らせメールをまとめて送信したら 421 4.7.0 Too many messages in this session. が返ってきた',
      '一斉送信の途中で止まった。ログには 421 4.7.0 Too many messages, try again later とある',
      '421 4.7.0 Too many messages in this session',
      'Sent about a hundred emails at once and got: 421 4.7.0 Too many messages',
      'my script dies halfway with "421 Too many messages, closing connection" - what does it mean?',
      '421-4.7.28 [203.0.113.7 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.',
      'Gmailで大量送信したら 421-4.7.28 unusual rate of unsolicited mail と言われました',
    ];
    const out = await converse(texts.map((text, i) => ({ conversation: `rl${i}`, text })));
    for (const [i, o] of out.entries()) {
      expect(o.kind, texts[i]).toBe('diagnosis');
      expect(o.category, texts[i]).toBe('rate-limited');
      expect(o.entry, texts[i]).not.toBe('temporary-server-busy');
      expect(o.probeTarget, texts[i]).toBeNull();
    }
    expect(out[0]?.lang).toBe('ja');
    expect(out[0]?.text).not.toMatch(/混雑|混み合/);
    expect(out[3]?.text).not.toMatch(/server is busy/i);
    expect(out[4]?.lang).toBe('en');
  });

  it("reads a daily quota as the sending limit's entry, in either language", async () => {
    const texts = [
      '550 5.4.5 Daily user sending quota exceeded.',
      'Gmailで「550-5.4.5 Daily user sending quota exceeded」と出て今日はもう送れません',
      'メルマガを配信したら Daily user sending quota exceeded になった。いつ戻りますか',
      'Got "Daily user sending quota exceeded" after our newsletter went out',
      'smtp error 550 5.4.5 Daily sending quota exceeded when sending from the app',
    ];
    // Gmail's block (5.7.1 … has been blocked) shares the rate limit's first words and stays the IP's reputation.
    const [block] = await converse([{ conversation: 'blk', text: '550-5.7.1 [203.0.113.7 1] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been blocked.' }]);
    expect(block?.category).toBe('ip-reputation');
    const out = await converse(texts.map((text, i) => ({ conversation: `q${i}`, text })));
    for (const [i, o] of out.entries()) {
      expect(o.kind, texts[i]).toBe('diagnosis');
      expect(o.category, texts[i]).toBe('rate-limited');
      expect(o.entry, texts[i]).toBe('rate-limit-sending-quota');
    }
    expect(out[1]?.text).toMatch(/上限/);
    expect(out[3]?.text).toMatch(/limit/i);
  });
});
