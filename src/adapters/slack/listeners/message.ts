/**
 * `message` events (scopes channels:history, groups:history, im:history): a pasted error in a channel the app is in
 * gets a diagnosis in the message's thread, ordinary chat gets nothing; in the DM every message is answered.
 * Bots (this one included), edits, deletions and other system subtypes are ignored; a message that mentions the
 * app is left to the `app_mention` listener so that it gets one answer, not two. A shared text file (a log, a bounce)
 * is fetched and read instead of the message's text (src/adapters/slack/files.ts).
 */
import type { App } from '@slack/bolt';
import type { Outcome } from '../../../bot/core.js';
import type { SlackContext } from '../context.js';
import { deliver } from '../outcome.js';
import { apologize, post } from '../post.js';
import { slackFileOutcome, type SlackFile } from '../files.js';
import { fromSlackText, mentions } from '../slack-text.js';

/** Subtypes that are still a person writing: a reply also sent to the channel, and a message with a file. */
const USER_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

/** The fields read here. The event type is a union of some thirty message subtypes, most without these fields. */
interface MessageFields {
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
  files?: SlackFile[];
}

export function registerMessage(app: App, shared: SlackContext): void {
  app.event('message', async ({ event, body, context, client }) => {
    const m = event as unknown as MessageFields;
    if (!USER_SUBTYPES.has(m.subtype) || m.bot_id || !m.user || m.user === context.botUserId) return;
    const direct = m.channel_type === 'im';
    if (!direct && m.channel_type !== 'channel' && m.channel_type !== 'group') return;
    const raw = m.text ?? '';
    if (!direct && mentions(raw, context.botUserId)) return;
    const ctx = { ...shared, log: shared.log.child({ team: body.team_id, channel: m.channel, event: body.event_id }) };
    if (!(await ctx.seen.claim(`event:${body.event_id}`, `msg:${m.channel}:${m.ts}`))) {
      ctx.metrics.duplicatesDropped.inc({ platform: 'slack' });
      ctx.log.debug({ retry: context.retryNum }, 'slack: repeated message event ignored');
      return;
    }
    ctx.metrics.messagesSeen.inc({ platform: 'slack' });
    if (direct) ctx.metrics.addressed.inc({ platform: 'slack' });
    const text = fromSlackText(raw, context.botUserId);
    const dest = direct ? { channel: m.channel, ...(m.thread_ts ? { threadTs: m.thread_ts } : {}) } : { channel: m.channel, threadTs: m.thread_ts ?? m.ts };
    let outcome: Outcome | undefined;
    try {
      // A thread is one conversation; so is a DM outside threads.
      const conversation = direct ? `slack:${m.channel}${m.thread_ts ? `:${m.thread_ts}` : ''}` : `slack:${m.channel}:${m.thread_ts ?? m.ts}`;
      const incoming = { platform: 'slack' as const, text, place: direct ? ('direct' as const) : ('channel' as const), addressed: false, userId: m.user, channelId: m.channel, conversation };
      outcome = (await slackFileOutcome(ctx, client, m.files, incoming)) ?? (await ctx.bot.handle(incoming));
      await deliver(ctx, client, outcome, { userId: m.user, dest, direct });
    } catch (err) {
      // In a channel, a message nobody asked the bot about gets no apology either: the failure is only logged.
      if (direct || (outcome && outcome.type !== 'silent')) {
        await apologize(ctx, 'answering a message', err, await ctx.bot.langFor(m.user, text), (msg) => post(client, dest, msg));
      } else {
        ctx.log.error({ err }, 'slack: reading a channel message failed');
      }
    }
  });
}
