/** Posting to Slack: a reply in a conversation, a DM to a user, and the apology when something failed. */
import type { RespondArguments, RespondFn } from '@slack/bolt';
import { errorReply } from '../../bot/replies.js';
import { t } from '../../engine/i18n.js';
import type { Lang } from '../../engine/types.js';
import type { Reply } from '../../render/model.js';
import { renderSlack, type SlackMessage } from '../../render/slack.js';
import type { Destination, SlackClient, SlackContext } from './context.js';

export interface Posted {
  channel: string;
  ts: string;
}

export async function post(client: SlackClient, dest: Destination, message: SlackMessage): Promise<Posted> {
  const res = await client.chat.postMessage({
    channel: dest.channel,
    ...(dest.threadTs ? { thread_ts: dest.threadTs } : {}),
    text: message.text,
    blocks: message.blocks,
  });
  if (!res.ts) throw new Error('chat.postMessage returned no ts');
  return { channel: res.channel ?? dest.channel, ts: res.ts };
}

export async function update(client: SlackClient, at: Posted, message: SlackMessage): Promise<void> {
  await client.chat.update({ channel: at.channel, ts: at.ts, text: message.text, blocks: message.blocks });
}

/** The user's DM with the app (conversations.open, scope im:write). */
export async function openDm(client: SlackClient, userId: string): Promise<string> {
  const res = await client.conversations.open({ users: userId });
  const id = res.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}

/** Errors that mean "the app cannot post there" (not invited, DM between other people, archived). */
const UNREACHABLE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action', 'access_denied']);

export function slackErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const data = (err as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/**
 * Posts where the user asked; when the app cannot post there (a slash command or button in a channel it was not
 * invited to), posts to the user's DM instead, with a line saying why.
 */
export async function postOrDm(ctx: SlackContext, client: SlackClient, dest: Destination, message: SlackMessage, userId: string, lang: Lang): Promise<Posted> {
  try {
    return await post(client, dest, message);
  } catch (err) {
    const code = slackErrorCode(err);
    if (!code || !UNREACHABLE.has(code)) throw err;
    ctx.log.info({ code, channel: dest.channel }, 'slack: cannot post in the channel, answering by DM');
    const dm = await openDm(client, userId);
    await client.chat.postMessage({ channel: dm, text: t(ctx.bot.kb.ui, 'slack.probe.moved-to-dm', lang) });
    return post(client, { channel: dm }, message);
  }
}

export function render(ctx: SlackContext, reply: Reply, interactive = false): SlackMessage {
  return renderSlack(reply, ctx.bot.kb.ui, { interactive });
}

/** Logs the failure (the logger redacts secrets) and tells the user, in a short apology. Never throws. */
export async function apologize(ctx: SlackContext, what: string, err: unknown, lang: Lang, say: (m: SlackMessage) => Promise<unknown>): Promise<void> {
  ctx.log.error({ err, code: slackErrorCode(err) }, `slack: ${what} failed`);
  try {
    await say(render(ctx, errorReply(ctx.bot.kb, lang)));
  } catch (again) {
    ctx.log.error({ err: again, code: slackErrorCode(again) }, 'slack: the apology could not be sent either');
  }
}

/**
 * `respond` with a way out: a response URL expires (30 minutes, five uses) and then fails, and the user would get
 * nothing — not even the apology, which would go the same way. Then the message goes as an ephemeral message in the
 * conversation, or, when the app cannot post there, to the user's DM.
 */
/** What listeners answer with: `respond`, or a way around it when its URL has expired. */
export type Say = (message: string | RespondArguments) => Promise<unknown>;

export function respondOrPost(ctx: SlackContext, client: SlackClient, respond: RespondFn, where: { channel: string | undefined; userId: string }): Say {
  return async (message) => {
    try {
      return await respond(message);
    } catch (err) {
      ctx.log.warn({ err, channel: where.channel }, 'slack: the response URL failed; answering another way');
      const m = typeof message === 'string' ? { text: message } : message;
      const blocks = 'blocks' in m ? m.blocks : undefined;
      const content = { text: m.text ?? '', ...(blocks ? { blocks } : {}) };
      if (where.channel) {
        try {
          return await client.chat.postEphemeral({ channel: where.channel, user: where.userId, ...content });
        } catch (again) {
          if (!UNREACHABLE.has(slackErrorCode(again) ?? '')) throw again;
        }
      }
      return client.chat.postMessage({ channel: await openDm(client, where.userId), ...content });
    }
  };
}
