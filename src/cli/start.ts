/**
 * `npm start`: the chat adapters whose tokens are configured, in one process; the terminal chat when none is,
 * so that a fresh machine with no accounts still gets a working bot.
 */
import { Bot } from '../bot/core.js';
import type { Config } from '../config.js';
import type { EngineIndex } from '../engine/index.js';
import { createLogger } from '../log.js';
import { chatCommand, type CliIO } from './commands.js';
import { probeRunner } from './main.js';

export async function startCommand(config: Config, index: EngineIndex, io: CliIO): Promise<number> {
  const log = createLogger(config.logLevel);
  const bot = new Bot(index, { defaultLang: config.defaultLang, channelReplyIntervalMs: config.channelReplyIntervalMs });
  const probe = await probeRunner(config, index);
  const running: Promise<unknown>[] = [];
  if (running.length === 0) return chatCommand(bot, io, probe, log);
  await Promise.all(running);
  // The adapters keep the process alive with their connections; stop on a signal.
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  return 0;
}
