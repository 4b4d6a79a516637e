/** `/checklist [lang]` — the checklist with this user's progress, only for them (each user ticks their own steps). */
import type { ChatInputCommandInteraction } from 'discord.js';
import type { Lang } from '../../../engine/types.js';
import { EPHEMERAL, langOfLocale, render, type DiscordContext } from '../context.js';

export async function checklistCommand(ctx: DiscordContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const chosen = interaction.options.getString('lang');
  const lang: Lang = chosen === 'ja' || chosen === 'en' ? chosen : await ctx.bot.langFor(interaction.user.id, '', langOfLocale(interaction.locale));
  await interaction.reply({ ...render(ctx, await ctx.bot.checklist(interaction.user.id, lang)), flags: EPHEMERAL });
}
