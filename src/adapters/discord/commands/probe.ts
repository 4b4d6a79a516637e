/** `/probe target: [port:]` — deferred at once, then the reply is edited as the probe's steps finish. */
import type { ChatInputCommandInteraction } from 'discord.js';
import { langOfLocale, NO_PINGS, type DiscordContext } from '../context.js';
import { runProbeWithEdits } from '../probe-run.js';
import { replyEditor } from '../reply-edit.js';

export async function probeCommand(ctx: DiscordContext, interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.deferReply();
  const port = interaction.options.getInteger('port');
  const request = {
    target: interaction.options.getString('target', true).trim(),
    ports: port === null ? [] : [port],
    lang: await ctx.bot.langFor(interaction.user.id, '', langOfLocale(interaction.locale)),
    userId: interaction.user.id,
  };
  const edit = replyEditor(ctx, interaction);
  await runProbeWithEdits(ctx, request, (m) => edit({ ...m, allowedMentions: NO_PINGS }));
}
