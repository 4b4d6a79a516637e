/** Slack's message markup back to what the user typed; the memory of answered events. */
import { describe, expect, it } from 'vitest';
import { Dedupe } from '../../../src/adapters/slack/dedupe.js';
import { MemoryStore } from '../../../src/state/memory.js';
import { fromSlackText, mentions } from '../../../src/adapters/slack/slack-text.js';

describe('fromSlackText', () => {
  it('unwraps links, addresses and entities, and drops the mention of the bot', () => {
    expect(fromSlackText('<@UBOT> test <http://smtp.example.jp|smtp.example.jp> port 587', 'UBOT')).toBe('test smtp.example.jp port 587');
    expect(fromSlackText('550 &lt;<mailto:bob@example.com|bob@example.com>&gt;: Recipient address rejected &amp; more')).toBe(
      '550 <bob@example.com>: Recipient address rejected & more',
    );
    expect(fromSlackText('see <https://example.com/help>')).toBe('see https://example.com/help');
    expect(fromSlackText('cc <@U2|carol> in <#C1|support> <!here>', 'UBOT')).toBe('cc @carol in #support @here');
  });

  it('tells whether the bot is mentioned', () => {
    expect(mentions('hi <@UBOT>', 'UBOT')).toBe(true);
    expect(mentions('hi <@U2>', 'UBOT')).toBe(false);
    expect(mentions('hi <@UBOT>', undefined)).toBe(false);
  });
});

describe('Dedupe', () => {
  it('claims a key once, also when it comes with another key', async () => {
    const seen = new Dedupe(new MemoryStore());
    expect(await seen.claim('event:1', 'msg:C:1')).toBe(true);
    expect(await seen.claim('event:1')).toBe(false);
    expect(await seen.claim('event:2', 'msg:C:1')).toBe(false);
    expect(await seen.claim(undefined, 'msg:C:2')).toBe(true);
  });

  it('keeps every key for its TTL however many come after it (no fixed count), and forgets it after', async () => {
    let now = 0;
    const seen = new Dedupe(new MemoryStore(() => now), 60_000);
    expect(await seen.claim('event:first')).toBe(true);
    for (let i = 0; i < 20_000; i++) await seen.claim(`event:${i}`, `msg:C:${i}`);
    now = 59_999;
    expect(await seen.claim('event:first')).toBe(false);
    now = 60_000;
    expect(await seen.claim('event:first')).toBe(true);
  });
});
