/** The language menu on the Home tab: automatic (follow what the user writes), 日本語 or English; the tab is redrawn in it. */
import type { App, BlockAction, StaticSelectAction } from '@slack/bolt';
import { HOME_LANG_ACTION } from '../../../render/slack.js';
import type { SlackContext } from '../context.js';
import { publishHome } from '../home.js';
import { slackErrorCode } from '../post.js';

export function registerHomeLang(app: App, shared: SlackContext): void {
  app.action<BlockAction<StaticSelectAction>>(HOME_LANG_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const ctx = { ...shared, log: shared.log.child({ team: body.team?.id, action: HOME_LANG_ACTION }) };
    const value = action.selected_option.value;
    try {
      await ctx.bot.setLang(body.user.id, value === 'ja' || value === 'en' ? value : undefined);
      await publishHome(ctx, client, body.user.id);
    } catch (err) {
      ctx.log.error({ err, code: slackErrorCode(err) }, 'slack: changing the language on the Home tab failed');
    }
  });
}
