/** Messages in channels and DMs, through the real discord.js Client and the loopback stand-in. */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { IDS, OTHER_BOT } from '../../support/discord-standin.js';
import { QUIET_MS, sleep, startHarness, type Harness } from '../../support/discord-harness.js';

interface SentBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: { custom_id: string; label: string }[] }[];
  message_reference?: { message_id: string };
  allowed_mentions?: { parse: string[] };
}

const posts = (h: Harness): SentBody[] => h.standin.find('POST', /\/channels\/\d+\/messages$/).map((c) => c.body as SentBody);

let h: Harness;
beforeAll(async () => {
  // #mail-help is watched; #general is not (the allow-list), but a mention there is still answered.
  h = await startHarness({ channels: [IDS.channel] });
});
afterAll(async () => {
  await h?.stop();
});

describe('in a watched channel', () => {
  test('an error paste gets a diagnosis as a reply to that message, pinging no one', async () => {
    const before = posts(h).length;
    const id = h.standin.sendMessage('Send failed: 550 5.7.1 <bob@example.org>: Relay access denied');
    const [call] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    expect(call?.path).toBe(`/api/v10/channels/${IDS.channel}/messages`);
    expect(call?.authorization).toBe('Bot fake-token');
    const body = call?.body as SentBody;
    expect(body.message_reference?.message_id).toBe(id);
    expect(body.allowed_mentions?.parse).toEqual([]);
    expect(body.embeds?.[0]?.title).toMatch(/relay/i);
    expect(body.components?.flatMap((r) => r.components.map((c) => c.custom_id))).toContain('sd:show-checklist:en:relay-denied');
  });

  test('ordinary chat, other bots and its own messages get nothing', async () => {
    const before = posts(h).length;
    h.standin.sendMessage('anyone up for lunch?');
    h.standin.sendMessage('550 5.7.1 Relay access denied', { author: OTHER_BOT });
    h.standin.sendMessage('550 5.7.1 Relay access denied', { author: { ...OTHER_BOT, id: IDS.bot, username: 'smtp-doctor' } });
    // Gateway events are handled in order: once the next paste is answered, the three before it were passed over.
    const marker = h.standin.sendMessage('554 5.7.1 Relay access denied');
    const sent = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    await sleep(QUIET_MS);
    expect(posts(h).slice(before)).toHaveLength(1);
    expect((sent[0]?.body as SentBody).message_reference?.message_id).toBe(marker);
  });

  test('a Japanese paste is answered in Japanese', async () => {
    const before = posts(h).length;
    h.standin.sendMessage('メールを送信しようとしたら「554 5.7.1 Relay access denied」と表示されて送れません');
    const [call] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    expect((call?.body as SentBody).embeds?.[0]?.description).toMatch(/[\u3040-\u30ff]/);
  });

  test('a pasted password or AUTH line is never repeated in anything sent to Discord', async () => {
    const before = posts(h).length;
    h.standin.sendMessage('C: AUTH PLAIN AGJvYkBleGFtcGxlLmNvbQBodW50ZXIyc2VjcmV0\nS: 535 5.7.8 Authentication credentials invalid\nsmtp_password = Hunter2Secret!');
    await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1);
    const all = h.standin.everything();
    expect(all).not.toContain('AGJvYkBleGFtcGxlLmNvbQBodW50ZXIyc2VjcmV0');
    expect(all).not.toContain('Hunter2Secret');
    expect(h.logs.join('\n')).not.toContain('Hunter2Secret');
  });
});

describe('mentions and the allow-list', () => {
  test('an unwatched channel: an error paste is ignored, a mention is answered with the mention stripped', async () => {
    const before = posts(h).length;
    h.standin.sendMessage('550 5.7.1 Relay access denied', { channelId: IDS.otherChannel });
    const asked = h.standin.sendMessage(`<@${IDS.bot}> checklist`, { channelId: IDS.otherChannel, mentionBot: true });
    const sent = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    await sleep(QUIET_MS);
    expect(posts(h).slice(before)).toHaveLength(1);
    const body = sent[0]?.body as SentBody;
    expect(sent[0]?.path).toBe(`/api/v10/channels/${IDS.otherChannel}/messages`);
    expect(body.message_reference?.message_id).toBe(asked);
    // Asked for in words, the checklist goes one step at a time, with "done" / "didn't help" to move on.
    expect(body.embeds?.[0]?.title).toMatch(/Check 1 of 7/);
    const ids = body.components?.flatMap((r) => r.components.map((c) => c.custom_id)) ?? [];
    expect(ids.some((id) => id.startsWith('sd:step-done:en:'))).toBe(true);
    expect(ids.some((id) => id.startsWith('sd:step-failed:en:'))).toBe(true);
  });

  test('a mention that is not an error still gets an answer', async () => {
    const before = posts(h).length;
    h.standin.sendMessage(`<@${IDS.bot}> hello, what can you do?`, { mentionBot: true });
    const [call] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    expect((call?.body as SentBody).embeds?.[0]?.title).toBeTruthy();
  });
});

describe('direct messages', () => {
  test('"test HOST" runs a probe: a first message, edited with progress, then the report', async () => {
    const before = posts(h).length;
    h.standin.sendMessage('test smtp.example.com', { channelId: IDS.dm });
    const [first] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    expect(first?.path).toBe(`/api/v10/channels/${IDS.dm}/messages`);
    expect((first?.body as SentBody).content).toContain('smtp.example.com');
    const until = Date.now() + 3000;
    while (Date.now() < until && !h.standin.find('PATCH', /\/channels\/\d+\/messages\/\d+$/).some((c) => /Report for/.test(c.raw))) await sleep(10);
    const edits = h.standin.find('PATCH', new RegExp(`/channels/${IDS.dm}/messages/\\d+$`));
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect((edits.at(-1)?.body as SentBody).embeds?.[0]?.title).toBe('✅ Report for smtp.example.com');
    expect(h.probe.calls.at(-1)?.request).toMatchObject({ target: 'smtp.example.com', lang: 'en', userId: '100000000000000007' });
  });

  test('「チェックリスト」 in a DM gets the checklist in Japanese, one step at a time', async () => {
    const before = posts(h).length;
    h.standin.sendMessage('チェックリスト', { channelId: IDS.dm });
    const [call] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    expect((call?.body as SentBody).embeds?.[0]?.title).toContain('確認 1/7');
    h.standin.sendMessage('できた', { channelId: IDS.dm });
    const [next] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 2)).slice(before + 1);
    expect((next?.body as SentBody).embeds?.[0]?.title).toContain('確認 2/7');
  });
});

describe('a conversation in a channel', () => {
  test('a reply to the answered message continues it: the next cause, then a button turn, never the same answer twice', async () => {
    const before = posts(h).length;
    const pasted = h.standin.sendMessage('Error: Invalid login: 535-5.7.8 Username and Password not accepted. https://support.google.com/mail/?p=BadCredentials');
    const [first] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    const diagnosis = first?.body as SentBody;
    expect(diagnosis.embeds?.[0]?.title).toMatch(/password/i);
    const ids = diagnosis.components?.flatMap((r) => r.components.map((c) => c.custom_id)) ?? [];
    const nextCause = ids.find((id) => id.startsWith('sd:next-cause:'));
    expect(nextCause).toBeDefined();
    // No mention needed: the reply belongs to a conversation the bot is part of.
    h.standin.sendMessage('still failing', { replyTo: pasted });
    const [second] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 2)).slice(before + 1);
    const followup = second?.body as SentBody;
    expect(followup.message_reference?.message_id).toBeDefined();
    expect(followup.embeds?.[0]?.title).toMatch(/Next likely cause/);
    const pressed = h.standin.pressButton(nextCause ?? '');
    const [callback] = await h.standin.waitFor('POST', new RegExp(`/interactions/${pressed.id}/`));
    expect(callback).toBeDefined();
    const [edit] = await h.standin.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${pressed.token}/messages/`));
    const third = edit?.body as SentBody;
    expect(third.embeds?.[0]?.title).toMatch(/Next likely cause/);
    expect(third.embeds?.[0]?.title).not.toBe(followup.embeds?.[0]?.title);
  });
});

describe('a conversation goes on from a button', () => {
  const buttons = (b: SentBody | undefined): string[] => b?.components?.flatMap((r) => r.components.map((c) => c.custom_id)) ?? [];
  const titleOf = (b: SentBody | undefined): string => b?.embeds?.[0]?.title ?? '';

  /** Presses a button and returns the answer it became: the edited interaction reply, with the id Discord gave it. */
  async function press(customId: string): Promise<{ body: SentBody; id: string }> {
    const pressed = h.standin.pressButton(customId);
    const [edit] = await h.standin.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${pressed.token}/messages/`));
    return { body: edit?.body as SentBody, id: String(edit?.response?.id) };
  }

  test('a reply to the answer of "more" or "next cause" continues the same conversation, without a mention', async () => {
    const before = posts(h).length;
    h.standin.sendMessage('Error: Invalid login: 535-5.7.8 Username and Password not accepted. https://support.google.com/mail/?p=BadCredentials');
    const [first] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    const diagnosis = first?.body as SentBody;
    const more = buttons(diagnosis).find((id) => id.startsWith('sd:more:'));
    expect(more).toBeDefined();

    // "More detail" pressed: its answer is part of the conversation, so a plain reply to it is a follow-up.
    const detail = await press(more ?? '');
    expect(titleOf(detail.body)).toBe(titleOf(diagnosis));
    h.standin.sendMessage('still failing', { replyTo: detail.id });
    const [second] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 2)).slice(before + 1);
    const followup = second?.body as SentBody;
    expect(titleOf(followup)).toMatch(/Next likely cause/);

    // "Next cause" pressed on that follow-up, then a reply in Japanese words to the button's answer: still the same
    // conversation — a cause not given before, never one of the earlier answers again.
    const nextCause = buttons(followup).find((id) => id.startsWith('sd:next-cause:'));
    expect(nextCause).toBeDefined();
    const third = await press(nextCause ?? '');
    h.standin.sendMessage('次の原因は？', { replyTo: third.id });
    const [fourth] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 3)).slice(before + 2);
    const titles = [titleOf(diagnosis), titleOf(followup), titleOf(third.body), titleOf(fourth?.body as SentBody)];
    expect(titles.every((x) => x.length > 0)).toBe(true);
    expect(new Set(titles.slice(1)).size).toBe(3);
    expect((fourth?.body as SentBody).message_reference?.message_id).toBeDefined();
  });

  test('a reply to the answer of /diagnose continues its conversation, without a mention', async () => {
    const before = posts(h).length;
    const command = h.standin.slashCommand('diagnose', [{ name: 'text', type: 'string', value: 'Error: Invalid login: 535-5.7.8 Username and Password not accepted.' }]);
    const [edit] = await h.standin.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${command.token}/messages/`));
    const answer = edit?.body as SentBody;
    expect(titleOf(answer)).toMatch(/password/i);
    h.standin.sendMessage('still failing', { replyTo: String(edit?.response?.id) });
    const [next] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    expect(titleOf(next?.body as SentBody)).toMatch(/Next likely cause/);
  });

  test('a reply to a button\'s answer in a conversation the bot was never in stays silent when it is not for the bot', async () => {
    const before = posts(h).length;
    h.standin.sendMessage('still failing', { replyTo: '999999999999999999' });
    await sleep(QUIET_MS);
    expect(posts(h).length).toBe(before);
  });
});

describe('failures', () => {
  test('an engine failure is answered with a short apology and logged without the secret', async () => {
    const spy = vi.spyOn(h.bot, 'handle').mockImplementationOnce(() => {
      throw new Error('engine broke on password=Sup3rSecret!');
    });
    const before = posts(h).length;
    h.standin.sendMessage('550 5.7.1 Relay access denied');
    const [call] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
    spy.mockRestore();
    expect((call?.body as SentBody).embeds?.[0]?.title).toMatch(/sorry/i);
    const logs = h.logs.join('\n');
    expect(logs).toContain('handling a message failed');
    expect(logs).not.toContain('Sup3rSecret');
  });

  test('Discord refusing the reply (403) is logged, the bot keeps working', async () => {
    h.standin.failNext('POST', /\/channels\/\d+\/messages$/, 403);
    h.standin.failNext('POST', /\/channels\/\d+\/messages$/, 403);
    const before = h.standin.find('POST', /\/channels\/\d+\/messages$/).length;
    h.standin.sendMessage('550 5.7.1 Relay access denied');
    await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 2);
    const until = Date.now() + 2000;
    while (Date.now() < until && !h.logs.join('\n').includes('could not send the apology')) await sleep(10);
    expect(h.logs.join('\n')).toContain('Missing Permissions');
    const after = posts(h).length;
    h.standin.sendMessage('550 5.7.1 Relay access denied');
    await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, after + 1);
  });
});
