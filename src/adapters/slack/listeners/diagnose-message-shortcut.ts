/**
 * The message shortcut "Diagnose this message" (⋯ on a message → smtp-doctor; scope commands): the diagnosis of
 * someone else's pasted error, shown only to the user who asked, through the shortcut's response URL.
 */
import type { App, MessageShortcut } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { deliver } from '../outcome.js';
import { apologize, respondOrPost } from '../post.js';
import { fromSlackText } from '../slack-text.js';
import { note } from './feedback-vote.js';

export const DIAGNOSE_MESSAGE_SHORTCUT = 'diagnose_message';

export function registerDiagnoseMessageShortcut(app: App, shared: SlackContext): void {
  app.shortcut<MessageShortcut>(DIAGNOSE_MESSAGE_SHORTCUT, async ({ ack, shortcut, respond: respondOnce, client, context }) => {
    await ack();
    const respond = respondOrPost(shared, client, respondOnce, { channel: shortcut.channel.id, userId: shortcut.user.id });
    const ctx = { ...shared, log: shared.log.child({ team: shortcut.team?.id, channel: shortcut.channel.id, shortcut: DIAGNOSE_MESSAGE_SHORTCUT }) };
    const userId = shortcut.user.id;
    const text = fromSlackText(shortcut.message.text ?? '', context.botUserId);
    const lang = await ctx.bot.langFor(userId, text);
    try {
      if (!text.trim()) {
        await respond({ response_type: 'ephemeral', replace_original: false, ...note(ctx, lang, 'slack.diagnose-message.empty') });
        return;
      }
      ctx.metrics.addressed.inc({ platform: 'slack' });
      const outcome = await ctx.bot.handle({ platform: 'slack', text, place: 'direct', addressed: true, userId, channelId: shortcut.channel.id });
      await deliver(ctx, client, outcome, { userId, dest: { channel: shortcut.channel.id, threadTs: shortcut.message.ts }, direct: false, respond });
    } catch (err) {
      await apologize(ctx, 'the diagnose-message shortcut', err, lang, (m) => respond({ response_type: 'ephemeral', replace_original: false, ...m }));
    }
  });
}
