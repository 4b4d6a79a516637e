/**
 * Runs a sender check for a Slack user: "Checking …" at once where they asked (or in their DM when the app cannot
 * post there), replaced by the report or the refusal when the DNS answers are in.
 */
import type { CheckRequest } from '../../bot/core.js';
import { errorReply } from '../../bot/replies.js';
import { t } from '../../engine/i18n.js';
import type { Reply } from '../../render/model.js';
import type { Destination, SlackClient, SlackContext } from './context.js';
import { post, postOrDm, render, update } from './post.js';

function info(title: string, request: CheckRequest): Reply {
  return { kind: 'probe-progress', lang: request.lang, title, summary: '', severity: 'info', sections: [], actions: [] };
}

export async function runCheck(ctx: SlackContext, client: SlackClient, dest: Destination, request: CheckRequest): Promise<void> {
  const ui = ctx.bot.kb.ui;
  if (!ctx.probe?.check) {
    await post(client, dest, render(ctx, info(t(ui, 'check.disabled', request.lang), request)));
    return;
  }
  const at = await postOrDm(ctx, client, dest, render(ctx, info(t(ui, 'check.progress.starting', request.lang, { target: request.target }), request)), request.userId, request.lang);
  let final: Reply;
  try {
    final = await ctx.probe.check(request);
  } catch (err) {
    ctx.log.error({ err }, 'slack: the sender check failed');
    final = errorReply(ctx.bot.kb, request.lang);
  }
  await update(client, at, render(ctx, final));
}
