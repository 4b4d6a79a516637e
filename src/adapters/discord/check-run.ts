/** Runs a sender check behind a Discord message: "checking…" is already shown; the report (or refusal) replaces it. */
import type { CheckRequest } from '../../bot/core.js';
import { t } from '../../engine/i18n.js';
import { render, type DiscordContext } from './context.js';
import type { EditMessage } from './probe-run.js';

export async function runCheckWithEdit(ctx: DiscordContext, request: CheckRequest, edit: EditMessage): Promise<void> {
  if (!ctx.probe?.check) {
    await edit({ content: t(ctx.bot.kb.ui, 'check.disabled', request.lang), embeds: [], components: [] });
    return;
  }
  await edit(render(ctx, await ctx.probe.check(request)));
}
