/**
 * Messages in channels the bot can read, and DMs: what the engine answers gets a reply to that message; ordinary
 * chat gets nothing. Bots (this one included) are never answered, so two bots cannot talk in a loop.
 */
import type { Client, Message } from 'discord.js';
import { t } from '../../../engine/i18n.js';
import { fitContent } from '../../../render/discord.js';
import { NO_PINGS, render, type DiscordContext } from '../context.js';
import { apologizeToMessage } from '../answer.js';
import { runProbeWithEdits } from '../probe-run.js';

function watched(ctx: DiscordContext, message: Message<true>): boolean {
  const allow = ctx.config.channels;
  if (allow.length === 0) return true;
  // A thread belongs to its parent channel's allow-list entry.
  return allow.includes(message.channelId) || (message.channel.isThread() && allow.includes(message.channel.parentId ?? ''));
}

export function onMessageCreate(shared: DiscordContext, client: Client): (message: Message) => Promise<void> {
  return async (message) => {
    const ctx = { ...shared, log: shared.log.child({ guild: message.guildId ?? undefined, channel: message.channelId, message: message.id }) };
    if (message.author.bot || message.system || message.webhookId) return;
    const me = client.user?.id;
    const mentioned = me !== undefined && message.mentions.users.has(me);
    const direct = !message.inGuild();
    if (message.inGuild() && !mentioned && !watched(ctx, message)) return;
    ctx.metrics.messagesSeen.inc({ platform: 'discord' });
    if (mentioned || direct) ctx.metrics.addressed.inc({ platform: 'discord' });

    // Without the MessageContent intent, content is empty except in DMs and mentions: handle() stays silent then.
    const text = me ? message.content.replace(new RegExp(`<@!?${me}>`, 'g'), ' ').trim() : message.content;
    const userId = message.author.id;
    try {
      const outcome = await ctx.bot.handle({ platform: 'discord', text, place: direct ? 'direct' : 'channel', addressed: mentioned, userId, channelId: message.channelId });
      if (outcome.type === 'silent') return;
      if (outcome.type === 'reply') {
        await ctx.bot.waitTurn(message.channelId, outcome);
        await message.reply({ ...render(ctx, outcome.reply), allowedMentions: NO_PINGS });
        ctx.metrics.replies.inc({ platform: 'discord', kind: outcome.reply.kind, category: outcome.diagnosis?.category ?? 'none' });
        if (outcome.unknown) ctx.metrics.unknown.inc({ platform: 'discord' });
        return;
      }
      ctx.metrics.replies.inc({ platform: 'discord', kind: 'probe', category: 'none' });
      const { request } = outcome;
      const ui = ctx.bot.kb.ui;
      const sent = await message.reply({
        content: fitContent(t(ui, 'discord.probe.starting', request.lang, { target: request.target }), ui, request.lang),
        allowedMentions: NO_PINGS,
      });
      await runProbeWithEdits(ctx, request, (m) => sent.edit({ ...m, allowedMentions: NO_PINGS }));
    } catch (err) {
      await apologizeToMessage(ctx, message, await ctx.bot.langFor(userId, text), err);
    }
  };
}
