/**
 * `smtp-doctor start` as a process: start-up fails fast with one line when a configured platform fails, and SIGTERM
 * drains — a running probe's last edit reaches Discord before the client closes, within the drain limit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { runCli } from '../support/cli.js';
import { DiscordStandin } from '../support/discord-standin.js';
import { freePort } from '../support/redis-server.js';
import { SIGNING_SECRET, SlackDriver } from '../support/slack-driver.js';
import { SlackStandin } from '../support/slack-standin.js';
import { startSilent, type Running } from '../support/smtp-servers.js';

let slack: SlackStandin;
let discord: DiscordStandin;
let dataDir: string;
const bots: BotProcess[] = [];
beforeAll(async () => {
  slack = await SlackStandin.start();
  discord = await new DiscordStandin({ token: 'good-token' }).start();
  dataDir = mkdtempSync(join(tmpdir(), 'smtp-doctor-start-'));
});
afterAll(async () => {
  await slack.close();
  await discord.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const b of bots.splice(0)) await b.stop('SIGKILL');
  slack.reset();
});

const slackEnv = () => ({ SLACK_BOT_TOKEN: 'xoxb-test-token-0000', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0', HOST: '127.0.0.1' });
const discordEnv = (token = 'good-token') => ({ DISCORD_TOKEN: token, DISCORD_API_URL: discord.apiUrl });
const oneLine = (stderr: string): string[] => stderr.split('\n').filter((l) => l.trim() && !l.startsWith('{'));

describe('start-up', () => {
  it('a revoked Slack token: exit 1 with one clear line, no stack trace, even with Discord fine', async () => {
    slack.answerNext('auth.test', { body: { ok: false, error: 'token_revoked' } });
    const run = await runCli(['start'], '', { ...slackEnv(), ...discordEnv(), DATA_DIR: dataDir }, 30_000);
    expect(run.code).toBe(1);
    const human = oneLine(run.stderr);
    expect(human).toEqual(['smtp-doctor: Slack refused SLACK_BOT_TOKEN (token_revoked): reinstall the app or copy a fresh token (docs/slack.md)']);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain('xoxb-test-token-0000');
  });

  it('a rejected Discord token: exit 1 with one clear line, Slack is stopped rather than left running alone', async () => {
    const run = await runCli(['start'], '', { ...slackEnv(), ...discordEnv('revoked-token'), DATA_DIR: dataDir }, 30_000);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toEqual([expect.stringMatching(/^smtp-doctor: Discord refused DISCORD_TOKEN: reset the token/)]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain('revoked-token');
  });

  it('an unreachable Redis: exit 1 with one line naming REDIS_URL', async () => {
    const run = await runCli(['start'], '', { ...discordEnv(), REDIS_URL: 'redis://127.0.0.1:1' }, 30_000);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toEqual([expect.stringMatching(/^smtp-doctor: state store: Redis at REDIS_URL is not reachable: .*ECONNREFUSED/)]);
  });
});

describe('SIGTERM', () => {
  let silent: Running;
  beforeAll(async () => {
    silent = await startSilent();
  });
  afterAll(async () => {
    await silent.close();
  });

  it('during a Discord probe: the last edit is sent before the client closes, and the process exits within the drain limit', async () => {
    const bot = startBot({
      ...discordEnv(),
      DATA_DIR: dataDir,
      PROBE_ALLOW_CIDRS: '127.0.0.0/8',
      PROBE_EXTRA_ALLOWED_PORTS: String(silent.port),
      PROBE_GREETING_TIMEOUT_MS: '2500',
      PROBE_TOTAL_TIMEOUT_MS: '8000',
      DRAIN_TIMEOUT_MS: '15000',
    });
    bots.push(bot);
    await bot.waitForLog(/smtp-doctor is running/);
    const i = discord.slashCommand('probe', [
      { name: 'target', type: 'string', value: '127.0.0.1' },
      { name: 'port', type: 'integer', value: silent.port },
    ]);
    const edits = new RegExp(`^/api/v10/webhooks/\\d+/${i.token}/messages/@original$`);
    // The probe is waiting for the silent server's greeting: the first progress edit has gone out.
    await discord.waitFor('PATCH', edits, 1, 10_000);
    const before = discord.find('PATCH', edits).length;
    const termAt = Date.now();
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    const after = discord.find('PATCH', edits);
    expect(exit.code).toBe(0);
    expect(after.length).toBeGreaterThan(before);
    const last = after.at(-1)!;
    // The report, not a progress line, and it arrived before the process was gone.
    expect(JSON.stringify(last.body)).toMatch(/Connection test for 127\.0\.0\.1/);
    expect(last.at).toBeLessThanOrEqual(exit.at);
    expect(exit.at - termAt).toBeLessThan(15_000);
    const stopped = await bot.waitForLog(/smtp-doctor: stopped/);
    expect(typeof stopped.drainMs).toBe('number');
    console.log(`drain: SIGTERM during a probe → report edited and exit after ${exit.at - termAt} ms (logged drain ${String(stopped.drainMs)} ms)`);
  });

  it('during a Slack probe (HTTP mode): the report replaces the "Testing…" message before the process exits', async () => {
    const bot = startBot({
      ...slackEnv(),
      DATA_DIR: dataDir,
      PROBE_ALLOW_CIDRS: '127.0.0.0/8',
      PROBE_EXTRA_ALLOWED_PORTS: String(silent.port),
      PROBE_GREETING_TIMEOUT_MS: '2500',
      PROBE_TOTAL_TIMEOUT_MS: '8000',
      DRAIN_TIMEOUT_MS: '15000',
    });
    bots.push(bot);
    const port = Number((await bot.waitForLog(/listening for events over HTTP/)).port);
    await bot.waitForLog(/smtp-doctor is running/);
    await new SlackDriver(port).command(`probe 127.0.0.1 ${silent.port}`, slack.responseUrl('probe'));
    await slack.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'), 10_000);
    const termAt = Date.now();
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    const report = slack.of('chat.update').find((c) => /Connection test for 127\.0\.0\.1/.test(String(c.body.text)));
    expect(report, slack.calls.map((c) => c.method).join(', ')).toBeDefined();
    expect(report!.at).toBeLessThanOrEqual(exit.at);
    expect(exit.at - termAt).toBeLessThan(15_000);
    console.log(`drain: SIGTERM during a Slack probe → report edited and exit after ${exit.at - termAt} ms`);
  });

  it('when nothing is running, exits at once; before that, /healthz, /readyz and /metrics answer on METRICS_PORT', async () => {
    const port = await freePort();
    const bot = startBot({ ...discordEnv(), DATA_DIR: dataDir, DRAIN_TIMEOUT_MS: '15000', METRICS_PORT: String(port) });
    bots.push(bot);
    expect((await bot.waitForLog(/smtp-doctor is running/)).metricsPort).toBe(port);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('# TYPE smtp_doctor_replies_total counter');
    expect(metrics).toContain('smtp_doctor_nodejs_heap_size_used_bytes');
    const termAt = Date.now();
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - termAt).toBeLessThan(5_000);
    console.log(`drain: SIGTERM when idle → exit after ${exit.at - termAt} ms`);
  });

  it('stops at the drain limit when work outlasts it', async () => {
    const bot = startBot({
      ...discordEnv(),
      DATA_DIR: dataDir,
      PROBE_ALLOW_CIDRS: '127.0.0.0/8',
      PROBE_EXTRA_ALLOWED_PORTS: String(silent.port),
      PROBE_GREETING_TIMEOUT_MS: '20000',
      PROBE_TOTAL_TIMEOUT_MS: '30000',
      DRAIN_TIMEOUT_MS: '1000',
    });
    bots.push(bot);
    await bot.waitForLog(/smtp-doctor is running/);
    const i = discord.slashCommand('probe', [
      { name: 'target', type: 'string', value: '127.0.0.1' },
      { name: 'port', type: 'integer', value: silent.port },
    ]);
    await discord.waitFor('PATCH', new RegExp(`^/api/v10/webhooks/\\d+/${i.token}/messages/@original$`), 1, 10_000);
    const termAt = Date.now();
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - termAt).toBeLessThan(6_000);
    expect((await bot.waitForLog(/stopped at the drain limit/)).left).toBe(1);
    console.log(`drain: SIGTERM with a 20 s probe and a 1 s limit → exit after ${exit.at - termAt} ms`);
  });
});
