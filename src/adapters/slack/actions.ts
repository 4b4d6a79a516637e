/** What the button and checkbox listeners share: where the pressed message is, who pressed, and the target buttons' handling. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Lang } from '../../engine/types.js';
import { decodeActionValue } from '../../render/slack.js';
import type { Destination, SlackClient, SlackContext } from './context.js';
import { apologize, openDm, post } from './post.js';

export interface PressedIn {
  /** Where an answer to the press goes: the message's thread, or the conversation of an ephemeral message. */
  dest: Destination | undefined;
  /** The message with the button, when it can be edited with chat.update (not ephemeral). */
  message: { channel: string; ts: string } | undefined;
  /** A message in the user's own DM with the app. */
  direct: boolean;
}

export function pressedIn(body: BlockAction): PressedIn {
  const channel = body.channel?.id;
  const ephemeral = body.container.is_ephemeral === true;
  const ts = body.message?.ts;
  const threadTs = typeof body.message?.thread_ts === 'string' ? body.message.thread_ts : undefined;
  if (!channel) return { dest: undefined, message: undefined, direct: false };
  if (ephemeral || !ts) return { dest: { channel }, message: undefined, direct: false };
  const direct = channel.startsWith('D');
  return {
    dest: direct ? { channel, ...(threadTs ? { threadTs } : {}) } : { channel, threadTs: threadTs ?? ts },
    message: { channel, ts },
    direct,
  };
}

export interface TargetJob {
  target: string;
  lang: Lang;
  userId: string;
}

/**
 * A button that runs a test on the target it carries (run-probe, run-check): answered in the pressed message's thread,
 * or in the presser's DM when the message cannot be answered there; a failure is apologised for in the same place.
 */
export function onTargetButton(
  app: App,
  ctx: SlackContext,
  actionId: string,
  run: (client: SlackClient, dest: Destination, job: TargetJob) => Promise<void>,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
    await ack();
    const payload = decodeActionValue(action.value);
    const userId = body.user.id;
    const lang = await ctx.bot.langFor(userId, '', payload?.lang);
    const where = pressedIn(body);
    try {
      if (!payload?.value) throw new Error(`${actionId} button without a target`);
      const dest = where.dest ?? { channel: await openDm(client, userId) };
      await run(client, dest, { target: payload.value, lang, userId });
    } catch (err) {
      const dest = where.dest;
      await apologize(ctx, `the ${actionId} button`, err, lang, async (m) => post(client, dest ?? { channel: await openDm(client, userId) }, m));
    }
  });
}
