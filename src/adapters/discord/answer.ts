/** Turning an engine outcome into an interaction answer, and the apology when something fails. */
import type { Message, RepliableInteraction } from 'discord.js';
import type { Outcome } from '../../bot/core.js';
import { errorReply, helpReply } from '../../bot/replies.js';
import type { Lang } from '../../engine/types.js';
import { EPHEMERAL, NO_PINGS, render, type DiscordContext } from './context.js';
import { runCheckWithEdit } from './check-run.js';
import { runProbeWithEdits } from './probe-run.js';
import { replyEditor } from './reply-edit.js';

/**
 * Answers a deferred interaction by editing its reply: the diagnosis, or the probe's live progress and report. Gives
 * back the message a reply became, so that a conversation can go on from it.
 */
export async function editWithOutcome(ctx: DiscordContext, interaction: RepliableInteraction, outcome: Outcome, lang: Lang): Promise<Message | undefined> {
  const edit = replyEditor(ctx, interaction);
  switch (outcome.type) {
    case 'reply': {
      const sent = await edit({ ...render(ctx, outcome.reply), allowedMentions: NO_PINGS });
      ctx.metrics.replies.inc({ platform: 'discord', kind: outcome.reply.kind, category: outcome.diagnosis?.category ?? 'none' });
      if (outcome.unknown) ctx.metrics.unknown.inc({ platform: 'discord' });
      return sent;
    }
    case 'probe':
      ctx.metrics.replies.inc({ platform: 'discord', kind: 'probe', category: 'none' });
      await runProbeWithEdits(ctx, outcome.request, (m) => edit({ ...m, allowedMentions: NO_PINGS }));
      return;
    case 'check':
      await runCheckWithEdit(ctx, outcome.request, (m) => edit({ ...m, allowedMentions: NO_PINGS }));
      return;
    case 'silent':
      // A command always gets an answer; an empty one gets the help.
      await edit(render(ctx, helpReply(ctx.bot.kb, lang)));
  }
  return undefined;
}

/** Logs the failure (the logger redacts) and tells the user briefly; a failure to apologise is only logged. */
export async function apologize(ctx: DiscordContext, interaction: RepliableInteraction, lang: Lang, err: unknown): Promise<void> {
  ctx.log.error({ err, interaction: interaction.id, user: interaction.user.id }, 'discord: handling an interaction failed');
  const message = render(ctx, errorReply(ctx.bot.kb, lang), { buttons: false });
  try {
    if (interaction.deferred && !interaction.replied) await replyEditor(ctx, interaction)(message);
    else if (interaction.replied) await interaction.followUp({ ...message, flags: EPHEMERAL });
    else await interaction.reply({ ...message, flags: EPHEMERAL });
  } catch (again) {
    ctx.log.warn({ err: again }, 'discord: could not send the apology either');
  }
}

export async function apologizeToMessage(ctx: DiscordContext, message: Message, lang: Lang, err: unknown): Promise<void> {
  ctx.log.error({ err, message: message.id, channel: message.channelId }, 'discord: handling a message failed');
  try {
    await message.reply({ ...render(ctx, errorReply(ctx.bot.kb, lang), { buttons: false }), allowedMentions: NO_PINGS });
  } catch (again) {
    ctx.log.warn({ err: again }, 'discord: could not send the apology either');
  }
}
