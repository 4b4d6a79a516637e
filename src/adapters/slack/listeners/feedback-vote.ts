/**
 * 👍 / 👎 under a diagnosis. 👍 says thanks; 👎 keeps the diagnosis (redacted) for review and asks, only to the
 * presser, what the problem really was (listeners/feedback-label.ts takes the answer).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { t } from '../../../engine/i18n.js';
import type { Lang } from '../../../engine/types.js';
import { decodeActionValue, renderFeedbackPicker } from '../../../render/slack.js';
import type { SlackContext } from '../context.js';
import { apologize, render, respondOrPost } from '../post.js';

export function note(ctx: SlackContext, lang: Lang, key: string) {
  return render(ctx, { kind: 'info', lang, title: t(ctx.bot.kb.ui, key, lang), summary: '', severity: 'info', sections: [], actions: [] });
}

export function registerFeedbackVote(app: App, shared: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(/^feedback-(up|down)$/, async ({ ack, body, action, respond: respondOnce, client }) => {
    await ack();
    const respond = respondOrPost(shared, client, respondOnce, { channel: body.channel?.id, userId: body.user.id });
    const ctx = { ...shared, log: shared.log.child({ team: body.team?.id, channel: body.channel?.id, action: action.action_id }) };
    const payload = decodeActionValue(action.value);
    const userId = body.user.id;
    const lang = payload?.lang ?? (await ctx.bot.langFor(userId, ''));
    const vote = action.action_id === 'feedback-up' ? 'up' : 'down';
    try {
      const id = payload?.value ?? '';
      const known = id ? await ctx.bot.feedback.vote(id, vote) : false;
      if (known) ctx.metrics.feedback.inc({ platform: 'slack', vote });
      const message = !known ? note(ctx, lang, 'bot.feedback.expired') : vote === 'up' ? note(ctx, lang, 'bot.feedback.thanks') : renderFeedbackPicker(ctx.bot.kb.ui, lang, id, ctx.bot.feedbackChoices(lang));
      await respond({ response_type: 'ephemeral', replace_original: false, ...message });
    } catch (err) {
      await apologize(ctx, 'recording feedback', err, lang, (m) => respond({ response_type: 'ephemeral', replace_original: false, ...m }));
    }
  });
}
