/**
 * Sender checks in Slack: `/smtp-doctor check`, the button under a diagnosis and a mention, against the real Bolt app
 * over signed HTTP, with the real check service answering from the loopback DNS zone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCheckService } from '../../../src/bot/check-service.js';
import { encodeActionValue } from '../../../src/render/slack.js';
import { CHECK_ZONE } from '../../support/check-zone.js';
import { startDns, type RunningDns } from '../../support/dns-server.js';
import { FakeProbe } from '../../support/fake-probe.js';
import { realIndex } from '../../support/kb.js';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';
import { expectWithinSlackLimits } from './limits.js';

let h: SlackHarness;
let dns: RunningDns;
const probe = new FakeProbe(1, 0);

beforeAll(async () => {
  dns = await startDns(CHECK_ZONE);
  const check = createCheckService(
    {
      allowCidrs: ['192.0.2.0/24', '198.51.100.0/24'],
      ports: [587],
      extraAllowedPorts: [],
      connectTimeoutMs: 1000,
      greetingTimeoutMs: 1000,
      totalTimeoutMs: 5000,
      ratePerMinute: 50,
      maxConcurrent: 4,
      egress25Blocked: false,
      dnsServers: [dns.server],
    },
    realIndex().kb,
  );
  h = await startHarness({ probe: { run: (...args) => probe.run(...args), check } });
});
afterAll(async () => {
  await h.close();
  await dns.close();
});
afterEach(() => h.standin.reset());

const updated = (match: string) => (calls: { method: string; body: Record<string, unknown> }[]) =>
  calls.some((c) => c.method === 'chat.update' && JSON.stringify(c.body).includes(match));

describe('Slack sender checks', () => {
  it('/smtp-doctor check DOMAIN: acked at once, "Checking…" posted, then replaced by the report', async () => {
    const res = await h.driver.command('check plusall.test', h.standin.responseUrl('cmd'));
    expect(res.status).toBe(200);
    await h.standin.waitFor(updated('+all'));
    expect(String(h.standin.of('chat.postMessage')[0]?.body.text)).toContain('Checking the DNS setup of plusall.test');
    const update = h.standin.of('chat.update')[0]!;
    expect(update.body.channel).toBe('C1');
    expect(JSON.stringify(update.body.blocks)).toContain('Sender check for plusall.test');
    expectWithinSlackLimits(update);
    expect(probe.calls).toHaveLength(0);
  });

  it('/smtp-doctor check DOMAIN followed by a pasted DKIM-Signature header checks that selector', async () => {
    await h.driver.command('check good.test\nDKIM-Signature: v=1; a=rsa-sha256; d=good.test; s=slack2025; bh=x; b=y', h.standin.responseUrl('cmd'));
    await h.standin.waitFor(updated('slack2025'));
    expect(JSON.stringify(h.standin.of('chat.update')[0]?.body.blocks)).toContain("No DKIM public key is published for the header's selector slack2025");
    expect(dns.queries).toContain('slack2025._domainkey.good.test TXT');
  });

  it('/smtp-doctor check without a target says how to use it', async () => {
    await h.driver.command('check', h.standin.responseUrl('cmd'));
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'respond'));
    expect(String(h.standin.of('respond')[0]?.body.text)).toContain('/smtp-doctor check example.com');
  });

  it('the "Check the sender’s DNS" button under a diagnosis checks the IP in the same thread', async () => {
    const value = encodeActionValue({ value: '198.51.100.7', lang: 'ja' });
    await h.driver.interaction({
      type: 'block_actions',
      team: { id: 'T1', domain: 'test' },
      user: { id: 'U1', username: 'alice', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: '111.222.trigger',
      response_url: h.standin.responseUrl('action'),
      container: { type: 'message', message_ts: '1700000000.7', channel_id: 'C1', is_ephemeral: false },
      channel: { id: 'C1', name: 'support' },
      message: { type: 'message', ts: '1700000000.7', text: 'a reply', thread_ts: '1700000000.5' },
      actions: [{ action_ts: '1700000000.1', type: 'button', action_id: 'run-check', block_id: 'b1', value }],
    });
    await h.standin.waitFor(updated('Spamhaus ZEN'));
    expect(h.standin.of('chat.postMessage')[0]?.body).toMatchObject({ channel: 'C1', thread_ts: '1700000000.5' });
    expect(JSON.stringify(h.standin.of('chat.update')[0]?.body.blocks)).toContain('198.51.100.7 は Spamhaus ZEN に登録されています');
  });

  it('a diagnosis of a DMARC bounce offers the check button with the sending domain', async () => {
    await h.driver.command('diagnose 550 5.7.515 Access denied, sending domain SHOP.EXAMPLE doesn\'t meet the required authentication level.', h.standin.responseUrl('cmd'));
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'respond'));
    const blocks = JSON.stringify(h.standin.of('respond')[0]?.body.blocks);
    expect(blocks).toContain('"action_id":"run-check"');
    expect(blocks).toContain(JSON.stringify(encodeActionValue({ value: 'shop.example', lang: 'en' })).slice(1, -1));
  });
});
