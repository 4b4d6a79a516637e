/**
 * The real Bolt app in HTTP mode on 127.0.0.1, wired to the real bot and knowledge base, a fake probe service and
 * the Web API stand-in; log lines are captured so that tests can check what was (not) logged.
 */
import { Writable } from 'node:stream';
import { startSlack, type RunningSlack, type SlackStartOptions } from '../../src/adapters/slack/app.js';
import { Bot } from '../../src/bot/core.js';
import type { ProbeRunner } from '../../src/bot/probe-port.js';
import { createLogger } from '../../src/log.js';
import { realIndex } from './kb.js';
import { FakeProbe } from './fake-probe.js';
import { SIGNING_SECRET, SlackDriver } from './slack-driver.js';
import { SlackStandin } from './slack-standin.js';

export interface SlackHarness {
  standin: SlackStandin;
  driver: SlackDriver;
  bot: Bot;
  probe: FakeProbe;
  running: RunningSlack;
  /** Every log line written so far (JSON, one a line). */
  logs: () => string;
  close(): Promise<void>;
}

export interface HarnessOptions extends SlackStartOptions {
  probe?: ProbeRunner | null;
  channelReplyIntervalMs?: number;
  userReplyIntervalMs?: number;
}

export async function startHarness(options: HarnessOptions = {}): Promise<SlackHarness> {
  const standin = await SlackStandin.start();
  const bot = new Bot(realIndex(), { channelReplyIntervalMs: options.channelReplyIntervalMs ?? 0, userReplyIntervalMs: options.userReplyIntervalMs ?? 0 });
  const fake = new FakeProbe(3, 5);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = createLogger('debug', sink);
  const probe = options.probe === null ? undefined : (options.probe ?? fake);
  const running = await startSlack(
    { botToken: 'xoxb-test-token-0000', signingSecret: SIGNING_SECRET, port: 0, host: '127.0.0.1', apiUrl: standin.apiUrl },
    bot,
    probe,
    log,
    { retryConfig: options.retryConfig ?? { retries: 0 }, progressIntervalMs: options.progressIntervalMs ?? 50, ...(options.metrics ? { metrics: options.metrics } : {}) },
  );
  if (running.port === undefined) throw new Error('the Slack app did not start in HTTP mode');
  return {
    standin,
    driver: new SlackDriver(running.port),
    bot,
    probe: fake,
    running,
    logs: () => lines.join(''),
    close: async () => {
      await running.stop();
      await standin.close();
    },
  };
}
