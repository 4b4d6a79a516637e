/**
 * `/check target: [header:]` — the sender-side DNS checks of a domain, an address or an IP; a pasted DKIM-Signature
 * header names the selector to check. Deferred at once, then edited.
 */
import type { ChatInputCommandInteraction } from 'discord.js';
import { runCheckWithEdit } from '../check-run.js';
import { langOfLocale, NO_PINGS, type DiscordContext } from '../context.js';

export async function checkCommand(ctx: DiscordContext, interaction: ChatInputCommandInteraction): Promise<void> {
  await interaction.deferReply();
  const request = {
    target: interaction.options.getString('target', true).trim(),
    lang: await ctx.bot.langFor(interaction.user.id, '', langOfLocale(interaction.locale)),
    userId: interaction.user.id,
    text: interaction.options.getString('header') ?? '',
  };
  await runCheckWithEdit(ctx, request, (m) => interaction.editReply({ ...m, allowedMentions: NO_PINGS }));
}
