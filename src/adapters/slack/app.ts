/**
 * The Slack app: Bolt in Socket Mode when an app-level token is configured (no public URL needed), otherwise in
 * HTTP mode on Bolt's endpoint /slack/events, where Bolt verifies every request's signature. The listeners only
 * translate Slack's events into the platform-neutral bot (src/bot/core.ts) and its replies into Block Kit.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, webApi } from '@slack/bolt';
import type { Bot } from '../../bot/core.js';
import type { ProbeRunner } from '../../bot/probe-port.js';
import type { SlackConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import { hostOf } from '../download.js';
import type { OpsRoute } from '../../ops/http.js';
import { Inflight } from '../../ops/inflight.js';
import { Metrics } from '../../ops/metrics.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackContext } from './context.js';
import { Dedupe } from './dedupe.js';
import { EncryptedInstallationStore } from './installations.js';
import { registerAppHomeOpened } from './listeners/app-home-opened.js';
import { registerAppMention } from './listeners/app-mention.js';
import { registerAppUninstalled } from './listeners/app-uninstalled.js';
import { registerTokensRevoked } from './listeners/tokens-revoked.js';
import { registerAuthModalSubmit } from './listeners/auth-modal-submit.js';
import { registerAuthTestButton } from './listeners/auth-test-button.js';
import { registerChecklistToggle } from './listeners/checklist-toggle.js';
import { registerCommand } from './listeners/command.js';
import { registerConversationButton } from './listeners/conversation-button.js';
import { registerDiagnoseMessageShortcut } from './listeners/diagnose-message-shortcut.js';
import { registerFeedbackLabel } from './listeners/feedback-label.js';
import { registerFeedbackVote } from './listeners/feedback-vote.js';
import { registerHomeLang } from './listeners/home-lang.js';
import { registerMessage } from './listeners/message.js';
import { registerRunCheckButton } from './listeners/run-check-button.js';
import { registerRunProbeButton } from './listeners/run-probe-button.js';
import { registerShowChecklistButton } from './listeners/show-checklist-button.js';
import { registerUnknownAction } from './listeners/unknown-action.js';

export interface SlackStartOptions {
  /**
   * The Web API client's retry policy. The default retries a failed call a few times within about half a minute;
   * a 429 is always waited out for as long as Slack's Retry-After says. Tests pass `{ retries: 0 }`.
   */
  retryConfig?: webApi.RetryOptions;
  /** Least time between two edits of a live probe message (default 1 s, Slack's pace for message actions). */
  progressIntervalMs?: number;
  metrics?: Metrics;
  /** Tracks listeners at work, for the drain on SIGTERM. */
  inflight?: Inflight;
  /** /healthz, /readyz, /metrics: served beside /slack/events in HTTP mode. */
  routes?: OpsRoute[];
}

/** Start-up failed for a reason the operator can fix: one line, no stack trace. */
export class SlackStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SlackStartError';
  }
}

const TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'invalid_token']);

function startError(err: unknown): SlackStartError {
  const code = (err as { data?: { error?: unknown } } | undefined)?.data?.error;
  if (typeof code === 'string' && TOKEN_ERRORS.has(code)) return new SlackStartError(`Slack refused SLACK_BOT_TOKEN (${code}): reinstall the app or copy a fresh token (docs/slack.md)`, { cause: err });
  if (typeof code === 'string') return new SlackStartError(`Slack refused to start (${code})`, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new SlackStartError(`Slack could not be reached: ${message}`, { cause: err });
}

export interface RunningSlack {
  app: App;
  /** The HTTP port Bolt listens on (HTTP mode only): tests start on port 0 and read it here. */
  port?: number;
  stop(): Promise<void>;
}

const DEFAULT_RETRY: webApi.RetryOptions = { retries: 4, factor: 2, minTimeout: 1000, maxTimeout: 10_000, randomize: true };

/** What the OAuth install asks each workspace for: the scopes of slack/manifest.yml, explained in docs/slack.md. */
export const BOT_SCOPES = ['app_mentions:read', 'channels:history', 'groups:history', 'im:history', 'im:write', 'chat:write', 'commands', 'files:read'];

export async function startSlack(config: SlackConfig, bot: Bot, probe: ProbeRunner | undefined, log: Logger, options: SlackStartOptions = {}): Promise<RunningSlack> {
  const socketMode = Boolean(config.appToken);
  if (!socketMode && !config.signingSecret) throw new Error('Slack: SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) is needed');
  if (!config.botToken && !config.oauth) throw new Error('Slack: SLACK_BOT_TOKEN (one workspace) or the SLACK_CLIENT_* settings (OAuth install) are needed');
  const slackLog = log.child({ platform: 'slack' });
  const logger = boltLogger(slackLog);
  const slackApiUrl = config.apiUrl ? (config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`) : undefined;
  const installations = config.oauth ? new EncryptedInstallationStore(bot.store, config.oauth.installKey) : undefined;
  const app = new App({
    ...(config.oauth && installations
      ? {
          // Many workspaces: /slack/install starts Slack's OAuth v2 flow, /slack/oauth_redirect stores the installation.
          clientId: config.oauth.clientId,
          clientSecret: config.oauth.clientSecret,
          stateSecret: config.oauth.stateSecret,
          scopes: BOT_SCOPES,
          installationStore: installations,
          installerOptions: {
            directInstall: true,
            ...(config.oauth.authorizeUrl ? { authorizationUrl: config.oauth.authorizeUrl } : {}),
            ...(slackApiUrl ? { clientOptions: { slackApiUrl } } : {}),
          },
        }
      : { token: config.botToken }),
    ...(socketMode ? { appToken: config.appToken, socketMode: true } : { signingSecret: config.signingSecret }),
    logger,
    convoStore: false,
    ...(!socketMode && options.routes ? { customRoutes: options.routes } : {}),
    // auth.test runs in init() below, where a failure is an error this function reports, not an unhandled rejection.
    deferInitialization: true,
    clientOptions: {
      ...(slackApiUrl ? { slackApiUrl } : {}),
      retryConfig: options.retryConfig ?? DEFAULT_RETRY,
      rejectRateLimitedCalls: false,
      timeout: 15_000,
      logger,
    },
  });
  try {
    await app.init();
  } catch (err) {
    throw startError(err);
  }

  const metrics = options.metrics ?? new Metrics();
  const inflight = options.inflight ?? new Inflight();
  // Files come from Slack's files host only, or from the configured API's host (a proxy, or the test stand-in).
  const apiHost = hostOf(config.apiUrl);
  const ctx: SlackContext = {
    bot,
    probe,
    log: slackLog,
    seen: new Dedupe(bot.store),
    metrics,
    progressIntervalMs: options.progressIntervalMs ?? 1000,
    // With the OAuth install there is no single bot token: files are fetched with the token of the event's workspace.
    files: { token: config.botToken ?? '', hosts: ['files.slack.com', ...apiHost], plainHttpHosts: apiHost },
  };
  instrument(app, metrics, inflight);
  registerMessage(app, ctx);
  registerAppMention(app, ctx);
  registerCommand(app, ctx);
  registerRunProbeButton(app, ctx);
  registerRunCheckButton(app, ctx);
  registerShowChecklistButton(app, ctx);
  registerConversationButton(app, ctx);
  registerChecklistToggle(app, ctx);
  registerAuthTestButton(app, ctx);
  registerAuthModalSubmit(app, ctx);
  registerFeedbackVote(app, ctx);
  registerFeedbackLabel(app, ctx);
  registerDiagnoseMessageShortcut(app, ctx);
  registerAppHomeOpened(app, ctx);
  registerHomeLang(app, ctx);
  registerUnknownAction(app, ctx);
  if (installations) {
    registerAppUninstalled(app, ctx, installations);
    registerTokensRevoked(app, ctx, installations);
  }
  app.error(async (err) => {
    ctx.log.error({ err, code: err.code }, 'slack: unhandled error in a listener');
  });

  let port: number | undefined;
  try {
    if (socketMode) {
      await app.start();
      ctx.log.info('slack: connected in Socket Mode');
    } else {
      const server = (await app.start({ port: config.port, host: config.host ?? '0.0.0.0' })) as Server;
      port = (server.address() as AddressInfo).port;
      ctx.log.info({ port, path: '/slack/events' }, 'slack: listening for events over HTTP');
    }
  } catch (err) {
    await app.stop().catch(() => undefined);
    throw startError(err);
  }
  return {
    app,
    ...(port !== undefined ? { port } : {}),
    stop: async () => {
      await app.stop();
    },
  };
}

/**
 * Ack latency, 429s and in-flight work, for every kind of request. `processEvent` is where each receiver hands
 * a request (with its ack) to the app; a global middleware sees each request's Web API client and waits for the
 * listeners, so that the drain on SIGTERM knows what is still at work.
 */
function instrument(app: App, metrics: Metrics, inflight: Inflight): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    const started = performance.now();
    const ack = event.ack;
    let timed = false;
    event.ack = async (response) => {
      if (!timed) {
        timed = true;
        metrics.ackLatency.observe({ platform: 'slack' }, (performance.now() - started) / 1000);
      }
      return ack(response);
    };
    return processEvent(event);
  };
  const watched = new WeakSet<webApi.WebClient>();
  app.use(async ({ client, next }) => {
    if (!watched.has(client)) {
      watched.add(client);
      client.on(webApi.WebClientEvent.RATE_LIMITED, () => metrics.rateLimited.inc({ platform: 'slack' }));
    }
    await inflight.run(next);
  });
}
