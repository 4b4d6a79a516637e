/**
 * The AUTH test modal's answer: the probe runs once with the credentials and the result is shown only to the
 * user. The credentials live in this call only: not logged, not stored, never in a message.
 */
import type { ModalSubmitInteraction } from 'discord.js';
import type { Lang } from '../../../engine/types.js';
import { AUTH_FIELDS } from '../buttons/auth-test.js';
import { EPHEMERAL, NO_PINGS, type DiscordContext } from '../context.js';
import { runProbeWithEdits } from '../probe-run.js';

export async function authModalSubmit(ctx: DiscordContext, interaction: ModalSubmitInteraction, lang: Lang, target: string): Promise<void> {
  await interaction.deferReply({ flags: EPHEMERAL });
  const request = { target, ports: [], lang, userId: interaction.user.id };
  await runProbeWithEdits(ctx, request, (m) => interaction.editReply({ ...m, allowedMentions: NO_PINGS }), {
    user: interaction.fields.getTextInputValue(AUTH_FIELDS.user),
    pass: interaction.fields.getTextInputValue(AUTH_FIELDS.pass),
  });
}
