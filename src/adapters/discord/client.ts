/**
 * The Discord bot: a discord.js Client on the gateway, with one listener per event. `config.apiUrl` points the REST
 * client elsewhere (a proxy, or the test stand-in); the gateway address then comes from that API's /gateway/bot,
 * exactly as in production.
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Bot } from '../../bot/core.js';
import type { ProbeRunner } from '../../bot/probe-port.js';
import type { DiscordConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import { NO_PINGS, type DiscordContext } from './context.js';
import { onInteractionCreate } from './events/interaction-create.js';
import { onMessageCreate } from './events/message-create.js';

export interface DiscordOptions {
  /** Minimum time between two edits of a probe's progress message. */
  progressIntervalMs?: number;
}

export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  // Privileged: without it, message text arrives only for mentions and DMs (docs/discord.md).
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

export async function startDiscord(
  config: DiscordConfig,
  bot: Bot,
  probe: ProbeRunner | undefined,
  log: Logger,
  options: DiscordOptions = {},
): Promise<{ client: Client; stop(): Promise<void> }> {
  const client = new Client({
    intents: DISCORD_INTENTS,
    // DM channels are not cached before their first message; without this partial, DMs would be dropped.
    partials: [Partials.Channel],
    allowedMentions: NO_PINGS,
    // A reply to a message deleted meanwhile is still posted, as a plain message.
    failIfNotExists: false,
    rest: config.apiUrl ? { api: config.apiUrl } : {},
  });
  const ctx: DiscordContext = { config, bot, probe, log, progressIntervalMs: options.progressIntervalMs ?? 1000 };

  client.on(Events.Error, (err) => log.error({ err }, 'discord: client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord: client warning'));
  client.on(Events.ShardError, (err, shard) => log.error({ err, shard }, 'discord: gateway connection error'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ code: event.code, shard }, 'discord: gateway disconnected'));
  client.on(Events.InteractionCreate, onInteractionCreate(ctx));
  client.on(Events.MessageCreate, onMessageCreate(ctx, client));

  const ready = once(client, Events.ClientReady);
  try {
    await client.login(config.token);
    await ready;
  } catch (err) {
    await client.destroy();
    // The most common first-run failure: the privileged intent is not switched on in the Developer Portal.
    if (err instanceof Error && /disallowed intents/i.test(err.message)) {
      throw new Error(
        'Discord refused the Message Content intent: switch on "Message Content Intent" in the Developer Portal (Bot page); see docs/discord.md',
        { cause: err },
      );
    }
    throw err;
  }
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord: connected');

  return {
    client,
    async stop() {
      await client.destroy();
    },
  };
}
