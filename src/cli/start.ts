/**
 * `npm start`: the chat adapters whose tokens are configured, in one process; the terminal chat when none is,
 * so that a fresh machine with no accounts still gets a working bot.
 */
import { Bot } from '../bot/core.js';
import type { Config } from '../config.js';
import type { EngineIndex } from '../engine/index.js';
import { createLogger } from '../log.js';
import { chatCommand, type CliIO } from './commands.js';
import { probeRunner } from './probe-runner.js';

export async function startCommand(config: Config, index: EngineIndex, io: CliIO): Promise<number> {
  const log = createLogger(config.logLevel);
  const bot = new Bot(index, { defaultLang: config.defaultLang, channelReplyIntervalMs: config.channelReplyIntervalMs });
  const probe = await probeRunner(config, index);
  const running: Promise<{ stop(): Promise<void> }>[] = [];
  if (config.slack) {
    const { startSlack } = await import('../adapters/slack/app.js');
    running.push(startSlack(config.slack, bot, probe, log));
  }
  if (config.discord) {
    const { startDiscord } = await import('../adapters/discord/client.js');
    running.push(startDiscord(config.discord, bot, probe, log));
  }
  if (running.length === 0) return chatCommand(bot, io, probe, log);
  const started = await Promise.all(running);
  log.info({ slack: Boolean(config.slack), discord: Boolean(config.discord) }, 'smtp-doctor is running');
  // The adapters keep the process alive with their connections; stop cleanly on a signal.
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await Promise.all(started.map((s) => s.stop()));
  return 0;
}
