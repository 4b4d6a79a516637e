/** A Web API 429: the app waits as long as Slack's Retry-After says, then sends the reply once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/ops/metrics.js';
import { nextTs } from '../../support/slack-driver.js';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';

let h: SlackHarness;
const metrics = new Metrics();
beforeAll(async () => {
  h = await startHarness({ retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 }, metrics });
});
afterAll(async () => {
  await h.close();
});

describe('Slack rate limits', () => {
  it('waits out Retry-After on a 429 and then posts the reply', async () => {
    h.standin.answerNext('chat.postMessage', { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } });
    const ts = nextTs();
    await h.driver.event({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: '554 5.7.1 Relay access denied', ts });
    await h.standin.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length >= 2, 5000);
    const [limited, sent] = h.standin.of('chat.postMessage');
    expect(sent!.at - limited!.at).toBeGreaterThanOrEqual(950);
    expect(sent?.body.thread_ts).toBe(ts);
    expect(String(sent?.body.text)).not.toMatch(/Sorry/);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.standin.of('chat.postMessage')).toHaveLength(2);
    expect(await metrics.registry.getSingleMetricAsString('smtp_doctor_rate_limited_total')).toMatch(/^smtp_doctor_rate_limited_total\{platform="slack"\} 1$/m);
  });
});
