/**
 * `/diagnose text:` — a pasted error → the diagnosis (or, for "test HOST", a live probe). The answer starts a
 * conversation: a Discord reply to it goes on from it, as a reply to a mention's answer does.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { langOfLocale, type DiscordContext } from '../context.js';
import { editWithOutcome } from '../answer.js';

export async function diagnoseCommand(ctx: DiscordContext, interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.deferReply();
  const text = interaction.options.getString('text', true);
  const locale = langOfLocale(interaction.locale);
  const conversation = `discord:${interaction.channelId}:${interaction.id}`;
  const outcome = await ctx.bot.handle({
    platform: 'discord',
    text,
    place: interaction.inGuild() ? 'channel' : 'direct',
    addressed: true,
    userId: interaction.user.id,
    channelId: interaction.channelId,
    locale,
    conversation,
  });
  const sent = await editWithOutcome(ctx, interaction, outcome, await ctx.bot.langFor(interaction.user.id, text, locale));
  if (sent) await ctx.bot.linkConversation(`discord:${sent.id}`, conversation);
}
