/** Log lines say where (guild, channel, message ids), never what: no message text, whatever goes wrong. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IDS } from '../../support/discord-standin.js';
import { sleep, startHarness, type Harness } from '../../support/discord-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('Discord log lines', () => {
  test('a failed reply is logged with the guild, channel and message ids and without the pasted text', async () => {
    h.standin.failNext('POST', /\/channels\/\d+\/messages$/, 403);
    h.standin.failNext('POST', /\/channels\/\d+\/messages$/, 403);
    const id = h.standin.sendMessage('554 5.7.1 <dave.private@example.com>: Relay access denied — unique-marker-4471');
    const until = Date.now() + 5000;
    while (!h.logs.some((l) => l.includes(id) && l.includes('"level":50')) && Date.now() < until) await sleep(20);
    const line = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === id && l.level === 50);
    expect(line).toMatchObject({ guild: IDS.guild, channel: IDS.channel, message: id });
    expect(h.logs.join('\n')).not.toContain('unique-marker-4471');
    expect(h.logs.join('\n')).not.toContain('dave.private');
  });
});
