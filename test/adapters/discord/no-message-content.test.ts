/**
 * DISCORD_MESSAGE_CONTENT=false, for an app that has not enabled the privileged Message Content intent: the bot
 * starts without it and answers slash commands, mentions and DMs; other channel messages arrive without text and get
 * silence.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDiscord } from '../../../src/adapters/discord/client.js';
import { Bot } from '../../../src/bot/core.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { DiscordStandin, IDS } from '../../support/discord-standin.js';
import { QUIET_MS, sleep, startHarness, type Harness } from '../../support/discord-harness.js';
import { realIndex } from '../../support/kb.js';

const RELAY = '550 5.7.1 Relay access denied';
const channelPosts = (h: Harness) => h.standin.find('POST', /\/channels\/\d+\/messages$/);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ messageContent: false, standin: { messageContentAllowed: false } });
});
afterAll(async () => {
  await h?.stop();
});

describe('without the Message Content intent', () => {
  test('the setting is read: DISCORD_MESSAGE_CONTENT=false', () => {
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_MESSAGE_CONTENT: 'false' }).discord?.messageContent).toBe(false);
    expect(loadConfig({ DISCORD_TOKEN: 't' }).discord?.messageContent).toBe(true);
  });

  test('starts, and asked for no Message Content intent', () => {
    const identify = h.standin.frames.find((f) => f.op === 2)?.d as { intents: number };
    expect(identify.intents & (1 << 15)).toBe(0);
    expect(h.client.isReady()).toBe(true);
  });

  test('a paste nobody addressed arrives without text and gets silence; a mention and a DM are answered', async () => {
    h.standin.sendMessage(RELAY);
    await sleep(QUIET_MS);
    expect(channelPosts(h)).toHaveLength(0);
    h.standin.sendMessage(RELAY, { mentionBot: true });
    await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, 1);
    h.standin.sendMessage(RELAY, { channelId: IDS.dm });
    await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, 2);
    expect(JSON.stringify(channelPosts(h).map((c) => c.body))).toMatch(/relay/i);
  });

  test('slash commands work', async () => {
    const i = h.standin.slashCommand('diagnose', [{ name: 'text', type: 'string', value: RELAY }]);
    await h.standin.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${i.token}/messages/@original$`));
  });

  test('with the intent asked for but not enabled, the start fails naming both ways out', async () => {
    const standin = await new DiscordStandin({ messageContentAllowed: false }).start();
    const start = startDiscord({ token: 'fake-token', channels: [], apiUrl: standin.apiUrl }, new Bot(realIndex()), undefined, createLogger('silent'));
    await expect(start).rejects.toThrow(/Message Content Intent.*or set DISCORD_MESSAGE_CONTENT=false/);
    await standin.close();
  });
});
