/** "Show the checklist": the presser's own checklist, only for them, starting where the diagnosis points. */
import type { ButtonInteraction } from 'discord.js';
import type { CategoryId, Lang } from '../../../engine/types.js';
import { EPHEMERAL, render, type DiscordContext } from '../context.js';

export async function showChecklistButton(ctx: DiscordContext, interaction: ButtonInteraction, lang: Lang, value: string): Promise<void> {
  // The button carries a diagnosis's category, or a probe target (which focuses nothing).
  const focus = ctx.bot.kb.checklist.some((s) => s.categories.some((c) => c === value)) ? (value as CategoryId) : undefined;
  await interaction.reply({ ...render(ctx, await ctx.bot.checklist(interaction.user.id, lang, focus)), flags: EPHEMERAL });
}
