/**
 * The AUTH modal's submission: the probe runs once with the credentials typed, and they are forgotten when it ends.
 * They are read from the submission into two local variables, handed to the probe service and to nothing else:
 * no message, no log line, no stored state. (Bolt's own debug log, which prints whole payloads, is switched off in
 * bolt-logger.ts for the same reason.)
 */
import type { App } from '@slack/bolt';
import { t } from '../../../engine/i18n.js';
import { AUTH_MODAL_CALLBACK, AUTH_MODAL_PASS, AUTH_MODAL_USER, decodeAuthModalState } from '../../../render/slack.js';
import type { SlackContext } from '../context.js';
import { apologize, openDm, post } from '../post.js';
import { runProbe } from '../probe.js';

export function registerAuthModalSubmit(app: App, ctx: SlackContext): void {
  app.view(AUTH_MODAL_CALLBACK, async ({ ack, view, body, client }) => {
    const values = view.state.values;
    const user = values[AUTH_MODAL_USER]?.[AUTH_MODAL_USER]?.value?.trim() ?? '';
    const pass = values[AUTH_MODAL_PASS]?.[AUTH_MODAL_PASS]?.value ?? '';
    const state = decodeAuthModalState(view.private_metadata);
    const userId = body.user.id;
    const lang = state?.lang ?? await ctx.bot.langFor(userId, '');
    const required = t(ctx.bot.kb.ui, 'slack.modal.required', lang);
    const errors: Record<string, string> = {};
    if (!user) errors[AUTH_MODAL_USER] = required;
    if (!pass) errors[AUTH_MODAL_PASS] = required;
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    try {
      if (!state) throw new Error('AUTH modal submitted without its state');
      const dest = state.channel ? { channel: state.channel, ...(state.threadTs ? { threadTs: state.threadTs } : {}) } : { channel: await openDm(client, userId) };
      await runProbe(ctx, client, dest, { target: state.target, ports: [], lang, userId }, { user, pass });
    } catch (err) {
      await apologize(ctx, 'the AUTH test', err, lang, async (m) => post(client, { channel: await openDm(client, userId) }, m));
    }
  });
}
