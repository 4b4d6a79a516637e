/**
 * /smtp-doctor, buttons, checkboxes and the AUTH modal, against the real Bolt app over signed HTTP on 127.0.0.1.
 * Acks come back at once, the work follows; credentials from the modal reach the probe service and nothing else.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeActionValue } from '../../../src/render/slack.js';
import { nextTs } from '../../support/slack-driver.js';
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
  h.probe.calls.length = 0;
});

/** A view_submission of the AUTH modal, as Slack sends it. */
function submitAuthModal(metadata: Record<string, string>, user: string, pass: string | null) {
  return h.driver.interaction({
    type: 'view_submission',
    team: { id: 'T1', domain: 'test' },
    user: { id: 'U1', username: 'alice', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: '333.444',
    view: {
      id: 'V1',
      type: 'modal',
      callback_id: 'auth-test-modal',
      private_metadata: JSON.stringify(metadata),
      state: { values: { user: { user: { type: 'plain_text_input', value: user } }, pass: { pass: { type: 'plain_text_input', value: pass } } } },
      hash: 'h',
    },
    response_urls: [],
  });
}

const responds = () => h.standin.of('respond');

function blockAction(action: Record<string, unknown>, where: { channel: string; ts: string; threadTs?: string; ephemeral?: boolean }) {
  return {
    type: 'block_actions',
    team: { id: 'T1', domain: 'test' },
    user: { id: 'U1', username: 'alice', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: '111.222.trigger',
    response_url: h.standin.responseUrl('action'),
    container: { type: 'message', message_ts: where.ts, channel_id: where.channel, is_ephemeral: where.ephemeral ?? false },
    channel: { id: where.channel, name: 'support' },
    message: { type: 'message', ts: where.ts, text: 'a reply', ...(where.threadTs ? { thread_ts: where.threadTs } : {}) },
    actions: [{ action_ts: '1700000000.1', ...action }],
  };
}

describe('/smtp-doctor', () => {
  it('acks a diagnosis at once and answers through the response URL, only to the user', async () => {
    const res = await h.driver.command('diagnose 554 5.7.1 <bob@example.com>: Relay access denied', h.standin.responseUrl('cmd'));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    await h.standin.waitFor(() => responds().length > 0);
    const answer = responds()[0]!;
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer.body.text)).toMatch(/relay/i);
    expectWithinSlackLimits(answer);
    expect(h.standin.of('chat.postMessage')).toHaveLength(0);
  });

  it('diagnoses a paste given without the word "diagnose"', async () => {
    await h.driver.command('550 5.7.1 Relaying denied', h.standin.responseUrl('cmd'));
    await h.standin.waitFor(() => responds().length > 0);
    expect(String(responds()[0]?.body.text)).toMatch(/relay/i);
  });

  it('acks a probe before the probe is done, then posts and edits the message in the channel', async () => {
    const res = await h.driver.command('probe smtp.example.jp 587', h.standin.responseUrl('cmd'));
    expect(res.status).toBe(200);
    // The fake probe takes 3 × 5 ms after the ack: the report cannot have arrived yet.
    expect(h.standin.of('chat.update').some((c) => String(c.body.text).includes('Report for'))).toBe(false);
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.update' && String(c.body.text).includes('Report for')));
    expect(h.probe.calls[0]?.request).toMatchObject({ target: 'smtp.example.jp', ports: [587], userId: 'U1' });
    expect(h.standin.of('chat.postMessage')[0]?.body.channel).toBe('C1');
  });

  it('refuses a bad port with the usage, without probing', async () => {
    await h.driver.command('probe smtp.example.jp 99999', h.standin.responseUrl('cmd'));
    await h.standin.waitFor(() => responds().length > 0);
    expect(String(responds()[0]?.body.text)).toContain('99999');
    expect(h.probe.calls).toHaveLength(0);
  });

  it('moves a probe to the DM when the app is not in the channel', async () => {
    h.standin.notInChannel.add('CPRIVATE');
    await h.driver.command('probe smtp.example.jp', h.standin.responseUrl('cmd'), { channel_id: 'CPRIVATE' });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.update' && String(c.body.text).includes('Report for')));
    const posts = h.standin.of('chat.postMessage').map((c) => c.body.channel);
    expect(posts).toEqual(['CPRIVATE', 'DU1', 'DU1']);
    expect(h.standin.of('chat.update').every((c) => c.body.channel === 'DU1')).toBe(true);
  });

  it('sends the checklist by DM and tells the user where it went', async () => {
    await h.driver.command('checklist', h.standin.responseUrl('cmd'));
    await h.standin.waitFor(() => responds().length > 0 && h.standin.of('chat.postMessage').length > 0);
    expect(h.standin.of('chat.postMessage')[0]?.body.channel).toBe('DU1');
    expect(JSON.stringify(h.standin.of('chat.postMessage')[0]?.body.blocks)).toContain('checkboxes');
    expect(String(responds()[0]?.body.text)).toContain('DM');
  });

  it('switches a user to Japanese with `lang ja`, and answers in Japanese from then on', async () => {
    // Another user, so that the override does not follow U1 into the other tests.
    const u2 = { user_id: 'U2' };
    await h.driver.command('lang ja', h.standin.responseUrl('cmd'), u2);
    await h.standin.waitFor(() => responds().length > 0);
    expect(String(responds()[0]?.body.text)).toContain('日本語');
    await h.driver.command('help', h.standin.responseUrl('cmd'), u2);
    await h.standin.waitFor(() => responds().length > 1);
    expect(String(responds()[1]?.body.text)).toContain('使い方');
    await h.driver.command('lang en', h.standin.responseUrl('cmd'), u2);
    await h.standin.waitFor(() => responds().length > 2);
    expect(String(responds()[2]?.body.text)).toMatch(/English/);
  });
});

describe('buttons and checkboxes', () => {
  it('ticks a checklist step for the user and redraws the message with the new progress', async () => {
    const step = h.bot.kb.checklist[1]!;
    const res = await h.driver.interaction(
      blockAction(
        { type: 'checkboxes', action_id: 'checklist-toggle', block_id: `step:en:${step.id}`, selected_options: [{ text: { type: 'plain_text', text: 'Done' }, value: step.id }] },
        { channel: 'DU1', ts: '1700000100.000001' },
      ),
    );
    expect(res.status).toBe(200);
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.update'));
    const edit = h.standin.of('chat.update')[0]!;
    expect(edit.body).toMatchObject({ channel: 'DU1', ts: '1700000100.000001' });
    expectWithinSlackLimits(edit);
    const blocks = edit.body.blocks as { block_id?: string; accessory?: { initial_options?: unknown[] } }[];
    expect(blocks.find((b) => b.block_id === `step:en:${step.id}`)?.accessory?.initial_options).toHaveLength(1);
    expect(blocks.find((b) => b.block_id === `step:en:${h.bot.kb.checklist[0]!.id}`)?.accessory?.initial_options).toBeUndefined();
    expect(JSON.stringify(blocks)).toContain(`1 of ${h.bot.kb.checklist.length} steps checked`);
    // Unticking it again takes the progress back.
    await h.driver.interaction(
      blockAction({ type: 'checkboxes', action_id: 'checklist-toggle', block_id: `step:en:${step.id}`, selected_options: [] }, { channel: 'DU1', ts: '1700000100.000001' }),
    );
    await h.standin.waitFor((calls) => calls.filter((c) => c.method === 'chat.update').length > 1);
    expect(JSON.stringify(h.standin.of('chat.update')[1]?.body.blocks)).toContain(`0 of ${h.bot.kb.checklist.length} steps checked`);
  });

  it('runs the suggested probe in the diagnosis thread', async () => {
    const ts = nextTs();
    await h.driver.interaction(
      blockAction({ type: 'button', action_id: 'run-probe', block_id: 'b1', value: encodeActionValue({ value: 'smtp.example.jp', lang: 'ja' }) }, { channel: 'C1', ts, threadTs: '1700000000.5' }),
    );
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.update' && String(c.body.text).includes('Report for')));
    expect(h.probe.calls[0]?.request).toMatchObject({ target: 'smtp.example.jp', lang: 'ja', userId: 'U1' });
    expect(h.standin.of('chat.postMessage')[0]?.body).toMatchObject({ channel: 'C1', thread_ts: '1700000000.5' });
    expect(String(h.standin.of('chat.postMessage')[0]?.body.text)).toContain('テスト');
  });

  it('sends the checklist, focused on the diagnosis, by DM from a channel button', async () => {
    await h.driver.interaction(
      blockAction({ type: 'button', action_id: 'show-checklist', block_id: 'b2', value: encodeActionValue({ value: 'auth-failed', lang: 'en' }) }, { channel: 'C1', ts: nextTs() }),
    );
    await h.standin.waitFor(() => responds().length > 0 && h.standin.of('chat.postMessage').length > 0);
    const dm = h.standin.of('chat.postMessage')[0]!;
    expect(dm.body.channel).toBe('DU1');
    expect(JSON.stringify(dm.body.blocks)).toMatch(/start with/);
    expect(responds()[0]?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });
});

describe('the AUTH test modal', () => {
  const PASSWORD = 'S3cret-Passw0rd!xyz';

  it('opens a modal from the report button, asking for user and password, with nothing secret in it', async () => {
    const res = await h.driver.interaction(
      blockAction({ type: 'button', action_id: 'auth-test', block_id: 'b3', value: encodeActionValue({ value: 'smtp.example.jp', lang: 'en' }) }, { channel: 'C1', ts: '1700000200.000001', threadTs: '1700000199.000001' }),
    );
    expect(res.status).toBe(200);
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'views.open'));
    const open = h.standin.of('views.open')[0]!;
    expect(open.body.trigger_id).toBe('111.222.trigger');
    const view = open.body.view as { type: string; title: { text: string }; private_metadata: string; blocks: { type: string; block_id?: string }[] };
    expect(view.type).toBe('modal');
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['user', 'pass']);
    expect(JSON.parse(view.private_metadata)).toEqual({ t: 'smtp.example.jp', l: 'en', c: 'C1', h: '1700000199.000001' });
    expect(Array.from(view.title.text).length).toBeLessThanOrEqual(24);
  });

  it('runs the probe once with the submitted credentials; they reach no payload and no log line', async () => {
    const res = await submitAuthModal({ t: 'smtp.example.jp', l: 'en', c: 'C1', h: '1700000199.000001' }, 'alice@example.jp', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.update' && String(c.body.text).includes('Report for')));
    expect(h.probe.calls).toHaveLength(1);
    expect(h.probe.calls[0]?.credentials).toEqual({ user: 'alice@example.jp', pass: PASSWORD });
    expect(h.standin.of('chat.postMessage')[0]?.body).toMatchObject({ channel: 'C1', thread_ts: '1700000199.000001' });
    expect(h.standin.calls.length).toBeGreaterThan(1);
    for (const c of h.standin.calls) expect(c.raw).not.toContain(PASSWORD);
    expect(h.logs()).not.toContain(PASSWORD);
  });

  it('keeps the modal open with an error when the password is missing', async () => {
    const res = await submitAuthModal({ t: 'smtp.example.jp', l: 'ja', c: 'C1' }, 'alice', null);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { pass: '入力してください。' } });
    expect(h.probe.calls).toHaveLength(0);
  });
});
