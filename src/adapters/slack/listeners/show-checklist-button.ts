/** The "Show the checklist" button: the checklist with the user's progress, in their DM, put in focus for a diagnosis. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { CategoryId } from '../../../engine/types.js';
import { decodeActionValue } from '../../../render/slack.js';
import { pressedIn } from '../actions.js';
import type { SlackContext } from '../context.js';
import { sendChecklist } from '../outcome.js';
import { apologize, respondOrPost } from '../post.js';

export function registerShowChecklistButton(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>('show-checklist', async ({ ack, body, action, client, respond: respondOnce }) => {
    await ack();
    const respond = respondOrPost(ctx, client, respondOnce, { channel: body.channel?.id, userId: body.user.id });
    const payload = decodeActionValue(action.value);
    const userId = body.user.id;
    const lang = await ctx.bot.langFor(userId, '', payload?.lang);
    // A diagnosis hands over its category; other buttons hand over other things (a probe target), which focus nothing.
    const focus = ctx.bot.kb.checklist.some((s) => s.categories.some((c) => c === payload?.value)) ? (payload?.value as CategoryId) : undefined;
    const where = pressedIn(body);
    try {
      const checklist = await ctx.bot.checklist(userId, lang, focus);
      await sendChecklist(ctx, client, checklist, { userId, dest: where.dest ?? { channel: '' }, direct: where.direct, respond });
    } catch (err) {
      await apologize(ctx, 'the show-checklist button', err, lang, (m) => respond({ response_type: 'ephemeral', replace_original: false, ...m }));
    }
  });
}
