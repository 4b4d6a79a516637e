/**
 * The Slack app: Bolt in Socket Mode when an app-level token is configured (no public URL needed), otherwise in
 * HTTP mode on Bolt's endpoint /slack/events, where Bolt verifies every request's signature. The listeners only
 * translate Slack's events into the platform-neutral bot (src/bot/core.ts) and its replies into Block Kit.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, type webApi } from '@slack/bolt';
import type { Bot } from '../../bot/core.js';
import type { ProbeRunner } from '../../bot/probe-port.js';
import type { SlackConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import { hostOf } from '../download.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackContext } from './context.js';
import { RecentKeys } from './dedupe.js';
import { registerAppMention } from './listeners/app-mention.js';
import { registerAuthModalSubmit } from './listeners/auth-modal-submit.js';
import { registerAuthTestButton } from './listeners/auth-test-button.js';
import { registerChecklistToggle } from './listeners/checklist-toggle.js';
import { registerCommand } from './listeners/command.js';
import { registerMessage } from './listeners/message.js';
import { registerRunCheckButton } from './listeners/run-check-button.js';
import { registerRunProbeButton } from './listeners/run-probe-button.js';
import { registerShowChecklistButton } from './listeners/show-checklist-button.js';

export interface SlackStartOptions {
  /**
   * The Web API client's retry policy. The default retries a failed call a few times within about half a minute;
   * a 429 is always waited out for as long as Slack's Retry-After says. Tests pass `{ retries: 0 }`.
   */
  retryConfig?: webApi.RetryOptions;
  /** Least time between two edits of a live probe message (default 1 s, Slack's pace for message actions). */
  progressIntervalMs?: number;
}

export interface RunningSlack {
  app: App;
  /** The HTTP port Bolt listens on (HTTP mode only): tests start on port 0 and read it here. */
  port?: number;
  stop(): Promise<void>;
}

const DEFAULT_RETRY: webApi.RetryOptions = { retries: 4, factor: 2, minTimeout: 1000, maxTimeout: 10_000, randomize: true };

export async function startSlack(config: SlackConfig, bot: Bot, probe: ProbeRunner | undefined, log: Logger, options: SlackStartOptions = {}): Promise<RunningSlack> {
  const socketMode = Boolean(config.appToken);
  if (!socketMode && !config.signingSecret) throw new Error('Slack: SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) is needed');
  const slackLog = log.child({ platform: 'slack' });
  const logger = boltLogger(slackLog);
  const app = new App({
    token: config.botToken,
    ...(socketMode ? { appToken: config.appToken, socketMode: true } : { signingSecret: config.signingSecret }),
    logger,
    convoStore: false,
    // auth.test runs in init() below, where a failure is an error this function reports, not an unhandled rejection.
    deferInitialization: true,
    clientOptions: {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {}),
      retryConfig: options.retryConfig ?? DEFAULT_RETRY,
      rejectRateLimitedCalls: false,
      timeout: 15_000,
      logger,
    },
  });
  await app.init();

  // Files come from Slack's files host only, or from the configured API's host (a proxy, or the test stand-in).
  const apiHost = hostOf(config.apiUrl);
  const ctx: SlackContext = {
    bot,
    probe,
    log: slackLog,
    seen: new RecentKeys(),
    progressIntervalMs: options.progressIntervalMs ?? 1000,
    files: { token: config.botToken, hosts: ['files.slack.com', ...apiHost], plainHttpHosts: apiHost },
  };
  registerMessage(app, ctx);
  registerAppMention(app, ctx);
  registerCommand(app, ctx);
  registerRunProbeButton(app, ctx);
  registerRunCheckButton(app, ctx);
  registerShowChecklistButton(app, ctx);
  registerChecklistToggle(app, ctx);
  registerAuthTestButton(app, ctx);
  registerAuthModalSubmit(app, ctx);
  app.error(async (err) => {
    ctx.log.error({ err, code: err.code }, 'slack: unhandled error in a listener');
  });

  let port: number | undefined;
  if (socketMode) {
    await app.start();
    ctx.log.info('slack: connected in Socket Mode');
  } else {
    const server = (await app.start({ port: config.port, host: config.host ?? '0.0.0.0' })) as Server;
    port = (server.address() as AddressInfo).port;
    ctx.log.info({ port, path: '/slack/events' }, 'slack: listening for events over HTTP');
  }
  return {
    app,
    ...(port !== undefined ? { port } : {}),
    stop: async () => {
      await app.stop();
    },
  };
}
