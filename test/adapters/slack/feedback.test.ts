/** 👍 / 👎 in Slack, through the real Bolt app and the stand-in: the buttons, the category menu, the stored pick; and buttons this version does not know. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nextTs } from '../../support/slack-driver.js';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';
import type { StandinCall } from '../../support/slack-standin.js';
import { expectWithinSlackLimits } from './limits.js';

interface Element {
  type: string;
  action_id?: string;
  value?: string;
  options?: { text: { text: string }; value: string }[];
}

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

const elements = (call: StandinCall): Element[] =>
  ((call.body.blocks ?? []) as { type: string; elements?: Element[] }[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

function press(actionId: string, action: Record<string, unknown>) {
  return h.driver.interaction({
    type: 'block_actions',
    team: { id: 'T1', domain: 'test' },
    user: { id: 'U1', username: 'alice', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: '111.222.trigger',
    response_url: h.standin.responseUrl(actionId),
    container: { type: 'message', message_ts: '1700000100.000001', channel_id: 'C1', is_ephemeral: false },
    channel: { id: 'C1', name: 'support' },
    message: { type: 'message', ts: '1700000100.000001', text: 'a diagnosis' },
    actions: [{ action_ts: '1700000000.1', action_id: actionId, ...action }],
  });
}

async function diagnosis(): Promise<{ up: Element; down: Element }> {
  await h.driver.event({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: '554 5.7.1 <bob@example.com>: Relay access denied', ts: nextTs() });
  await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
  const post = h.standin.of('chat.postMessage')[0]!;
  expectWithinSlackLimits(post);
  const els = elements(post);
  const up = els.find((e) => e.action_id === 'feedback-up');
  const down = els.find((e) => e.action_id === 'feedback-down');
  if (!up || !down) throw new Error(`no feedback buttons in ${JSON.stringify(els)}`);
  h.standin.reset();
  return { up, down };
}

describe('feedback in Slack', () => {
  it('👎 asks which category it was, and the pick is stored with the disputed diagnosis', async () => {
    const { down } = await diagnosis();
    await press('feedback-down', { type: 'button', value: down.value });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'respond'));
    const menu = h.standin.of('respond')[0]!;
    expect(menu.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expectWithinSlackLimits(menu);
    const select = elements(menu).find((e) => e.action_id === 'feedback-label');
    expect(select?.type).toBe('static_select');
    expect(select?.options?.at(-1)?.text.text).toBe('None of these');
    const sender = select!.options!.find((o) => o.value.endsWith('|sender-rejected'))!;

    h.standin.reset();
    await press('feedback-label', { type: 'static_select', selected_option: sender });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'respond'));
    expect(h.standin.of('respond')[0]?.body).toMatchObject({ replace_original: true });
    expect(String(h.standin.of('respond')[0]?.body.text)).toMatch(/Thanks/);
    const items = await h.bot.feedback.list();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'disputed', platform: 'slack', userLabel: 'sender-rejected', answer: { category: 'relay-denied' } });
  });

  it('👍 is thanked and keeps nothing; a stale button says it can no longer be rated', async () => {
    const before = (await h.bot.feedback.list()).length;
    const { up } = await diagnosis();
    await press('feedback-up', { type: 'button', value: up.value });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'respond'));
    expect(String(h.standin.of('respond')[0]?.body.text)).toMatch(/Thanks/);
    expect(await h.bot.feedback.list()).toHaveLength(before);
    h.standin.reset();
    await press('feedback-down', { type: 'button', value: JSON.stringify({ v: 'gone', l: 'en' }) });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'respond'));
    expect(String(h.standin.of('respond')[0]?.body.text)).toMatch(/no longer be rated/);
  });
});

describe('buttons this version does not know', () => {
  it('are acknowledged at once and logged by name, and the known ones still work', async () => {
    const res = await press('button-from-an-older-version', { type: 'button', value: 'x' });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(2500);
    const until = Date.now() + 2000;
    while (!h.logs().includes('button-from-an-older-version') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(h.logs()).toMatch(/"action":"button-from-an-older-version".*does not know/);
    expect(h.logs()).not.toMatch(/not acknowledged|multiple/i);
    const { up } = await diagnosis();
    expect((await press('feedback-up', { type: 'button', value: up.value })).status).toBe(200);
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'respond'));
    expect(h.logs()).not.toMatch(/multiple|MultipleAck/i);
  });
});
