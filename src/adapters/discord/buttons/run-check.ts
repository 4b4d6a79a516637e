/** "Check the sender's DNS" under a sender-authentication or IP-reputation diagnosis: a new message with the report. */
import type { ButtonInteraction } from 'discord.js';
import type { Lang } from '../../../engine/types.js';
import { runCheckWithEdit } from '../check-run.js';
import { NO_PINGS, type DiscordContext } from '../context.js';

export async function runCheckButton(ctx: DiscordContext, interaction: ButtonInteraction, lang: Lang, target: string): Promise<void> {
  await interaction.deferReply();
  await runCheckWithEdit(ctx, { target, lang, userId: interaction.user.id }, (m) => interaction.editReply({ ...m, allowedMentions: NO_PINGS }));
}
