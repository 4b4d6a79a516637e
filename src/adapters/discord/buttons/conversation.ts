/**
 * A conversation's buttons ("More detail", "Next cause", "Done", "Didn't help"): a turn of the conversation they belong
 * to. The answer is linked to that conversation like a reply to a message is: a Discord reply to it goes on with the
 * same conversation (what was said, the causes given), not a new one.
 */
import type { ButtonInteraction } from 'discord.js';
import type { Lang } from '../../../engine/types.js';
import type { ConversationActionId } from '../../../render/model.js';
import { editWithOutcome } from '../answer.js';
import type { DiscordContext } from '../context.js';

export async function conversationButton(ctx: DiscordContext, interaction: ButtonInteraction, lang: Lang, action: ConversationActionId, conversation: string): Promise<void> {
  await interaction.deferReply();
  const outcome = await ctx.bot.press(
    { platform: 'discord', text: '', place: interaction.inGuild() ? 'channel' : 'direct', addressed: true, userId: interaction.user.id, channelId: interaction.channelId, locale: lang, conversation },
    action,
  );
  const sent = await editWithOutcome(ctx, interaction, outcome, lang);
  if (sent) await ctx.bot.linkConversation(`discord:${sent.id}`, conversation);
}
