/**
 * Bolt's and the Web API client's log lines, sent to the project's logger (which redacts secrets).
 * Bolt's debug level prints whole request bodies, which include what a user typed into the credentials modal,
 * so debug lines are dropped whatever the configured level.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log.js';

const text = (msg: unknown[]): string => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');

export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  let name = 'slack';
  return {
    debug: () => {},
    info: (...msg: unknown[]) => log.info({ component: name }, text(msg)),
    warn: (...msg: unknown[]) => log.warn({ component: name }, text(msg)),
    error: (...msg: unknown[]) => log.error({ component: name }, text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  };
}
