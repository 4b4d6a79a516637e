/** The "Check the sender's DNS" button under a sender-authentication or IP-reputation diagnosis, in the same thread. */
import type { App } from '@slack/bolt';
import { onTargetButton } from '../actions.js';
import { runCheck } from '../check.js';
import type { SlackContext } from '../context.js';

export function registerRunCheckButton(app: App, ctx: SlackContext): void {
  onTargetButton(app, ctx, 'run-check', (client, dest, job) => runCheck(ctx, client, dest, job));
}
