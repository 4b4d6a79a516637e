/** What every Slack listener works with: the platform-neutral bot and probe service, and the adapter's own state. */
import type { webApi } from '@slack/bolt';
import type { Bot } from '../../bot/core.js';
import type { ProbeRunner } from '../../bot/probe-port.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../ops/metrics.js';
import type { Dedupe } from './dedupe.js';

export interface SlackContext {
  bot: Bot;
  probe: ProbeRunner | undefined;
  log: Logger;
  /** Events and messages already answered (Slack retries, message + app_mention of one message). */
  seen: Dedupe;
  metrics: Metrics;
  /** Least time between two edits of a live probe message. */
  progressIntervalMs: number;
  /** Where shared files may be fetched from, and the token that fetches them when the listener's client has none. */
  files: { token: string; hosts: string[]; plainHttpHosts: string[] };
}

export type SlackClient = webApi.WebClient;

/** A conversation, and the thread in it when the answer belongs in one. */
export interface Destination {
  channel: string;
  threadTs?: string;
}
