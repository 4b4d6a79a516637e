/** The category picked after 👎: stored with the disputed diagnosis as the user's label, and thanked for. */
import type { App, BlockAction, StaticSelectAction } from '@slack/bolt';
import { isLabel } from '../../../bot/feedback.js';
import { FEEDBACK_LABEL_ACTION } from '../../../render/slack.js';
import type { SlackContext } from '../context.js';
import { apologize, respondOrPost } from '../post.js';
import { note } from './feedback-vote.js';

export function registerFeedbackLabel(app: App, shared: SlackContext): void {
  app.action<BlockAction<StaticSelectAction>>(FEEDBACK_LABEL_ACTION, async ({ ack, body, action, respond: respondOnce, client }) => {
    await ack();
    const respond = respondOrPost(shared, client, respondOnce, { channel: body.channel?.id, userId: body.user.id });
    const ctx = { ...shared, log: shared.log.child({ team: body.team?.id, channel: body.channel?.id, action: FEEDBACK_LABEL_ACTION }) };
    const lang = await ctx.bot.langFor(body.user.id, '');
    try {
      const [id = '', label = ''] = action.selected_option.value.split('|');
      const stored = isLabel(label) && (await ctx.bot.feedback.label(id, label, 'user'));
      await respond({ replace_original: true, ...note(ctx, lang, stored ? 'bot.feedback.thanks' : 'bot.feedback.expired') });
    } catch (err) {
      await apologize(ctx, 'recording a feedback label', err, lang, (m) => respond({ response_type: 'ephemeral', replace_original: false, ...m }));
    }
  });
}
