/** The real discord.js Client, started through startDiscord against the loopback stand-in, with its log captured. */
import type { Client } from 'discord.js';
import { startDiscord } from '../../src/adapters/discord/client.js';
import { Bot } from '../../src/bot/core.js';
import type { ProbeRunner } from '../../src/bot/probe-port.js';
import type { StateStore } from '../../src/bot/state.js';
import { createLogger } from '../../src/log.js';
import { DiscordStandin, type StandinOptions } from './discord-standin.js';
import { FakeProbe } from './fake-probe.js';
import { realIndex } from './kb.js';

export interface Harness {
  standin: DiscordStandin;
  bot: Bot;
  probe: FakeProbe;
  client: Client;
  /** Every log line the adapter wrote. */
  logs: string[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  channels?: string[];
  /** `null`: no probe service (probes disabled). */
  probe?: ProbeRunner | null;
  progressIntervalMs?: number;
  standin?: StandinOptions;
  /** The bot's state store (a fresh memory store when absent): a second harness on the same store is a restart. */
  store?: StateStore;
  /** DISCORD_MESSAGE_CONTENT: false runs without the privileged intent. */
  messageContent?: boolean;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const standin = await new DiscordStandin(options.standin).start();
  const logs: string[] = [];
  const log = createLogger('debug', { write: (line: string) => void logs.push(line) });
  const bot = new Bot(realIndex(), { channelReplyIntervalMs: 0, ...(options.store ? { store: options.store } : {}) });
  const probe = new FakeProbe();
  const runner = options.probe === null ? undefined : (options.probe ?? probe);
  const config = { token: 'fake-token', channels: options.channels ?? [], apiUrl: standin.apiUrl, ...(options.messageContent === false ? { messageContent: false } : {}) };
  const discord = await startDiscord(config, bot, runner, log, { progressIntervalMs: options.progressIntervalMs ?? 100 });
  return {
    standin,
    bot,
    probe,
    client: discord.client,
    logs,
    async stop() {
      await discord.stop();
      await standin.close();
    },
  };
}

/** A check that stands for "nothing happened": the stand-in gets nothing more within this time. */
export const QUIET_MS = 150;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
