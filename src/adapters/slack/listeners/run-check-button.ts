/** The "Check the sender's DNS" button under a sender-authentication or IP-reputation diagnosis, in the same thread. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeActionValue } from '../../../render/slack.js';
import { pressedIn } from '../actions.js';
import { runCheck } from '../check.js';
import type { SlackContext } from '../context.js';
import { apologize, openDm, post } from '../post.js';

export function registerRunCheckButton(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>('run-check', async ({ ack, body, action, client }) => {
    await ack();
    const payload = decodeActionValue(action.value);
    const userId = body.user.id;
    const lang = await ctx.bot.langFor(userId, '', payload?.lang);
    const where = pressedIn(body);
    try {
      if (!payload?.value) throw new Error('run-check button without a target');
      const dest = where.dest ?? { channel: await openDm(client, userId) };
      await runCheck(ctx, client, dest, { target: payload.value, lang, userId });
    } catch (err) {
      const dest = where.dest;
      await apologize(ctx, 'the run-check button', err, lang, async (m) => post(client, dest ?? { channel: await openDm(client, userId) }, m));
    }
  });
}
