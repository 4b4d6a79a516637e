/**
 * An interaction token that has expired (Discord: 401 Invalid Webhook Token, 404 Unknown Webhook) no longer loses the
 * answer: a public reply becomes a channel message, a private one a DM, and later edits (a probe's) go to it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIAGNOSE_MESSAGE_COMMAND } from '../../../src/adapters/discord/commands/definitions.js';
import { IDS } from '../../support/discord-standin.js';
import { startHarness, type Harness } from '../../support/discord-harness.js';

const ORIGINAL = /^\/api\/v10\/webhooks\/\d+\/[^/]+\/messages\/@original$/;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ progressIntervalMs: 50 });
});
afterAll(async () => {
  await h?.stop();
});

const text = (body: unknown): string => JSON.stringify(body);

describe('an expired interaction token', () => {
  test('a public answer is posted in the channel instead', async () => {
    h.standin.failNext('PATCH', ORIGINAL, 401);
    h.standin.slashCommand('diagnose', [{ name: 'text', type: 'string', value: '550 5.7.1 Relay access denied' }]);
    const [post] = await h.standin.waitFor('POST', new RegExp(`^/api/v10/channels/${IDS.channel}/messages$`));
    expect(text(post?.body)).toMatch(/relay/i);
  });

  test('a private answer goes to the user\'s DM', async () => {
    h.standin.failNext('PATCH', ORIGINAL, 404);
    h.standin.messageCommand(DIAGNOSE_MESSAGE_COMMAND, '552 5.2.2 Mailbox full');
    await h.standin.waitFor('POST', /^\/api\/v10\/users\/@me\/channels$/);
    const [dm] = await h.standin.waitFor('POST', new RegExp(`^/api/v10/channels/${IDS.dm}/messages$`));
    expect(text(dm?.body)).toMatch(/mailbox/i);
  });

  test('a probe whose token expires mid-way finishes by editing its own channel message', async () => {
    const before = h.standin.find('POST', new RegExp(`^/api/v10/channels/${IDS.channel}/messages$`)).length;
    h.standin.failNext('PATCH', ORIGINAL, 401);
    h.standin.slashCommand('probe', [{ name: 'target', type: 'string', value: 'smtp.example.com' }]);
    await h.standin.waitFor('POST', new RegExp(`^/api/v10/channels/${IDS.channel}/messages$`), before + 1);
    const until = Date.now() + 5000;
    const edits = () => h.standin.find('PATCH', new RegExp(`^/api/v10/channels/${IDS.channel}/messages/\\d+$`));
    while (!edits().some((c) => /Report for smtp\.example\.com/.test(text(c.body))) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(edits().some((c) => /Report for smtp\.example\.com/.test(text(c.body)))).toBe(true);
  });
});
