/**
 * `npm start`: the chat adapters whose tokens are configured, in one process; the terminal chat when none is,
 * so that a fresh machine with no accounts still gets a working bot.
 *
 * Start-up is all or nothing: when any configured platform (or the store) fails, whatever did start is stopped
 * and the process exits non-zero with one line naming what to fix. On SIGTERM or SIGINT it drains: no new work is
 * taken, running replies, edits and probes finish (up to DRAIN_TIMEOUT_MS), then the connections close.
 */
import { Bot } from '../bot/core.js';
import type { StateStore } from '../bot/state.js';
import type { Config } from '../config.js';
import type { EngineIndex } from '../engine/index.js';
import { createLogger, type Logger } from '../log.js';
import { opsRoutes, startOpsServer, type OpsServer } from '../ops/http.js';
import { Inflight } from '../ops/inflight.js';
import { Metrics } from '../ops/metrics.js';
import { openStore } from '../state/index.js';
import { chatCommand, type CliIO } from './commands.js';
import { probeRunner } from './probe-runner.js';

/** A start-up failure the operator can fix: printed as one line, no stack trace. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}

interface Running {
  name: string;
  /** Stops taking new events (before the drain). */
  stopReceiving(): Promise<void>;
  /** Closes the connection (after the drain). */
  close(): Promise<void>;
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Resolves on the first SIGTERM or SIGINT. */
export function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => () => {
      process.off('SIGTERM', term);
      process.off('SIGINT', int);
      resolve(signal);
    };
    const term = on('SIGTERM');
    const int = on('SIGINT');
    process.once('SIGTERM', term);
    process.once('SIGINT', int);
  });
}

export async function startCommand(config: Config, index: EngineIndex, io: CliIO, signal: Promise<string> = shutdownSignal()): Promise<number> {
  const log = createLogger(config.logLevel);
  let store: StateStore;
  try {
    store = await openStore(config.state);
  } catch (err) {
    throw new StartError(`state store: ${reason(err)}`);
  }
  const metrics = new Metrics({ defaultMetrics: true });
  const bot = new Bot(index, {
    store,
    defaultLang: config.defaultLang,
    channelReplyIntervalMs: config.channelReplyIntervalMs,
    userReplyIntervalMs: config.userReplyIntervalMs,
  });
  const probe = await probeRunner(config, index, store, metrics);
  if (!config.slack && !config.discord) {
    try {
      return await chatCommand(bot, io, probe, log);
    } finally {
      await store.close();
    }
  }

  const inflight = new Inflight();
  let ready = false;
  const routes = opsRoutes(metrics, {
    notReady: async () => {
      if (inflight.draining) return 'shutting down';
      if (!ready) return 'starting';
      return (await store.ping()) ? undefined : `the ${store.kind} store does not answer`;
    },
  });
  const slackHttp = Boolean(config.slack && !config.slack.appToken);
  let ops: OpsServer | undefined;
  const running: Running[] = [];
  const failures: string[] = [];
  try {
    if (!slackHttp && config.ops.metricsPort > 0) ops = await startOpsServer(routes, config.ops.metricsPort, config.ops.metricsHost);
    const starts: Promise<void>[] = [];
    if (config.slack) {
      const slack = config.slack;
      starts.push(
        (async () => {
          const { startSlack } = await import('../adapters/slack/app.js');
          const s = await startSlack(slack, bot, probe, log, { metrics, inflight, routes });
          running.push({ name: 'slack', stopReceiving: () => s.stop(), close: async () => undefined });
        })().catch((err: unknown) => void failures.push(reason(err))),
      );
    }
    if (config.discord) {
      const discord = config.discord;
      starts.push(
        (async () => {
          const { startDiscord } = await import('../adapters/discord/client.js');
          const d = await startDiscord(discord, bot, probe, log, { metrics, inflight });
          // The gateway stays open while draining: a running probe's last edit needs the client (and its token).
          running.push({ name: 'discord', stopReceiving: async () => undefined, close: () => d.stop() });
        })().catch((err: unknown) => void failures.push(reason(err))),
      );
    }
    await Promise.all(starts);
    if (failures.length > 0) throw new StartError(failures.join('; '));
  } catch (err) {
    await Promise.allSettled(running.map(async (r) => {
      await r.stopReceiving();
      await r.close();
    }));
    await ops?.close();
    await store.close();
    throw err instanceof StartError ? err : new StartError(reason(err));
  }
  ready = true;
  log.info({ slack: Boolean(config.slack), discord: Boolean(config.discord), store: store.kind, ...(ops ? { metricsPort: ops.port } : {}) }, 'smtp-doctor is running');

  const received = await signal;
  const code = await drain(log, received, config.ops.drainTimeoutMs, inflight, running);
  await ops?.close();
  await store.close();
  // Anything still scheduled (a reply queued beyond the limit) must not keep the process alive.
  setTimeout(() => process.exit(code), 200).unref();
  return code;
}

async function drain(log: Logger, signal: string, limitMs: number, inflight: Inflight, running: Running[]): Promise<number> {
  const started = Date.now();
  log.info({ signal, inFlight: inflight.size, limitMs }, 'smtp-doctor: shutting down, finishing the work in progress');
  const stopReceiving = Promise.allSettled(running.map((r) => r.stopReceiving()));
  const result = await inflight.drain(limitMs);
  await Promise.race([stopReceiving, new Promise((r) => setTimeout(r, Math.max(0, limitMs - (Date.now() - started))))]);
  await Promise.allSettled(running.map((r) => r.close()));
  const ms = Date.now() - started;
  if (result.drained) log.info({ drainMs: ms }, 'smtp-doctor: stopped');
  else log.warn({ drainMs: ms, left: result.left }, 'smtp-doctor: stopped at the drain limit with work still running');
  return 0;
}
