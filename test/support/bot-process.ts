/**
 * `smtp-doctor start` as a real child process (the built CLI), with its JSON log lines on stderr captured, so that
 * tests can start two instances, restart one, send it SIGTERM and read when it exited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './cli.js';

export interface BotProcess {
  child: ChildProcess;
  /** Every stderr line so far. */
  lines: string[];
  /** Waits for a log line matching `pattern` and returns it parsed. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code and when the process exited (ms epoch). */
  exited: Promise<{ code: number | null; at: number }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; at: number }>;
}

export function startBot(env: Record<string, string>): BotProcess {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(SLACK_|DISCORD_|PROBE_|SMTP_DOCTOR_|LOG_LEVEL|REDIS_URL|DATA_DIR|METRICS_|PORT$|HOST$)/.test(k)) clean[k] = v;
  }
  const child = spawn(process.execPath, [`${ROOT}bin/smtp-doctor.js`, 'start'], { cwd: ROOT, env: { ...clean, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    partial += d;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
  return {
    child,
    lines,
    exited,
    async waitForLog(pattern, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const line = lines.find((l) => pattern.test(l));
        if (line) {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            return { line };
          }
        }
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no log line matching ${pattern} (exit ${child.exitCode}); stderr:\n${lines.join('\n')}${partial}`);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
