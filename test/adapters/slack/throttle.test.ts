/**
 * Fair pacing in a busy channel, against the real Bolt app and the Slack stand-in: 100 people paste errors in one
 * channel within 2 s and every one of them gets an answer in their own thread, spaced at the channel's pace (here
 * shortened from Slack's ~1 message a second to 40 ms by configuration); nobody's error is dropped. A person who
 * pastes again at once is not answered twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextTs } from '../../support/slack-driver.js';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';

const PACE_MS = 40;
/** Platforms count messages per window (Slack: about one a second per channel, short bursts allowed). */
const WINDOW_MS = 2_000;
const USERS = 100;
const errors = [
  '554 5.7.1 <bob@example.com>: Relay access denied',
  '535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6',
  '550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
  'connect ECONNREFUSED 203.0.113.5:587',
  '552 5.2.2 Mailbox full',
];

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness({ channelReplyIntervalMs: PACE_MS, userReplyIntervalMs: 60_000 });
});
afterAll(async () => {
  await h.close();
});

describe('a busy channel', () => {
  it(`${USERS} users pasting errors within 2 s all get an answer, at the channel's pace`, async () => {
    const sent: { user: string; ts: string }[] = [];
    const started = Date.now();
    const deliveries: Promise<unknown>[] = [];
    for (let i = 0; i < USERS; i++) {
      const m = { user: `U${1000 + i}`, ts: nextTs() };
      sent.push(m);
      deliveries.push(h.driver.event({ type: 'message', channel: 'CBUSY', channel_type: 'channel', user: m.user, text: errors[i % errors.length], ts: m.ts }));
      // Spread over a little over 1 s, as people typing would be.
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 120));
    }
    const pastedWithin = Date.now() - started;
    const acks = (await Promise.all(deliveries)) as { status: number; ms: number }[];
    // About 1.1 s of pauses; a loaded machine stretches it, which changes nothing below.
    expect(pastedWithin).toBeLessThan(5_000);
    expect(acks.every((a) => a.status === 200)).toBe(true);

    const inBusy = () => h.standin.of('chat.postMessage').filter((c) => c.body.channel === 'CBUSY');
    await h.standin.waitFor(() => inBusy().length >= USERS, 30_000);
    const posts = inBusy();
    // One answer per person, each in that person's thread.
    expect(new Set(posts.map((p) => p.body.thread_ts))).toEqual(new Set(sent.map((m) => m.ts)));
    expect(posts).toHaveLength(USERS);
    // Never faster than the channel's pace, counted by window as platforms do: in any 2 s at most 2000/40 = 50 posts,
    // +1 for the window's edge and +2 for replies whose rendering or request a busy machine held up (which bunches
    // them at the edges of a window without changing the pace).
    const times = posts.map((p) => p.at).sort((x, y) => x - y);
    let busiest = 0;
    for (let k = 0; k < times.length; k++) busiest = Math.max(busiest, times.filter((t) => t >= times[k]! && t < times[k]! + WINDOW_MS).length);
    expect(busiest).toBeLessThanOrEqual(WINDOW_MS / PACE_MS + 3);
    const span = times.at(-1)! - times[0]!;
    expect(span).toBeGreaterThanOrEqual((USERS - 1) * PACE_MS - 50);
    const gaps = times.slice(1).map((t, k) => t - times[k]!);
    console.log(
      `throttle: ${USERS} users pasted within ${pastedWithin} ms (slowest ack ${Math.max(...acks.map((a) => a.ms))} ms); ${posts.length} answers, ` +
        `first ${posts[0]!.at - started} ms, last ${posts.at(-1)!.at - started} ms after the first paste; median gap ${gaps.sort((x, y) => x - y)[gaps.length >> 1]} ms, at most ${busiest} posts in any ${WINDOW_MS} ms, at a ${PACE_MS} ms pace`,
    );
  });

  it('a person pasting again at once is answered once; a different person right after is still answered', async () => {
    h.standin.reset();
    const first = nextTs();
    await h.driver.event({ type: 'message', channel: 'CREPEAT', channel_type: 'channel', user: 'UREPEAT', text: errors[0], ts: first });
    await h.driver.event({ type: 'message', channel: 'CREPEAT', channel_type: 'channel', user: 'UREPEAT', text: errors[1], ts: nextTs() });
    const other = nextTs();
    await h.driver.event({ type: 'message', channel: 'CREPEAT', channel_type: 'channel', user: 'UOTHER', text: errors[0], ts: other });
    await h.standin.waitFor((calls) => calls.filter((c) => c.method === 'chat.postMessage').length >= 2, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.standin.of('chat.postMessage').map((c) => c.body.thread_ts)).toEqual([first, other]);
  });
});
