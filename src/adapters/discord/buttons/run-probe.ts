/** "Run the suggested test" under a diagnosis: a new message (the diagnosis stays), edited as the probe runs. */
import type { ButtonInteraction } from 'discord.js';
import type { Lang } from '../../../engine/types.js';
import { NO_PINGS, type DiscordContext } from '../context.js';
import { runProbeWithEdits } from '../probe-run.js';
import { replyEditor } from '../reply-edit.js';

export async function runProbeButton(ctx: DiscordContext, interaction: ButtonInteraction, lang: Lang, target: string): Promise<void> {
  await interaction.deferReply();
  const request = { target, ports: [], lang, userId: interaction.user.id };
  const edit = replyEditor(ctx, interaction);
  await runProbeWithEdits(ctx, request, (m) => edit({ ...m, allowedMentions: NO_PINGS }));
}
