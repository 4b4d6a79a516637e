/**
 * Messages in channels the bot can read, and DMs: what the engine answers gets a reply to that message; ordinary
 * chat gets nothing. Bots (this one included) are never answered, so two bots cannot talk in a loop. An attached text
 * file (Discord's message.txt for a long paste, a log, a bounce .eml) is read instead of the text.
 */
import type { Client, Message } from 'discord.js';
import { t } from '../../../engine/i18n.js';
import { displayTarget } from '../../../probe/target.js';
import { escapeDiscord, fitContent } from '../../../render/discord.js';
import { NO_PINGS, render, type DiscordContext } from '../context.js';
import { apologizeToMessage } from '../answer.js';
import { runCheckWithEdit } from '../check-run.js';
import { attachmentOutcome } from '../attachments.js';
import { runProbeWithEdits } from '../probe-run.js';

function watched(ctx: DiscordContext, message: Message<true>): boolean {
  const allow = ctx.config.channels;
  if (allow.length === 0) return true;
  // A thread belongs to its parent channel's allow-list entry.
  return allow.includes(message.channelId) || (message.channel.isThread() && allow.includes(message.channel.parentId ?? ''));
}

/**
 * The conversation a message belongs to: a DM or a thread is one; in a channel, a reply chain is one (a reply to the
 * bot's answer, or to the message it answered, continues it), and any other message starts a new one.
 */
async function conversationOf(ctx: DiscordContext, message: Message): Promise<string> {
  if (!message.inGuild() || message.channel.isThread()) return `discord:${message.channelId}`;
  const replyTo = message.reference?.messageId;
  const linked = replyTo ? await ctx.bot.linkedConversation(`discord:${replyTo}`) : undefined;
  return linked ?? `discord:${message.channelId}:${replyTo ?? message.id}`;
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
      const conversation = await conversationOf(ctx, message);
      const incoming = { platform: 'discord' as const, text, place: direct ? ('direct' as const) : ('channel' as const), addressed: mentioned, userId, channelId: message.channelId, conversation };
      const outcome = (await attachmentOutcome(ctx, message.attachments, incoming)) ?? (await ctx.bot.handle(incoming));
      if (outcome.type === 'silent') return;
      if (outcome.type === 'reply') {
        await ctx.bot.waitTurn(message.channelId, outcome);
        const sent = await message.reply({ ...render(ctx, outcome.reply), allowedMentions: NO_PINGS });
        // A reply to the bot's answer, or to the message it answered, continues the same conversation.
        await ctx.bot.linkConversation(`discord:${sent.id}`, conversation);
        await ctx.bot.linkConversation(`discord:${message.id}`, conversation);
        ctx.metrics.replies.inc({ platform: 'discord', kind: outcome.reply.kind, category: outcome.diagnosis?.category ?? 'none' });
        if (outcome.unknown) ctx.metrics.unknown.inc({ platform: 'discord' });
        return;
      }
      ctx.metrics.replies.inc({ platform: 'discord', kind: outcome.type, category: 'none' });
      const ui = ctx.bot.kb.ui;
      if (outcome.type === 'check') {
        const { request } = outcome;
        const sent = await message.reply({ content: fitContent(t(ui, 'check.progress.starting', request.lang, { target: request.target }), ui, request.lang), allowedMentions: NO_PINGS });
        await runCheckWithEdit(ctx, request, (m) => sent.edit({ ...m, allowedMentions: NO_PINGS }));
        return;
      }
      const { request } = outcome;
      const sent = await message.reply({
        content: fitContent(t(ui, 'discord.probe.starting', request.lang, { target: escapeDiscord(displayTarget(request.target)) }), ui, request.lang),
        allowedMentions: NO_PINGS,
      });
      await runProbeWithEdits(ctx, request, (m) => sent.edit({ ...m, allowedMentions: NO_PINGS }));
    } catch (err) {
      await apologizeToMessage(ctx, message, await ctx.bot.langFor(userId, text), err);
    }
  };
}
