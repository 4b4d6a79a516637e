/** The "Run the suggested test" button under a diagnosis: probes the server the paste named, in the same thread. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeActionValue } from '../../../render/slack.js';
import { pressedIn } from '../actions.js';
import type { SlackContext } from '../context.js';
import { apologize, openDm, post } from '../post.js';
import { runProbe } from '../probe.js';

export function registerRunProbeButton(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>('run-probe', async ({ ack, body, action, client }) => {
    await ack();
    const payload = decodeActionValue(action.value);
    const userId = body.user.id;
    const lang = await ctx.bot.langFor(userId, '', payload?.lang);
    const where = pressedIn(body);
    try {
      if (!payload?.value) throw new Error('run-probe button without a target');
      const dest = where.dest ?? { channel: await openDm(client, userId) };
      await runProbe(ctx, client, dest, { target: payload.value, ports: [], lang, userId });
    } catch (err) {
      const dest = where.dest;
      await apologize(ctx, 'the run-probe button', err, lang, async (m) => post(client, dest ?? { channel: await openDm(client, userId) }, m));
    }
  });
}
