/**
 * A conversation's buttons ("More detail", "Next cause", "Done", "Didn't help"): a turn of the conversation the
 * button's value names, answered in the same thread.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeActionValue } from '../../../render/slack.js';
import { CONVERSATION_ACTIONS, type ConversationActionId } from '../../../render/model.js';
import { pressedIn } from '../actions.js';
import type { SlackContext } from '../context.js';
import { deliver } from '../outcome.js';
import { apologize, openDm, post } from '../post.js';

const ACTION = new RegExp(`^(?:${CONVERSATION_ACTIONS.join('|')})$`);

export function registerConversationButton(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const payload = decodeActionValue(action.value);
    const userId = body.user.id;
    const lang = payload?.lang ?? (await ctx.bot.langFor(userId, ''));
    const where = pressedIn(body);
    try {
      if (!payload?.value) throw new Error(`${action.action_id} button without a conversation`);
      const dest = where.dest ?? { channel: await openDm(client, userId) };
      const outcome = await ctx.bot.press(
        { platform: 'slack', text: '', place: where.direct ? 'direct' : 'channel', addressed: true, userId, channelId: dest.channel, locale: lang, conversation: payload.value },
        action.action_id as ConversationActionId,
      );
      await deliver(ctx, client, outcome, { userId, dest, direct: where.direct });
    } catch (err) {
      await apologize(ctx, `the ${action.action_id} button`, err, lang, async (m) => post(client, where.dest ?? { channel: await openDm(client, userId) }, m));
    }
  });
}
