/** What the Discord adapter counts: messages, replies by kind and category, unknown, ack latency of interactions. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDiscord } from '../../../src/adapters/discord/client.js';
import { Bot } from '../../../src/bot/core.js';
import { createLogger } from '../../../src/log.js';
import { Metrics } from '../../../src/ops/metrics.js';
import { DiscordStandin } from '../../support/discord-standin.js';
import { sleep } from '../../support/discord-harness.js';
import { realIndex } from '../../support/kb.js';

let standin: DiscordStandin;
let stop: () => Promise<void>;
const metrics = new Metrics();
beforeAll(async () => {
  standin = await new DiscordStandin().start();
  const discord = await startDiscord({ token: 'fake-token', channels: [], apiUrl: standin.apiUrl }, new Bot(realIndex()), undefined, createLogger('silent'), { metrics });
  stop = async () => {
    await discord.stop();
    await standin.close();
  };
});
afterAll(async () => {
  await stop?.();
});

/** A counter's value, or a histogram's `_count`, for these labels. */
async function value(name: string, labels: Record<string, string>): Promise<number> {
  const base = name.replace(/_count$/, '');
  const values = (await metrics.registry.getSingleMetric(base)?.get())?.values ?? [];
  const match = values.find((v) => ((v as { metricName?: string }).metricName ?? base) === name && Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value ?? 0;
}

describe('Discord metrics', () => {
  test('a pasted error, a slash command and an unknown mention are counted; the command\'s ack latency is observed', async () => {
    standin.sendMessage('550 5.7.1 Relay access denied');
    await standin.waitFor('POST', /\/channels\/\d+\/messages$/);
    const i = standin.slashCommand('diagnose', [{ name: 'text', type: 'string', value: '552 5.2.2 Mailbox full' }]);
    await standin.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${i.token}/messages/@original$`));
    standin.sendMessage('the frobnicator wobbles', { mentionBot: true });
    await standin.waitFor('POST', /\/channels\/\d+\/messages$/, 2);
    await sleep(100);
    expect(await value('smtp_doctor_messages_seen_total', { platform: 'discord' })).toBe(2);
    expect(await value('smtp_doctor_replies_total', { platform: 'discord', kind: 'diagnosis', category: 'relay-denied' })).toBe(1);
    expect(await value('smtp_doctor_replies_total', { platform: 'discord', kind: 'diagnosis', category: 'mailbox-full' })).toBe(1);
    expect(await value('smtp_doctor_unknown_total', { platform: 'discord' })).toBe(1);
    expect(await value('smtp_doctor_addressed_total', { platform: 'discord' })).toBe(2);
    expect(await value('smtp_doctor_ack_latency_seconds_count', { platform: 'discord' })).toBe(1);
  });

  test('a 429 from Discord is counted, and the reply still goes out after the wait', async () => {
    const before = standin.find('POST', /\/channels\/\d+\/messages$/).length;
    standin.failNext('POST', /\/channels\/\d+\/messages$/, 429);
    standin.sendMessage('552 5.2.2 Mailbox full');
    await standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 2);
    expect(await value('smtp_doctor_rate_limited_total', { platform: 'discord' })).toBe(1);
  });
});
