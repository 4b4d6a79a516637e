/** Payloads that would crash the process inside discord.js are ignored and logged; the bot keeps answering. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InteractionType } from 'discord.js';
import { sleep, startHarness, type Harness } from '../../support/discord-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('malformed interactions', () => {
  test('an INTERACTION_CREATE without data (command, button, modal) crashes nothing and is logged by id', async () => {
    const ids = [InteractionType.ApplicationCommand, InteractionType.MessageComponent, InteractionType.ModalSubmit].map((t) => h.standin.interactionWithoutData(t));
    await sleep(200);
    for (const id of ids) expect(h.logs.some((l) => l.includes(id) && l.includes('interaction without data'))).toBe(true);
    // Still alive and answering.
    h.standin.sendMessage('550 5.7.1 Relay access denied');
    await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/);
    const i = h.standin.slashCommand('checklist', []);
    await h.standin.waitFor('POST', new RegExp(`^/api/v10/interactions/${i.id}/${i.token}/callback$`));
  });
});
