/** Logging in through the normal gateway flow against the stand-in: nothing may go anywhere but 127.0.0.1. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import { startDiscord } from '../../../src/adapters/discord/client.js';
import { Bot } from '../../../src/bot/core.js';
import { createLogger } from '../../../src/log.js';
import { DiscordStandin } from '../../support/discord-standin.js';
import { sleep, startHarness, type Harness } from '../../support/discord-harness.js';
import { realIndex } from '../../support/kb.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ probe: null, standin: { heartbeatIntervalMs: 100 } });
});
afterAll(async () => {
  await h?.stop();
});

test('login: REST /gateway/bot on the configured base, then the gateway URL it names, with v10 JSON and no compression', () => {
  expect(h.standin.calls[0]).toMatchObject({ method: 'GET', path: '/api/v10/gateway/bot', authorization: 'Bot fake-token' });
  expect(h.standin.gatewayUrls).toEqual(['/?v=10&encoding=json']);
  expect(h.client.isReady()).toBe(true);
  expect(h.client.user?.id).toBe('100000000000000002');
  // The guild from GUILD_CREATE is cached, so guild messages are not dropped.
  expect(h.client.guilds.cache.has('100000000000000003')).toBe(true);
});

test('IDENTIFY carries the token and exactly the intents the bot needs', () => {
  const identify = h.standin.frames.find((f) => f.op === GatewayOpcodes.Identify)?.d as { token: string; intents: number; compress: boolean };
  expect(identify.token).toBe('fake-token');
  expect(identify.compress).toBe(false);
  const wanted = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent | GatewayIntentBits.DirectMessages;
  expect(identify.intents).toBe(wanted);
});

test('heartbeats are sent and acknowledged, so the connection stays up', async () => {
  const until = Date.now() + 3000;
  while (Date.now() < until && h.standin.frames.filter((f) => f.op === GatewayOpcodes.Heartbeat).length < 3) await sleep(20);
  expect(h.standin.frames.filter((f) => f.op === GatewayOpcodes.Heartbeat).length).toBeGreaterThanOrEqual(3);
  expect(h.standin.gatewayUrls).toHaveLength(1);
  expect(h.client.ws.ping).toBeGreaterThanOrEqual(0);
});

test('without a probe service, /probe says so instead of failing', async () => {
  const i = h.standin.slashCommand('probe', [{ name: 'target', type: 'string', value: 'smtp.example.com' }]);
  const [edit] = await h.standin.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${i.token}/messages/@original$`));
  expect((edit?.body as { content: string }).content).toBe('Server tests are not enabled for this bot.');
});

test('a bad token fails the start with a clear error and leaves nothing running', async () => {
  const standin = await new DiscordStandin({ token: 'the-real-one' }).start();
  const logs: string[] = [];
  const log = createLogger('debug', { write: (l: string) => void logs.push(l) });
  await expect(startDiscord({ token: 'wrong-token', channels: [], apiUrl: standin.apiUrl }, new Bot(realIndex()), undefined, log)).rejects.toThrow(
    /token/i,
  );
  expect(standin.gatewayUrls).toHaveLength(0);
  expect(logs.join('\n')).not.toContain('wrong-token');
  await standin.close();
});

test('a privileged intent not enabled in the portal (close 4014) fails the start with what to switch on', async () => {
  const standin = await new DiscordStandin({ closeOnIdentify: 4014 }).start();
  const start = startDiscord({ token: 'fake-token', channels: [], apiUrl: standin.apiUrl }, new Bot(realIndex()), undefined, createLogger('silent'));
  await expect(start).rejects.toThrow(/Message Content Intent.*Developer Portal/);
  await standin.close();
});

test('stop() closes the gateway connection normally', async () => {
  const standin = await new DiscordStandin().start();
  const discord = await startDiscord({ token: 'fake-token', channels: [], apiUrl: standin.apiUrl }, new Bot(realIndex()), undefined, createLogger('silent'));
  await discord.stop();
  const until = Date.now() + 2000;
  while (Date.now() < until && standin.closeCodes.length === 0) await sleep(10);
  expect(standin.closeCodes).toEqual([1000]);
  expect(discord.client.isReady()).toBe(false);
  await standin.close();
});
