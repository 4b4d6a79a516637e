/**
 * A tick in the checklist: the step is checked off (or on again) for this user, and the message is redrawn with
 * the new progress — chat.update for a normal message, the response URL for an ephemeral one.
 */
import type { App, BlockAction, CheckboxesAction } from '@slack/bolt';
import { CHECKLIST_TOGGLE_ACTION } from '../../../render/slack.js';
import { pressedIn } from '../actions.js';
import type { SlackContext } from '../context.js';
import { apologize, render, respondOrPost, update } from '../post.js';

const STEP_BLOCK = /^step:(ja|en):(.+)$/;

export function registerChecklistToggle(app: App, ctx: SlackContext): void {
  app.action<BlockAction<CheckboxesAction>>(CHECKLIST_TOGGLE_ACTION, async ({ ack, body, action, client, respond: respondOnce }) => {
    await ack();
    const respond = respondOrPost(ctx, client, respondOnce, { channel: body.channel?.id, userId: body.user.id });
    const step = STEP_BLOCK.exec(action.block_id);
    const userId = body.user.id;
    const lang = step?.[1] === 'ja' ? 'ja' : 'en';
    try {
      if (!step?.[2]) throw new Error(`checklist toggle from an unknown block "${action.block_id}"`);
      const reply = await ctx.bot.toggleStep(userId, step[2], action.selected_options.length > 0, lang);
      const message = render(ctx, reply, true);
      const where = pressedIn(body);
      if (where.message) await update(client, where.message, message);
      else await respond({ replace_original: true, ...message });
    } catch (err) {
      await apologize(ctx, 'ticking a checklist step', err, lang, (m) => respond({ response_type: 'ephemeral', replace_original: false, ...m }));
    }
  });
}
