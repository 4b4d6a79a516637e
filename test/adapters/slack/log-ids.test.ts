/** Log lines say where (team, channel, event ids), never what: no message text, whatever goes wrong. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextTs } from '../../support/slack-driver.js';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('Slack log lines', () => {
  it('a failed reply is logged with the team, channel and event ids and without the pasted text', async () => {
    const text = '554 5.7.1 <carol.private@example.com>: Relay access denied — unique-marker-7319';
    h.standin.answerNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    h.standin.answerNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    const body = h.driver.eventBody({ type: 'message', channel: 'CLOG', channel_type: 'channel', user: 'U1', text, ts: nextTs() }, 'EvLOG1');
    await h.driver.post(body, 'application/json');
    await h.standin.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length >= 1);
    const until = Date.now() + 4000;
    while (!h.logs().includes('EvLOG1') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const lines = h.logs().split('\n').filter((l) => l.includes('EvLOG1')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.find((l) => l.level === 50)).toMatchObject({ team: 'T1', channel: 'CLOG', event: 'EvLOG1' });
    expect(h.logs()).not.toContain('unique-marker-7319');
    expect(h.logs()).not.toContain('carol.private');
  });
});
