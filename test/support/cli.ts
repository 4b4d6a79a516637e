import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/smtp-doctor.js`;

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (scripts/test.sh builds it first) with no chat tokens in its environment. */
export function runCli(args: string[], input = '', env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunResult> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(SLACK_|DISCORD_|PROBE_|SMTP_DOCTOR_|LOG_LEVEL)/.test(k)) clean[k] = v;
  }
  return new Promise((resolve, reject) => {
    // A kill timer, so that a runaway (say, a regular expression gone quadratic) fails the test instead of hanging it.
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...clean, ...env }, stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
