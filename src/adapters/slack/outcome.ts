/**
 * What the bot decided (src/bot/core.ts Outcome) → what Slack shows. Channel answers go in the message's thread;
 * the interactive checklist lives in the user's DM, because its ticks are that user's progress.
 */
import type { Outcome } from '../../bot/core.js';
import { t } from '../../engine/i18n.js';
import type { Reply } from '../../render/model.js';
import type { Destination, SlackClient, SlackContext } from './context.js';
import { openDm, post, render, type Say } from './post.js';
import { runCheck } from './check.js';
import { runProbe } from './probe.js';

export interface Origin {
  userId: string;
  /** Where answers go: the thread of the message, the DM, or the conversation a command was typed in. */
  dest: Destination;
  /** The user's own DM with the app: a checklist there can be ticked off in place. */
  direct: boolean;
  /** For slash commands and buttons: answers only the user sees, through the response URL. */
  respond?: Say;
}

export async function deliver(ctx: SlackContext, client: SlackClient, outcome: Outcome, origin: Origin): Promise<void> {
  if (outcome.type === 'silent') return;
  await ctx.bot.waitTurn(origin.dest.channel, outcome);
  countReply(ctx, outcome);
  if (outcome.type === 'probe') {
    await runProbe(ctx, client, origin.dest, outcome.request);
    return;
  }
  if (outcome.type === 'check') {
    await runCheck(ctx, client, origin.dest, outcome.request);
    return;
  }
  const reply = outcome.reply;
  const plainChecklist = reply.kind === 'checklist' && !outcome.diagnosis;
  if (plainChecklist && !origin.direct) {
    await sendChecklist(ctx, client, reply, origin);
    return;
  }
  const message = render(ctx, reply, plainChecklist && origin.direct);
  if (origin.respond) await origin.respond({ response_type: 'ephemeral', replace_original: false, ...message });
  else await post(client, origin.dest, message);
}

/** The checklist as checkboxes in the user's DM, and a line where they asked saying it is there. */
export async function sendChecklist(ctx: SlackContext, client: SlackClient, checklist: Reply, origin: Origin): Promise<void> {
  const dm = await openDm(client, origin.userId);
  await post(client, { channel: dm }, render(ctx, checklist, true));
  if (dm === origin.dest.channel) return;
  const note = t(ctx.bot.kb.ui, 'slack.checklist.sent-dm', checklist.lang, { user: origin.userId });
  if (origin.respond) await origin.respond({ response_type: 'ephemeral', replace_original: false, text: note });
  else await client.chat.postMessage({ channel: origin.dest.channel, ...(origin.dest.threadTs ? { thread_ts: origin.dest.threadTs } : {}), text: note });
}


function countReply(ctx: SlackContext, outcome: Outcome): void {
  if (outcome.type === 'reply') {
    ctx.metrics.replies.inc({ platform: 'slack', kind: outcome.reply.kind, category: outcome.diagnosis?.category ?? 'none' });
    if (outcome.unknown) ctx.metrics.unknown.inc({ platform: 'slack' });
  } else if (outcome.type === 'probe') {
    ctx.metrics.replies.inc({ platform: 'slack', kind: 'probe', category: 'none' });
  }
}
