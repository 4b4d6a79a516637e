/** The "Run the suggested test" button under a diagnosis: probes the server the paste named, in the same thread. */
import type { App } from '@slack/bolt';
import { onTargetButton } from '../actions.js';
import type { SlackContext } from '../context.js';
import { runProbe } from '../probe.js';

export function registerRunProbeButton(app: App, ctx: SlackContext): void {
  onTargetButton(app, ctx, 'run-probe', (client, dest, job) => runProbe(ctx, client, dest, { ...job, ports: [] }));
}
