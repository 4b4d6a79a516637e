/** Routes slash commands, buttons and modal answers to their handlers; any failure becomes a logged apology. */
import type { Interaction } from 'discord.js';
import { parseCustomId } from '../../../render/discord.js';
import { apologize } from '../answer.js';
import { authTestButton } from '../buttons/auth-test.js';
import { checklistStepButton } from '../buttons/checklist-step.js';
import { conversationButton } from '../buttons/conversation.js';
import { runCheckButton } from '../buttons/run-check.js';
import { feedbackVoteButton } from '../buttons/feedback-vote.js';
import { runProbeButton } from '../buttons/run-probe.js';
import { showChecklistButton } from '../buttons/show-checklist.js';
import { checkCommand } from '../commands/check.js';
import { checklistCommand } from '../commands/checklist.js';
import { COMMAND_NAMES, DIAGNOSE_MESSAGE_COMMAND } from '../commands/definitions.js';
import { diagnoseMessageCommand } from '../commands/diagnose-message.js';
import { diagnoseCommand } from '../commands/diagnose.js';
import { probeCommand } from '../commands/probe.js';
import { langOfLocale, type DiscordContext } from '../context.js';
import { authModalSubmit } from '../modals/auth.js';
import { feedbackLabelSelect } from '../selects/feedback-label.js';

export function onInteractionCreate(shared: DiscordContext): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    if (!interaction.isRepliable()) return;
    const ctx = { ...shared, log: shared.log.child({ guild: interaction.guildId ?? undefined, channel: interaction.channelId ?? undefined, interaction: interaction.id }) };
    if (interaction.isChatInputCommand()) ctx.metrics.addressed.inc({ platform: 'discord' });
    const id = interaction.isButton() || interaction.isModalSubmit() || interaction.isStringSelectMenu() ? parseCustomId(interaction.customId) : undefined;
    const lang = id?.lang ?? await ctx.bot.langFor(interaction.user.id, '', langOfLocale(interaction.locale));
    try {
      if (interaction.isChatInputCommand()) {
        switch (interaction.commandName) {
          case COMMAND_NAMES.diagnose:
            return await diagnoseCommand(ctx, interaction);
          case COMMAND_NAMES.checklist:
            return await checklistCommand(ctx, interaction);
          case COMMAND_NAMES.probe:
            return await probeCommand(ctx, interaction);
          case COMMAND_NAMES.check:
            return await checkCommand(ctx, interaction);
        }
        ctx.log.warn({ command: interaction.commandName }, 'discord: unknown slash command (registered by another version?)');
        return;
      }
      if (interaction.isMessageContextMenuCommand()) {
        if (interaction.commandName === DIAGNOSE_MESSAGE_COMMAND) return await diagnoseMessageCommand(ctx, interaction);
        ctx.log.warn({ command: interaction.commandName }, 'discord: unknown message command (registered by another version?)');
        return;
      }
      if (!id) return;
      if (interaction.isButton()) {
        switch (id.kind) {
          case 'run-probe':
            return await runProbeButton(ctx, interaction, id.lang, id.value);
          case 'run-check':
            return await runCheckButton(ctx, interaction, id.lang, id.value);
          case 'show-checklist':
            return await showChecklistButton(ctx, interaction, id.lang, id.value);
          case 'auth-test':
            return await authTestButton(ctx, interaction, id.lang, id.value);
          case 'step':
            return await checklistStepButton(ctx, interaction, id.lang, id.value);
          case 'more':
          case 'next-cause':
          case 'step-done':
          case 'step-failed':
            return await conversationButton(ctx, interaction, id.lang, id.kind, id.value);
          case 'feedback-up':
          case 'feedback-down':
            return await feedbackVoteButton(ctx, interaction, id.lang, id.value, id.kind === 'feedback-up' ? 'up' : 'down');
        }
      }
      if (interaction.isStringSelectMenu() && id.kind === 'fb-label') return await feedbackLabelSelect(ctx, interaction, id.lang, id.value);
      if (interaction.isModalSubmit() && id.kind === 'auth-modal') return await authModalSubmit(ctx, interaction, id.lang, id.value);
    } catch (err) {
      await apologize(ctx, interaction, lang, err);
    }
  };
}
