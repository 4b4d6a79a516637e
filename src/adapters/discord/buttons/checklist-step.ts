/**
 * A checklist step's button ticks the step off (or on again) for the presser. Their own checklist (ephemeral or in
 * a DM) is updated in place; a checklist posted in a channel is shared, so the presser gets their own copy instead.
 */
import type { ButtonInteraction } from 'discord.js';
import type { Lang } from '../../../engine/types.js';
import { EPHEMERAL, render, type DiscordContext } from '../context.js';

export async function checklistStepButton(ctx: DiscordContext, interaction: ButtonInteraction, lang: Lang, stepId: string): Promise<void> {
  const userId = interaction.user.id;
  const done = (await ctx.bot.checklist(userId, lang)).checklist?.find((s) => s.id === stepId)?.done ?? false;
  const message = render(ctx, await ctx.bot.toggleStep(userId, stepId, !done, lang));
  const own = !interaction.inGuild() || interaction.message.flags.has(EPHEMERAL);
  if (own) await interaction.update(message);
  else await interaction.reply({ ...message, flags: EPHEMERAL });
}
