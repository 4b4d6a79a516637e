/**
 * The "Test authentication" button under a probe report: opens a modal asking for the user name and password.
 * Credentials are never asked for in a message, where they would stay in the channel's history.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeActionValue, renderAuthModal } from '../../../render/slack.js';
import { pressedIn } from '../actions.js';
import type { SlackContext } from '../context.js';
import { apologize, respondOrPost } from '../post.js';

export function registerAuthTestButton(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>('auth-test', async ({ ack, body, action, client, respond: respondOnce }) => {
    const respond = respondOrPost(ctx, client, respondOnce, { channel: body.channel?.id, userId: body.user.id });
    // The trigger id expires 3 seconds after the press: ack and open the modal straight away.
    await ack();
    const payload = decodeActionValue(action.value);
    const userId = body.user.id;
    const lang = await ctx.bot.langFor(userId, '', payload?.lang);
    const dest = pressedIn(body).dest;
    try {
      if (!payload?.value) throw new Error('auth-test button without a target');
      const view = renderAuthModal(ctx.bot.kb.ui, { target: payload.value, lang, channel: dest?.channel ?? '', ...(dest?.threadTs ? { threadTs: dest.threadTs } : {}) });
      await client.views.open({ trigger_id: body.trigger_id, view });
    } catch (err) {
      await apologize(ctx, 'opening the AUTH modal', err, lang, (m) => respond({ response_type: 'ephemeral', replace_original: false, ...m }));
    }
  });
}
