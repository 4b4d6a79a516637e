/**
 * Editing an interaction's reply, with a way out: an interaction token lasts 15 minutes, and a slow answer (a long
 * probe, a busy bot) would then be lost with the apology behind it. When Discord says the token is no longer valid,
 * the answer becomes a message of its own — in the channel for a public reply, in the user's DM for a private one —
 * and later edits go to that message.
 */
import type { Message, MessageMentionOptions, RepliableInteraction } from 'discord.js';
import type { DiscordMessage } from '../../render/discord.js';
import type { DiscordContext } from './context.js';

/** Unknown Webhook, Invalid Webhook Token, Unknown Interaction. */
const EXPIRED = new Set([10015, 50027, 10062]);

export function tokenExpired(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && EXPIRED.has(code);
}

/** Edits the reply and gives back the message it is now (what a user's Discord reply points to). */
export type ReplyEdit = (message: DiscordMessage & { allowedMentions?: MessageMentionOptions }) => Promise<Message>;

export function replyEditor(ctx: DiscordContext, interaction: RepliableInteraction): ReplyEdit {
  let own: Message | undefined;
  return async (message) => {
    if (own) return own.edit(message);
    try {
      return await interaction.editReply(message);
    } catch (err) {
      if (!tokenExpired(err)) throw err;
      const channel = interaction.channel;
      const inChannel = channel && channel.isSendable() && interaction.ephemeral !== true ? channel : undefined;
      ctx.log.warn({ code: (err as { code?: unknown }).code, privately: !inChannel }, 'discord: the interaction token has expired; answering with a message of its own');
      own = inChannel ? await inChannel.send(message) : await interaction.user.send(message);
      return own;
    }
  };
}
