/**
 * Runs a probe behind a Discord message that is edited as steps finish: at most one edit per interval (Discord
 * rate-limits edits, and a progress line a second reads well), the final report always last.
 */
import type { ProbeRequest } from '../../bot/core.js';
import type { ProbeCredentials } from '../../bot/probe-port.js';
import { t } from '../../engine/i18n.js';
import type { Reply } from '../../render/model.js';
import type { DiscordMessage } from '../../render/discord.js';
import { render, type DiscordContext } from './context.js';

export type EditMessage = (message: DiscordMessage) => Promise<unknown>;

export async function runProbeWithEdits(
  ctx: DiscordContext,
  request: ProbeRequest,
  edit: EditMessage,
  credentials?: ProbeCredentials,
): Promise<void> {
  if (!ctx.probe) {
    await edit({ content: t(ctx.bot.kb.ui, 'bot.probe.disabled', request.lang), embeds: [], components: [] });
    return;
  }
  let lastEdit = 0;
  let pending: Reply | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  let edits: Promise<void> = Promise.resolve();

  const flush = (): void => {
    timer = undefined;
    const reply = pending;
    pending = undefined;
    if (!reply || finished) return;
    lastEdit = Date.now();
    edits = edits
      .then(() => edit(render(ctx, reply, { buttons: false })))
      .then(
        () => undefined,
        (err: unknown) => ctx.log.warn({ err }, 'discord: a probe progress edit failed'),
      );
  };
  const onProgress = (reply: Reply): void => {
    pending = reply;
    if (timer) return;
    timer = setTimeout(flush, Math.max(0, lastEdit + ctx.progressIntervalMs - Date.now()));
  };

  try {
    const final = await ctx.probe.run(request, onProgress, credentials);
    finished = true;
    clearTimeout(timer);
    await edits;
    await edit(render(ctx, final));
  } finally {
    finished = true;
    clearTimeout(timer);
  }
}
