/**
 * Two `smtp-doctor start` processes in Slack HTTP mode behind one Slack stand-in, sharing state — on a real
 * redis-server, and on one SQLite file — the way instances behind a load balancer do: an event delivered to one and
 * its retry to the other get one reply; a retry after a restart gets none; checklist progress and the language
 * choice survive a restart; each instance answers /healthz, /readyz and /metrics on its Slack port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { realIndex } from '../support/kb.js';
import { startRedis, type RedisServer } from '../support/redis-server.js';
import { SIGNING_SECRET, SlackDriver, nextTs } from '../support/slack-driver.js';
import { SlackStandin } from '../support/slack-standin.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RELAY = '554 5.7.1 <bob@example.com>: Relay access denied';
const step = realIndex().kb.checklist[1]!;

let slack: SlackStandin;
let redis: RedisServer;
const dirs: string[] = [];
const running: BotProcess[] = [];
beforeAll(async () => {
  slack = await SlackStandin.start();
  redis = await startRedis();
});
afterAll(async () => {
  await slack.close();
  await redis.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(async () => {
  for (const b of running.splice(0)) await b.stop('SIGKILL');
  slack.reset();
});

interface Instance {
  bot: BotProcess;
  driver: SlackDriver;
  port: number;
}

async function instance(store: Record<string, string>): Promise<Instance> {
  const bot = startBot({
    SLACK_BOT_TOKEN: 'xoxb-test-token-0000',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    CHANNEL_REPLY_INTERVAL_MS: '0',
    ...store,
  });
  running.push(bot);
  const listening = await bot.waitForLog(/listening for events over HTTP/);
  await bot.waitForLog(/smtp-doctor is running/);
  const port = Number(listening.port);
  return { bot, driver: new SlackDriver(port), port };
}

async function restart(i: Instance, store: Record<string, string>): Promise<Instance> {
  const exit = await i.bot.stop('SIGTERM');
  expect(exit.code).toBe(0);
  return instance(store);
}

const replies = (channel: string) => slack.of('chat.postMessage').filter((c) => c.body.channel === channel);

/** A channel message whose reply proves that everything sent before it was handled. */
async function settle(i: Instance): Promise<void> {
  const channel = `CSETTLE${nextTs().replace('.', '')}`;
  await i.driver.event({ type: 'message', channel, channel_type: 'channel', user: 'USETTLE', text: RELAY, ts: nextTs() });
  await slack.waitFor(() => replies(channel).length === 1, 10_000);
  await sleep(150);
}

const stores: [string, () => Record<string, string>][] = [
  ['redis', () => ({ REDIS_URL: redis.url })],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'smtp-doctor-instances-'));
      dirs.push(dir);
      return { DATA_DIR: dir };
    },
  ],
];

describe.each(stores)('two instances on %s', (name, storeEnv) => {
  it('an event delivered to one and its retry to the other get one reply; a retry after a restart gets none', async () => {
    const env = storeEnv();
    const [a, b] = await Promise.all([instance(env), instance(env)]);
    const ts = nextTs();
    const body = a.driver.eventBody({ type: 'message', channel: 'CDUP', channel_type: 'channel', user: 'U1', text: RELAY, ts });
    const first = await a.driver.post(body, 'application/json');
    const retry = await b.driver.post(body, 'application/json', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await slack.waitFor(() => replies('CDUP').length >= 1, 10_000);
    await settle(a);
    await settle(b);
    expect(replies('CDUP')).toHaveLength(1);
    expect(replies('CDUP')[0]?.body.thread_ts).toBe(ts);

    const a2 = await restart(a, env);
    const late = await a2.driver.post(body, 'application/json', { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' });
    expect(late.status).toBe(200);
    await settle(a2);
    expect(replies('CDUP')).toHaveLength(1);
    console.log(`${name}: event + retry to the other instance + retry after a restart → ${replies('CDUP').length} reply`);
  });

  it('checklist progress and the language choice survive a restart and are seen by the other instance', async () => {
    const env = storeEnv();
    const [a, b] = await Promise.all([instance(env), instance(env)]);
    await a.driver.command('lang ja', slack.responseUrl('lang'), { user_id: 'ULANG' });
    await slack.waitFor((calls) => calls.some((c) => c.method === 'respond' && c.path.endsWith('/lang')), 10_000);
    await a.driver.interaction({
      type: 'block_actions',
      team: { id: 'T1', domain: 'test' },
      user: { id: 'ULANG', username: 'hanako', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: '111.222.trigger',
      response_url: slack.responseUrl('tick'),
      container: { type: 'message', message_ts: '1700000100.000001', channel_id: 'DULANG', is_ephemeral: false },
      channel: { id: 'DULANG', name: 'directmessage' },
      message: { type: 'message', ts: '1700000100.000001', text: 'checklist' },
      actions: [
        { action_ts: '1700000000.1', type: 'checkboxes', action_id: 'checklist-toggle', block_id: `step:ja:${step.id}`, selected_options: [{ text: { type: 'plain_text', text: '済み' }, value: step.id }] },
      ],
    });
    await slack.waitFor((calls) => calls.some((c) => c.method === 'chat.update'), 10_000);

    const a2 = await restart(a, env);
    for (const [who, i] of [['restarted', a2], ['other', b]] as const) {
      slack.reset();
      await i.driver.command('checklist', slack.responseUrl(`cl-${who}`), { user_id: 'ULANG' });
      await slack.waitFor(() => replies('DULANG').length === 1, 10_000);
      const checklist = replies('DULANG')[0]!;
      const blocks = checklist.body.blocks as { block_id?: string; accessory?: { initial_options?: unknown[] } }[];
      // Ticked before the restart, and in Japanese: the choice made with `lang ja`.
      expect(blocks.find((bl) => bl.block_id === `step:ja:${step.id}`)?.accessory?.initial_options, `${who} instance`).toHaveLength(1);
      expect(String(checklist.body.text)).toMatch(/[ぁ-んァ-ン一-龯]/);
    }
  });

  it('each instance answers /healthz, /readyz and /metrics on its Slack port', async () => {
    const env = storeEnv();
    const both = await Promise.all([instance(env), instance(env)]);
    await both[0]!.driver.event({ type: 'message', channel: 'CMET', channel_type: 'channel', user: 'U1', text: RELAY, ts: nextTs() });
    await slack.waitFor(() => replies('CMET').length === 1, 10_000);
    for (const i of both) {
      const health = await fetch(`http://127.0.0.1:${i.port}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${i.port}/readyz`);
      expect(ready.status).toBe(200);
      const metrics = await fetch(`http://127.0.0.1:${i.port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      expect(text).toContain('# TYPE smtp_doctor_messages_seen_total counter');
      expect(text).toContain('# TYPE smtp_doctor_ack_latency_seconds histogram');
      expect(text).toContain('smtp_doctor_process_cpu_seconds_total');
    }
    const first = await (await fetch(`http://127.0.0.1:${both[0]!.port}/metrics`)).text();
    expect(first).toMatch(/smtp_doctor_messages_seen_total\{platform="slack"\} 1\b/);
    expect(first).toMatch(/smtp_doctor_replies_total\{platform="slack",kind="diagnosis",category="relay-denied"\} 1\b/);
    expect(first).toMatch(/smtp_doctor_ack_latency_seconds_count\{platform="slack"\} [1-9]/);
  });
});
