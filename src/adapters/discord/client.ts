/**
 * The Discord bot: a discord.js Client on the gateway, with one listener per event. `config.apiUrl` points the REST
 * client elsewhere (a proxy, or the test stand-in); the gateway address then comes from that API's /gateway/bot,
 * exactly as in production.
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials, RESTEvents } from 'discord.js';
import type { Bot } from '../../bot/core.js';
import type { ProbeRunner } from '../../bot/probe-port.js';
import type { DiscordConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import { Inflight } from '../../ops/inflight.js';
import { Metrics } from '../../ops/metrics.js';
import { NO_PINGS, type DiscordContext } from './context.js';
import { onInteractionCreate } from './events/interaction-create.js';
import { onMessageCreate } from './events/message-create.js';
import { onRaw } from './events/raw.js';

export interface DiscordOptions {
  /** Minimum time between two edits of a probe's progress message. */
  progressIntervalMs?: number;
  metrics?: Metrics;
  /** Tracks handlers at work, for the drain on SIGTERM; while draining, new events are not taken. */
  inflight?: Inflight;
}

/** Start-up failed for a reason the operator can fix: one line, no stack trace. */
export class DiscordStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscordStartError';
  }
}

function startError(err: unknown): DiscordStartError {
  const e = err as { code?: unknown; status?: unknown; message?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  // The most common first-run failure: the privileged intent is not switched on in the Developer Portal.
  if (/disallowed intents/i.test(message)) {
    return new DiscordStartError(
      'Discord refused the Message Content intent: switch on "Message Content Intent" in the Developer Portal (Bot page), or set DISCORD_MESSAGE_CONTENT=false for slash commands, mentions and DMs only; see docs/discord.md',
      { cause: err },
    );
  }
  if (e?.code === 'TokenInvalid' || e?.status === 401 || /401|unauthori[sz]ed|invalid token/i.test(message)) {
    return new DiscordStartError('Discord refused DISCORD_TOKEN: reset the token on the Developer Portal\'s Bot page and copy it again (docs/discord.md)', { cause: err });
  }
  return new DiscordStartError(`Discord could not be reached: ${message}`, { cause: err });
}

export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  // Privileged: without it, message text arrives only for mentions and DMs (docs/discord.md).
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

/** The intents for a configuration: without Message Content when DISCORD_MESSAGE_CONTENT=false. */
export function discordIntents(config: Pick<DiscordConfig, 'messageContent'>): GatewayIntentBits[] {
  return config.messageContent === false ? DISCORD_INTENTS.filter((i) => i !== GatewayIntentBits.MessageContent) : DISCORD_INTENTS;
}

export async function startDiscord(
  config: DiscordConfig,
  bot: Bot,
  probe: ProbeRunner | undefined,
  log: Logger,
  options: DiscordOptions = {},
): Promise<{ client: Client; stop(): Promise<void> }> {
  const client = new Client({
    intents: discordIntents(config),
    // As many gateway connections as Discord recommends in /gateway/bot: one below 2,500 servers, more above, where
    // Discord refuses a single connection.
    shards: 'auto',
    // DM channels are not cached before their first message; without this partial, DMs would be dropped.
    partials: [Partials.Channel],
    allowedMentions: NO_PINGS,
    // A reply to a message deleted meanwhile is still posted, as a plain message.
    failIfNotExists: false,
    rest: config.apiUrl ? { api: config.apiUrl } : {},
  });
  const metrics = options.metrics ?? new Metrics();
  const inflight = options.inflight ?? new Inflight();
  const ctx: DiscordContext = { config, bot, probe, log, metrics, progressIntervalMs: options.progressIntervalMs ?? 1000 };
  const onInteraction = onInteractionCreate(ctx);
  const onMessage = onMessageCreate(ctx, client);

  client.on(Events.Raw, onRaw(log));
  client.on(Events.Error, (err) => log.error({ err }, 'discord: client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord: client warning'));
  client.on(Events.ShardError, (err, shard) => log.error({ err, shard }, 'discord: gateway connection error'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ code: event.code, shard }, 'discord: gateway disconnected'));
  // While draining, the gateway is still open so that running work can finish; new events are left alone.
  // Ack latency: from the interaction's arrival to its callback (the first response, which Discord wants in 3 s).
  const arrived = new Map<string, number>();
  client.on(Events.InteractionCreate, (interaction) => {
    if (inflight.draining) return;
    arrived.set(interaction.id, performance.now());
    const done = () => void arrived.delete(interaction.id);
    inflight.run(() => onInteraction(interaction)).then(done, done);
  });
  client.rest.on(RESTEvents.Response, (request, response) => {
    // A 429 Discord answered (the REST client's own waits for an exhausted bucket are not counted).
    if (response.status === 429) metrics.rateLimited.inc({ platform: 'discord' });
    const id = /^\/interactions\/(\d+)\/[^/]+\/callback/.exec(String(request.path))?.[1];
    const at = id === undefined ? undefined : arrived.get(id);
    if (id === undefined || at === undefined) return;
    arrived.delete(id);
    metrics.ackLatency.observe({ platform: 'discord' }, (performance.now() - at) / 1000);
  });
  client.on(Events.MessageCreate, (message) => {
    if (!inflight.draining) void inflight.run(() => onMessage(message));
  });

  const ready = once(client, Events.ClientReady);
  try {
    await client.login(config.token);
    await ready;
  } catch (err) {
    await client.destroy();
    throw startError(err);
  }
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord: connected');

  return {
    client,
    async stop() {
      await client.destroy();
    },
  };
}
