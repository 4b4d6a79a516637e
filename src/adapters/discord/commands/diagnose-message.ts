/**
 * "Diagnose this message" (message context menu → Apps): the diagnosis of someone else's pasted error, shown only to
 * the user who asked, so that a question in a channel can be answered without copying the error around.
 */
import type { MessageContextMenuCommandInteraction } from 'discord.js';
import { t } from '../../../engine/i18n.js';
import { editWithOutcome } from '../answer.js';
import { EPHEMERAL, langOfLocale, type DiscordContext } from '../context.js';
import { replyEditor } from '../reply-edit.js';

export async function diagnoseMessageCommand(ctx: DiscordContext, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  await interaction.deferReply({ flags: EPHEMERAL });
  const text = interaction.targetMessage.content ?? '';
  const locale = langOfLocale(interaction.locale);
  const lang = await ctx.bot.langFor(interaction.user.id, text, locale);
  if (!text.trim()) {
    await replyEditor(ctx, interaction)({ content: t(ctx.bot.kb.ui, 'discord.diagnose-message.empty', lang), embeds: [], components: [] });
    return;
  }
  const outcome = await ctx.bot.handle({
    platform: 'discord',
    text,
    place: 'direct',
    addressed: true,
    userId: interaction.user.id,
    channelId: interaction.channelId,
    locale,
  });
  await editWithOutcome(ctx, interaction, outcome, lang);
}
