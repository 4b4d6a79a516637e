/**
 * A press on a button this version does not know (from a message an older or newer version posted) is acknowledged
 * and logged, so that Slack does not show the user an error after 3 seconds. Known actions have their own listeners.
 */
import type { App, BlockAction } from '@slack/bolt';
import { CHECKLIST_TOGGLE_ACTION, FEEDBACK_LABEL_ACTION, HOME_LANG_ACTION } from '../../../render/slack.js';
import { CONVERSATION_ACTIONS } from '../../../render/model.js';
import { escapeRegExp } from '../../../engine/regexp.js';
import type { SlackContext } from '../context.js';

const KNOWN = ['run-probe', 'run-check', 'show-checklist', 'auth-test', 'feedback-up', 'feedback-down', ...CONVERSATION_ACTIONS, CHECKLIST_TOGGLE_ACTION, FEEDBACK_LABEL_ACTION, HOME_LANG_ACTION];
const UNKNOWN = new RegExp(`^(?!(?:${KNOWN.map(escapeRegExp).join('|')})$)`);

export function registerUnknownAction(app: App, ctx: SlackContext): void {
  app.action<BlockAction>({ action_id: UNKNOWN }, async ({ ack, body, action }) => {
    await ack();
    ctx.log.warn({ team: body.team?.id, channel: body.channel?.id, action: 'action_id' in action ? action.action_id : undefined }, 'slack: a button this version does not know was pressed');
  });
}
