/**
 * The real Bolt app over real HTTP on 127.0.0.1, driven with signed event callbacks like Slack's, answering to a
 * Web API stand-in: thread replies, silence, DMs, mentions, retries, secrets, bad signatures, errors.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { nextTs } from '../../support/slack-driver.js';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';
import { BOT_ID, BOT_USER_ID } from '../../support/slack-standin.js';
import { expectWithinSlackLimits } from './limits.js';

const RELAY = '554 5.7.1 <bob@example.com>: Relay access denied';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.standin.reset();
  vi.restoreAllMocks();
});

const channelMessage = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  channel: 'C1',
  channel_type: 'channel',
  user: 'U1',
  text,
  ts: nextTs(),
  event_ts: nextTs(),
  ...extra,
});

/** Sends a pasted error last and waits for its reply: whatever was sent before it has been handled by then. */
async function sentinel(): Promise<string> {
  const m = channelMessage(RELAY, { channel: 'CSENTINEL' });
  await h.driver.event(m);
  await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.body.channel === 'CSENTINEL'));
  return m.ts;
}

describe('Slack events over HTTP', () => {
  it('called auth.test at start, on the stand-in', () => {
    // Start-up happened in beforeAll; reset() clears calls after each test, so this test runs first to see it.
    expect(h.standin.calls.some((c) => c.method === 'auth.test')).toBe(true);
  });

  it('answers a pasted error in a channel in the message thread, within Block Kit limits', async () => {
    const m = channelMessage(RELAY);
    const res = await h.driver.event(m);
    expect(res.status).toBe(200);
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    const [post] = h.standin.of('chat.postMessage');
    expect(post?.body.channel).toBe('C1');
    expect(post?.body.thread_ts).toBe(m.ts);
    expect(post?.headers.authorization).toBe('Bearer xoxb-test-token-0000');
    const blocks = expectWithinSlackLimits(post!);
    expect(JSON.stringify(blocks)).toMatch(/Relay/);
    // The diagnosis keeps its button, with the category to focus the checklist on.
    expect(JSON.stringify(blocks)).toContain('show-checklist');
  });

  it('answers in the existing thread when the error is pasted inside one', async () => {
    const m = channelMessage(RELAY, { thread_ts: '1699999999.000001' });
    await h.driver.event(m);
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    expect(h.standin.of('chat.postMessage')[0]?.body.thread_ts).toBe('1699999999.000001');
  });

  it('says nothing to ordinary chat, edits, deletions, joins, its own and other bots\' messages', async () => {
    await h.driver.event(channelMessage('lunch at noon?'));
    await h.driver.event(channelMessage(RELAY, { subtype: 'message_changed', message: { text: RELAY } }));
    await h.driver.event({ type: 'message', subtype: 'message_deleted', channel: 'C1', channel_type: 'channel', ts: nextTs(), deleted_ts: nextTs() });
    await h.driver.event(channelMessage(RELAY, { subtype: 'channel_join' }));
    await h.driver.event(channelMessage(RELAY, { subtype: 'bot_message', bot_id: 'BOTHER', user: undefined }));
    await h.driver.event(channelMessage(RELAY, { bot_id: BOT_ID, user: BOT_USER_ID }));
    await h.driver.event(channelMessage(RELAY, { bot_id: 'BOTHER', user: 'UOTHERBOT' }));
    const sentinelTs = await sentinel();
    const posts = h.standin.of('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.thread_ts).toBe(sentinelTs);
  });

  it('never answers a retried event twice (X-Slack-Retry-Num, same event id)', async () => {
    const m = channelMessage(RELAY);
    const body = h.driver.eventBody(m, 'EvRETRY1');
    await h.driver.post(body, 'application/json');
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    const retry = await h.driver.post(body, 'application/json', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    // The same message delivered under a new event id (Slack does that too) is still the same message.
    await h.driver.post(h.driver.eventBody(m, 'EvRETRY2'), 'application/json', { 'x-slack-retry-num': '2' });
    await sentinel();
    expect(h.standin.of('chat.postMessage').filter((c) => c.body.thread_ts === m.ts)).toHaveLength(1);
  });

  it('answers a DM in the DM (not in a thread), even when it is not an error', async () => {
    await h.driver.event({ type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', text: 'hello there', ts: nextTs() });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    const [post] = h.standin.of('chat.postMessage');
    expect(post?.body.channel).toBe('D1');
    expect(post?.body.thread_ts).toBeUndefined();
    expectWithinSlackLimits(post!);
  });

  it('goes through the checklist asked for in a DM one step at a time, with "done" / "didn\'t help" buttons', async () => {
    await h.driver.event({ type: 'message', channel: 'DU1', channel_type: 'im', user: 'U1', text: 'チェックリスト', ts: nextTs() });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    const post = h.standin.of('chat.postMessage')[0]!;
    const blocks = JSON.stringify(expectWithinSlackLimits(post));
    expect(blocks).toContain('確認 1/7');
    expect(blocks).toContain(h.bot.kb.checklist[0]!.howto.ja.slice(0, 20));
    expect(blocks).toContain('"action_id":"step-done"');
    expect(blocks).toContain('"action_id":"step-failed"');
    await h.driver.event({ type: 'message', channel: 'DU1', channel_type: 'im', user: 'U1', text: 'できた', ts: nextTs() });
    await h.standin.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length >= 2);
    expect(JSON.stringify(h.standin.of('chat.postMessage')[1]?.body.blocks)).toContain('確認 2/7');
  });

  it('always answers a mention, in its thread, and the same message as a `message` event gets no second answer', async () => {
    const ts = nextTs();
    const text = `<@${BOT_USER_ID}> help`;
    await h.driver.event({ type: 'app_mention', channel: 'C1', user: 'U1', text, ts, event_ts: ts });
    await h.driver.event({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text, ts });
    await sentinel();
    const replies = h.standin.of('chat.postMessage').filter((c) => c.body.thread_ts === ts);
    expect(replies).toHaveLength(1);
    expect(String(replies[0]?.body.text)).toMatch(/How to use smtp-doctor/);
  });

  it('starts the checklist asked for by mention in its thread, one step at a time', async () => {
    const ts = nextTs();
    await h.driver.event({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@${BOT_USER_ID}> checklist`, ts, event_ts: ts });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    const [step] = h.standin.of('chat.postMessage');
    expect(step?.body).toMatchObject({ channel: 'C1', thread_ts: ts });
    expect(JSON.stringify(step?.body.blocks)).toContain('Check 1 of 7');
  });

  it('follows a conversation in its thread: a paste, "still failing" without a mention, then the "next cause" button', async () => {
    const paste = channelMessage('Error: Invalid login: 535-5.7.8 Username and Password not accepted. https://support.google.com/mail/?p=BadCredentials');
    await h.driver.event(paste);
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    const first = h.standin.of('chat.postMessage')[0]!;
    expect(first.body.thread_ts).toBe(paste.ts);
    const firstBlocks = expectWithinSlackLimits(first) as { type: string; elements?: { action_id?: string; value?: string }[] }[];
    const nextCause = firstBlocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'next-cause');
    expect(nextCause?.value).toBeDefined();
    await h.driver.event(channelMessage('still failing', { thread_ts: paste.ts }));
    await h.standin.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length >= 2);
    const second = h.standin.of('chat.postMessage')[1]!;
    expect(second.body).toMatchObject({ channel: 'C1', thread_ts: paste.ts });
    expect(String(second.body.text)).toMatch(/Next likely cause/);
    await h.driver.interaction({
      type: 'block_actions',
      team: { id: 'T1', domain: 'test' },
      user: { id: 'U1', username: 'alice', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: '111.222.trigger',
      response_url: h.standin.responseUrl('action'),
      container: { type: 'message', message_ts: String(first.body.ts ?? nextTs()), channel_id: 'C1', is_ephemeral: false },
      channel: { id: 'C1', name: 'support' },
      message: { type: 'message', ts: nextTs(), text: 'a reply', thread_ts: paste.ts },
      actions: [{ action_ts: '1700000000.1', type: 'button', action_id: 'next-cause', block_id: 'b1', value: nextCause?.value }],
    });
    await h.standin.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length >= 3);
    const third = h.standin.of('chat.postMessage')[2]!;
    expect(third.body).toMatchObject({ channel: 'C1', thread_ts: paste.ts });
    expect(String(third.body.text)).toMatch(/Next likely cause/);
    expect(third.body.text).not.toBe(second.body.text);
  });

  it('runs a probe asked for by mention: a message at once, edited as steps finish, ending with the report', async () => {
    const ts = nextTs();
    // Slack turns a typed host name into a link; the probe must get the host name.
    await h.driver.event({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@${BOT_USER_ID}> test <http://smtp.example.jp|smtp.example.jp>`, ts, event_ts: ts });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.update' && String(c.body.text).includes('Report for')));
    expect(h.probe.calls.at(-1)?.request).toMatchObject({ target: 'smtp.example.jp', lang: 'en', userId: 'U1' });
    const [first] = h.standin.of('chat.postMessage');
    expect(first?.body).toMatchObject({ channel: 'C1', thread_ts: ts });
    expect(String(first?.body.text)).toContain('Testing smtp.example.jp');
    const updates = h.standin.of('chat.update');
    // Every edit is of the one message posted first.
    expect(new Set(updates.map((u) => `${String(u.body.channel)}/${String(u.body.ts)}`))).toEqual(new Set([`C1/${String(updates[0]?.body.ts)}`]));
    expect(h.standin.of('chat.postMessage')).toHaveLength(1);
    expect(String(updates.at(-1)?.body.text)).toContain('Report for smtp.example.jp');
    // The report offers the AUTH test as a button.
    expect(JSON.stringify(updates.at(-1)?.body.blocks)).toContain('auth-test');
    for (const u of updates) expectWithinSlackLimits(u);
  });

  it('answers a Japanese message in Japanese', async () => {
    const m = channelMessage('送信できません。554 5.7.1 Relay access denied と表示されます');
    await h.driver.event(m);
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    expect(String(h.standin.of('chat.postMessage')[0]?.body.text)).toMatch(/中継/);
  });

  it('never repeats a pasted AUTH line or password, in any payload or log line', async () => {
    const b64 = 'AHVzZXJAZXhhbXBsZS5qcABodW50ZXIy';
    const m = channelMessage(`535 5.7.8 Authentication failed\nC: AUTH PLAIN ${b64}\npassword: hunter2xyz`);
    await h.driver.event(m);
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    expect(h.standin.of('chat.postMessage')[0]?.body.thread_ts).toBe(m.ts);
    for (const c of h.standin.calls) {
      expect(c.raw).not.toContain(b64);
      expect(c.raw).not.toContain('hunter2xyz');
    }
    expect(h.logs()).not.toContain(b64);
    expect(h.logs()).not.toContain('hunter2xyz');
  });

  it('rejects a bad signature and a stale timestamp with 401, and does nothing', async () => {
    const body = h.driver.eventBody(channelMessage(RELAY));
    const forged = await h.driver.post(body, 'application/json', h.driver.sign(body, undefined, 'wrong-secret'));
    expect(forged.status).toBe(401);
    const stale = await h.driver.post(body, 'application/json', h.driver.sign(body, Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(401);
    await sentinel();
    expect(h.standin.of('chat.postMessage')).toHaveLength(1);
  });

  it('answers url_verification with the challenge', async () => {
    const body = JSON.stringify({ type: 'url_verification', token: 'legacy', challenge: 'abc123' });
    const res = await h.driver.post(body, 'application/json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'abc123' });
  });

  it('apologises when Slack refuses the reply, and logs the error', async () => {
    h.standin.answerNext('chat.postMessage', { body: { ok: false, error: 'internal_error' } });
    const m = channelMessage(RELAY);
    await h.driver.event(m);
    await h.standin.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length >= 2);
    const apology = h.standin.of('chat.postMessage')[1]!;
    expect(apology.body.thread_ts).toBe(m.ts);
    expect(String(apology.body.text)).toMatch(/Sorry/);
    expect(h.logs()).toMatch(/answering a message failed/);
    expect(h.logs()).toContain('internal_error');
  });

  it('apologises in a DM when the engine throws, and the app keeps running', async () => {
    vi.spyOn(h.bot, 'handle').mockImplementationOnce(() => {
      throw new Error('engine exploded');
    });
    await h.driver.event({ type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', text: RELAY, ts: nextTs() });
    await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
    expect(String(h.standin.of('chat.postMessage')[0]?.body.text)).toMatch(/Sorry/);
    expect(h.logs()).toContain('engine exploded');
    await sentinel();
  });
});
