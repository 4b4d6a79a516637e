/** What every Discord listener and command needs, and the few helpers they share. */
import { MessageFlags, type Locale } from 'discord.js';
import type { Bot } from '../../bot/core.js';
import type { ProbeRunner } from '../../bot/probe-port.js';
import type { DiscordConfig } from '../../config.js';
import type { Lang } from '../../engine/types.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../ops/metrics.js';
import type { Reply } from '../../render/model.js';
import { renderDiscord, type DiscordMessage, type DiscordRenderOptions } from '../../render/discord.js';

export interface DiscordContext {
  config: DiscordConfig;
  bot: Bot;
  probe: ProbeRunner | undefined;
  log: Logger;
  /** Minimum time between two edits of a probe's progress message (Discord rate-limits message edits). */
  progressIntervalMs: number;
  metrics: Metrics;
}

/** Discord's client language → the bot's: Japanese for `ja`, English for everything else. */
export function langOfLocale(locale: Locale | string | null | undefined): Lang {
  return locale?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function render(ctx: DiscordContext, reply: Reply, options?: DiscordRenderOptions): DiscordMessage {
  return renderDiscord(reply, ctx.bot.kb.ui, options);
}

/** Nothing the bot sends may ping anyone: pasted errors can contain @everyone or mentions. */
export const NO_PINGS = { parse: [], repliedUser: false } as const;

export const EPHEMERAL = MessageFlags.Ephemeral;
