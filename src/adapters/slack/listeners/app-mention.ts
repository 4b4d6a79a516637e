/**
 * `app_mention` (scope app_mentions:read): "@smtp-doctor …" is always answered, in the message's thread — a
 * diagnosis, the checklist (sent by DM), a probe, or short help when the text says nothing the bot understands.
 */
import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { deliver } from '../outcome.js';
import { slackFileOutcome, type SlackFile } from '../files.js';
import { apologize, post } from '../post.js';
import { fromSlackText } from '../slack-text.js';

export function registerAppMention(app: App, shared: SlackContext): void {
  app.event('app_mention', async ({ event, body, context, client }) => {
    const user = event.user;
    if (!user || event.bot_id || user === context.botUserId) return;
    const ctx = { ...shared, log: shared.log.child({ team: body.team_id, channel: event.channel, event: body.event_id }) };
    if (!(await ctx.seen.claim(`event:${body.event_id}`, `msg:${event.channel}:${event.ts}`))) {
      ctx.metrics.duplicatesDropped.inc({ platform: 'slack' });
      ctx.log.debug({ retry: context.retryNum }, 'slack: repeated mention ignored');
      return;
    }
    ctx.metrics.messagesSeen.inc({ platform: 'slack' });
    ctx.metrics.addressed.inc({ platform: 'slack' });
    const text = fromSlackText(event.text, context.botUserId);
    const dest = { channel: event.channel, threadTs: event.thread_ts ?? event.ts };
    try {
      const incoming = { platform: 'slack' as const, text, place: 'channel' as const, addressed: true, userId: user, channelId: event.channel, conversation: `slack:${event.channel}:${event.thread_ts ?? event.ts}` };
      const files = (event as { files?: SlackFile[] }).files;
      const outcome = (await slackFileOutcome(ctx, client, files, incoming)) ?? (await ctx.bot.handle(incoming));
      await deliver(ctx, client, outcome, { userId: user, dest, direct: false });
    } catch (err) {
      await apologize(ctx, 'answering a mention', err, await ctx.bot.langFor(user, text), (msg) => post(client, dest, msg));
    }
  });
}
