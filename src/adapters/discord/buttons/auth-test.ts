/**
 * "Test authentication": credentials are asked for only in a modal (never in a channel message). The modal's
 * answer goes to modals/auth.ts; this button only opens it, which must be the interaction's first response.
 */
import { LabelBuilder, ModalBuilder, TextInputBuilder, TextInputStyle, type ButtonInteraction } from 'discord.js';
import { t } from '../../../engine/i18n.js';
import type { Lang } from '../../../engine/types.js';
import { encodeCustomId } from '../../../render/discord.js';
import type { DiscordContext } from '../context.js';

export const AUTH_FIELDS = { user: 'user', pass: 'pass' } as const;

export async function authTestButton(ctx: DiscordContext, interaction: ButtonInteraction, lang: Lang, target: string): Promise<void> {
  const ui = ctx.bot.kb.ui;
  const customId = encodeCustomId({ kind: 'auth-modal', lang, value: target });
  if (!customId) throw new Error('auth test: the target is too long for a modal id');
  const modal = new ModalBuilder()
    .setCustomId(customId)
    .setTitle(t(ui, 'discord.modal.title', lang))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel(t(ui, 'discord.modal.user', lang))
        .setTextInputComponent(new TextInputBuilder().setCustomId(AUTH_FIELDS.user).setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(256)),
      new LabelBuilder()
        .setLabel(t(ui, 'discord.modal.pass', lang))
        .setDescription(t(ui, 'discord.modal.pass-hint', lang))
        .setTextInputComponent(new TextInputBuilder().setCustomId(AUTH_FIELDS.pass).setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(256)),
    );
  await interaction.showModal(modal);
}
