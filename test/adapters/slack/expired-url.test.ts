/**
 * An expired response URL (Slack keeps one for 30 minutes and five uses) no longer leaves the user with nothing: the
 * answer goes as an ephemeral message in the conversation, or to the user's DM when the app cannot post there.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.standin.reset();
});

const expired = () => h.standin.answerNext('respond', { status: 404, body: { ok: false, error: 'expired_url' } });

describe('an expired response URL', () => {
  it('a command\'s answer goes as an ephemeral message in the channel instead', async () => {
    expired();
    await h.driver.command('diagnose 554 5.7.1 <bob@example.com>: Relay access denied', h.standin.responseUrl('old'));
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postEphemeral'));
    const eph = h.standin.of('chat.postEphemeral')[0]!;
    expect(eph.body).toMatchObject({ channel: 'C1', user: 'U1' });
    expect(String(eph.body.text)).toMatch(/relay/i);
    expect(JSON.stringify(eph.body.blocks)).toContain('feedback-down');
  });

  it('where the app cannot post, it goes to the user\'s DM', async () => {
    expired();
    h.standin.notInChannel.add('C1');
    await h.driver.command('help', h.standin.responseUrl('old'));
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    expect(h.standin.of('chat.postMessage')[0]?.body.channel).toBe('DU1');
    expect(String(h.standin.of('chat.postMessage')[0]?.body.text)).toMatch(/How to use smtp-doctor/);
  });
});
