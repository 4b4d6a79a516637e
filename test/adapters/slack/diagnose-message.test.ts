/** The message shortcut "Diagnose this message" through the real Bolt app: answered only to the asker. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSE_MESSAGE_SHORTCUT } from '../../../src/adapters/slack/listeners/diagnose-message-shortcut.js';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';
import { expectWithinSlackLimits } from './limits.js';

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

const shortcut = (text: string) =>
  h.driver.interaction({
    type: 'message_action',
    callback_id: DIAGNOSE_MESSAGE_SHORTCUT,
    trigger_id: '111.222.trigger',
    response_url: h.standin.responseUrl('shortcut'),
    team: { id: 'T1', domain: 'test' },
    channel: { id: 'C1', name: 'support' },
    user: { id: 'U1', username: 'alice', team_id: 'T1' },
    message_ts: '1700000200.000001',
    message: { type: 'message', user: 'U2', ts: '1700000200.000001', text },
    token: 'legacy',
    action_ts: '1700000200.5',
  });

describe('Diagnose this message (Slack)', () => {
  it('acks at once and answers only the asker with the diagnosis of that message', async () => {
    const res = await shortcut('Thunderbird: 535 5.7.8 Username and Password not accepted');
    expect(res.status).toBe(200);
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'respond'));
    const answer = h.standin.of('respond')[0]!;
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expectWithinSlackLimits(answer);
    expect(String(answer.body.text)).toMatch(/password|authentication/i);
    expect(h.standin.of('chat.postMessage')).toHaveLength(0);
  });

  it('a message without text gets a short note', async () => {
    await shortcut('');
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'respond'));
    expect(String(h.standin.of('respond')[0]?.body.text)).toMatch(/no text to diagnose/);
  });
});
