/**
 * A probe target typed with credentials (`/smtp-doctor probe smtp://me:pw@host`, a button's value): the real probe
 * service refuses it before sending anything, and no message, edit or log line shows the password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbeService } from '../../../src/bot/probe-service.js';
import { encodeActionValue } from '../../../src/render/slack.js';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';
import { realIndex } from '../../support/kb.js';

const SECRET = 'CmdSecret1';
let h: SlackHarness;

beforeAll(async () => {
  const probe = createProbeService(
    { allowCidrs: [], ports: [587], extraAllowedPorts: [], connectTimeoutMs: 200, greetingTimeoutMs: 200, totalTimeoutMs: 1000, ratePerMinute: 50, maxConcurrent: 4, egress25Blocked: false },
    realIndex().kb.ui,
  );
  h = await startHarness({ probe });
});
afterAll(async () => {
  await h.close();
});

const everything = () => h.standin.calls.map((c) => c.raw).join('\n');

describe('a probe target with credentials in Slack', () => {
  it('the slash command shows the target without user info and refuses it', async () => {
    await h.driver.command(`probe smtp://me:${SECRET}@smtp.example.com:587`, h.standin.responseUrl('cmd'));
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.update'));
    const first = h.standin.calls.find((c) => c.method === 'chat.postMessage');
    expect(String(first?.body.text)).toContain('smtp://smtp.example.com:587');
    expect(everything()).not.toContain(SECRET);
    expect(h.logs()).not.toContain(SECRET);
  });

  it('a button whose value carries credentials shows and logs none of them', async () => {
    h.standin.reset();
    await h.driver.interaction({
      type: 'block_actions',
      user: { id: 'U1' },
      team: { id: 'T1' },
      channel: { id: 'C1' },
      message: { ts: '1700000000.000001' },
      container: { type: 'message', channel_id: 'C1', message_ts: '1700000000.000001' },
      trigger_id: '1.2.3',
      actions: [{ type: 'button', action_id: 'run-probe', block_id: 'b', value: encodeActionValue({ value: `me:${SECRET}@smtp.example.com`, lang: 'en' }), action_ts: '1' }],
    });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.update'));
    expect(everything()).not.toContain(SECRET);
    expect(h.logs()).not.toContain(SECRET);
  });
});
