/**
 * Runs a live probe for a Slack user: a message at once ("Testing …"), edited as results come in, ending with the
 * report. Credentials from the AUTH modal are handed to the probe service for this one run and go nowhere else:
 * not into a message, not into a log line (a failure is logged by name and code only when they were present).
 */
import type { ProbeRequest } from '../../bot/core.js';
import type { ProbeCredentials } from '../../bot/probe-port.js';
import { errorReply } from '../../bot/replies.js';
import { t } from '../../engine/i18n.js';
import { displayTarget } from '../../probe/target.js';
import type { Reply } from '../../render/model.js';
import type { Destination, SlackClient, SlackContext } from './context.js';
import { LiveMessage } from './live-message.js';
import { post, postOrDm, render, slackErrorCode } from './post.js';

function info(title: string, summary: string, request: ProbeRequest): Reply {
  return { kind: 'probe-progress', lang: request.lang, title, summary, severity: 'info', sections: [], actions: [] };
}

export async function runProbe(
  ctx: SlackContext,
  client: SlackClient,
  dest: Destination,
  request: ProbeRequest,
  credentials?: ProbeCredentials,
): Promise<void> {
  const ui = ctx.bot.kb.ui;
  const lang = request.lang;
  if (!ctx.probe) {
    await post(client, dest, render(ctx, info(t(ui, 'bot.probe.disabled', lang), '', request)));
    return;
  }
  const target = displayTarget(request.target);
  const starting = credentials
    ? info(t(ui, 'slack.probe.auth-starting', lang, { target }), t(ui, 'slack.probe.auth-note', lang), request)
    : info(t(ui, 'slack.probe.starting', lang, { target }), t(ui, 'slack.probe.starting-summary', lang), request);
  const at = await postOrDm(ctx, client, dest, render(ctx, starting), request.userId, lang);
  const live = new LiveMessage(ctx, client, at);
  let final: Reply;
  try {
    final = await ctx.probe.run(request, (reply) => live.progress(reply), credentials);
  } catch (err) {
    if (credentials) {
      const e = err instanceof Error ? err : new Error('non-error thrown');
      ctx.log.error({ name: e.name, code: (e as { code?: unknown }).code }, 'slack: the AUTH probe failed');
    } else {
      ctx.log.error({ err }, 'slack: the probe failed');
    }
    final = errorReply(ctx.bot.kb, lang);
  }
  if (await live.finish(final)) return;
  try {
    await post(client, { channel: at.channel, ...(dest.threadTs && at.channel === dest.channel ? { threadTs: dest.threadTs } : {}) }, render(ctx, final));
  } catch (err) {
    ctx.log.error({ err, code: slackErrorCode(err) }, 'slack: the probe report could not be posted');
  }
}
