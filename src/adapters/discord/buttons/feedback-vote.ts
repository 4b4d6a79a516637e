/**
 * 👍 / 👎 under a diagnosis. 👍 says thanks; 👎 keeps the diagnosis (redacted) for review and asks, only to the
 * presser, what the problem really was (selects/feedback-label.ts takes the answer).
 */
import type { ButtonInteraction } from 'discord.js';
import { t } from '../../../engine/i18n.js';
import type { Lang } from '../../../engine/types.js';
import { renderFeedbackPicker } from '../../../render/discord.js';
import { EPHEMERAL, type DiscordContext } from '../context.js';

export async function feedbackVoteButton(ctx: DiscordContext, interaction: ButtonInteraction, lang: Lang, id: string, vote: 'up' | 'down'): Promise<void> {
  const known = id ? await ctx.bot.feedback.vote(id, vote) : false;
  if (known) ctx.metrics.feedback.inc({ platform: 'discord', vote });
  const ui = ctx.bot.kb.ui;
  if (!known) await interaction.reply({ content: t(ui, 'bot.feedback.expired', lang), flags: EPHEMERAL });
  else if (vote === 'up') await interaction.reply({ content: t(ui, 'bot.feedback.thanks', lang), flags: EPHEMERAL });
  else await interaction.reply({ ...renderFeedbackPicker(ui, lang, id, ctx.bot.feedbackChoices(lang)), flags: EPHEMERAL });
}
