/**
 * Sharding: the real discord.js client opens as many gateway connections as /gateway/bot recommends (four here), each
 * identifies as its shard, and a guild's events arrive on its own shard only (DMs on shard 0) — and are answered once.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DiscordStandin, IDS } from '../../support/discord-standin.js';
import { QUIET_MS, sleep, startHarness, type Harness } from '../../support/discord-harness.js';

const SHARDS = 4;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ standin: { shards: SHARDS } });
});
afterAll(async () => {
  await h?.stop();
});

describe('shards', () => {
  test('one gateway connection per recommended shard, each identified as its own', () => {
    const identified = h.standin.frames.filter((f) => f.op === 2).map((f) => (f.d as { shard: [number, number] }).shard);
    expect(identified.sort((a, b) => a[0] - b[0])).toEqual([0, 1, 2, 3].map((i) => [i, SHARDS]));
    expect(h.client.ws.shards.size).toBe(SHARDS);
    expect(h.client.isReady()).toBe(true);
  });

  test('a guild message (on the guild\'s shard) and a DM (on shard 0) are each answered once', async () => {
    expect(DiscordStandin.shardOfGuild(IDS.guild, SHARDS)).toBe(2);
    h.standin.sendMessage('550 5.7.1 Relay access denied');
    h.standin.sendMessage('552 5.2.2 Mailbox full', { channelId: IDS.dm });
    await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, 2);
    await sleep(QUIET_MS);
    const posts = h.standin.find('POST', /\/channels\/\d+\/messages$/);
    expect(posts.map((p) => p.path.split('/')[4]).sort()).toEqual([IDS.channel, IDS.dm].sort());
  });

  test('a slash command in the guild is answered', async () => {
    const i = h.standin.slashCommand('diagnose', [{ name: 'text', type: 'string', value: '550 5.7.1 Relay access denied' }]);
    await h.standin.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${i.token}/messages/@original$`));
  });
});
