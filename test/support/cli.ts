import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/smtp-doctor.js`;

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (scripts/test.sh builds it first) with no chat tokens in its environment, and a data directory
 * of its own (unless DATA_DIR is given), so that no run leaves state in the checkout for the next one.
 */
export function runCli(args: string[], input = '', env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunResult> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(SLACK_|DISCORD_|PROBE_|SMTP_DOCTOR_|LOG_LEVEL|REDIS_URL|DATA_DIR)/.test(k)) clean[k] = v;
  }
  const ownData = env.DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'smtp-doctor-cli-')) : undefined;
  if (ownData) clean.DATA_DIR = ownData;
  return new Promise((resolve, reject) => {
    // A kill timer, so that a runaway (say, a regular expression gone quadratic) fails the test instead of hanging it.
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...clean, ...env }, stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (ownData) rmSync(ownData, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
