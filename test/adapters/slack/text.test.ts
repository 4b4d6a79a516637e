/** Slack's message markup back to what the user typed; the bounded memory of answered events. */
import { describe, expect, it } from 'vitest';
import { RecentKeys } from '../../../src/adapters/slack/dedupe.js';
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

describe('RecentKeys', () => {
  it('claims a key once, also when it comes with another key', () => {
    const seen = new RecentKeys();
    expect(seen.claim('event:1', 'msg:C:1')).toBe(true);
    expect(seen.claim('event:1')).toBe(false);
    expect(seen.claim('event:2', 'msg:C:1')).toBe(false);
    expect(seen.claim(undefined, 'msg:C:2')).toBe(true);
  });

  it('forgets the oldest keys beyond its size', () => {
    const seen = new RecentKeys(3);
    for (const k of ['a', 'b', 'c', 'd']) seen.claim(k);
    expect(seen.claim('a')).toBe(true);
    expect(seen.claim('d')).toBe(false);
  });
});
