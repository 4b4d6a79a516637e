/** The category picked after 👎: stored with the disputed diagnosis as the user's label; the menu becomes a thank-you. */
import type { StringSelectMenuInteraction } from 'discord.js';
import { isLabel } from '../../../bot/feedback.js';
import { t } from '../../../engine/i18n.js';
import type { Lang } from '../../../engine/types.js';
import type { DiscordContext } from '../context.js';

export async function feedbackLabelSelect(ctx: DiscordContext, interaction: StringSelectMenuInteraction, lang: Lang, id: string): Promise<void> {
  const label = interaction.values[0] ?? '';
  const stored = isLabel(label) && (await ctx.bot.feedback.label(id, label, 'user'));
  await interaction.update({ content: t(ctx.bot.kb.ui, stored ? 'bot.feedback.thanks' : 'bot.feedback.expired', lang), components: [] });
}
