/** `app_home_opened` (the Home tab): the tab is drawn for the user who opened it, in their language. */
import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { publishHome } from '../home.js';
import { slackErrorCode } from '../post.js';

export function registerAppHomeOpened(app: App, shared: SlackContext): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    // The Messages tab sends this event too; only the Home tab has something to draw.
    if (event.tab !== 'home') return;
    const ctx = { ...shared, log: shared.log.child({ team: body.team_id, event: body.event_id }) };
    try {
      await publishHome(ctx, client, event.user);
    } catch (err) {
      ctx.log.error({ err, code: slackErrorCode(err) }, 'slack: publishing the Home tab failed');
    }
  });
}
