/** "Diagnose this message": someone else's pasted error, diagnosed for the asker only, through the real client. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InteractionResponseType, MessageFlags, type APIEmbed } from 'discord.js';
import { DIAGNOSE_MESSAGE_COMMAND } from '../../../src/adapters/discord/commands/definitions.js';
import { startHarness, type Harness } from '../../support/discord-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

interface Body {
  type?: number;
  content?: string;
  embeds?: APIEmbed[];
  data?: { flags?: number };
}

async function answer(i: { id: string; token: string }): Promise<{ callback: Body; edit: Body }> {
  const [callback] = await h.standin.waitFor('POST', new RegExp(`^/api/v10/interactions/${i.id}/${i.token}/callback$`));
  const [edit] = await h.standin.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${i.token}/messages/@original$`));
  return { callback: callback!.body as Body, edit: edit!.body as Body };
}

describe('Diagnose this message', () => {
  test('diagnoses the message\'s text, only for the asker, in their Discord language', async () => {
    const i = h.standin.messageCommand(DIAGNOSE_MESSAGE_COMMAND, 'Outlook: 554 5.7.1 <bob@example.com>: Relay access denied', { locale: 'ja' });
    const { callback, edit } = await answer(i);
    expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(callback.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(edit.embeds?.[0]?.title).toMatch(/リレー|中継/);
  });

  test('a message without text gets a short note instead of a diagnosis', async () => {
    const i = h.standin.messageCommand(DIAGNOSE_MESSAGE_COMMAND, '');
    const { edit } = await answer(i);
    expect(edit.content).toBe('This message has no text to diagnose.');
  });
});
