/** Slash commands, buttons and the AUTH modal, through the real discord.js Client and the loopback stand-in. */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { InteractionResponseType, MessageFlags, type APIEmbed } from 'discord.js';
import type { RecordedCall } from '../../support/discord-standin.js';
import { sleep, startHarness, type Harness } from '../../support/discord-harness.js';

interface Callback {
  type: number;
  data?: {
    flags?: number;
    custom_id?: string;
    embeds?: APIEmbed[];
    components?: { type: number; components?: { custom_id: string; label: string; style: number }[]; component?: { custom_id: string } }[];
  };
}
interface Edit {
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: { custom_id: string; label: string }[] }[];
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ progressIntervalMs: 100 });
});
afterAll(async () => {
  await h?.stop();
});

const callbackOf = async (i: { id: string; token: string }): Promise<RecordedCall> =>
  (await h.standin.waitFor('POST', new RegExp(`^/api/v10/interactions/${i.id}/${i.token}/callback$`)))[0] as RecordedCall;
const originalEdits = (i: { token: string }): RecordedCall[] =>
  h.standin.find('PATCH', new RegExp(`^/api/v10/webhooks/\\d+/${i.token}/messages/@original$`));
/** Waits for the edit that carries the final report (it has a title that is not a progress title). */
async function finalEdit(i: { token: string }, match: RegExp): Promise<Edit> {
  const until = Date.now() + 4000;
  while (Date.now() < until) {
    const found = originalEdits(i).find((c) => match.test((c.body as Edit).embeds?.[0]?.title ?? (c.body as Edit).content ?? ''));
    if (found) return found.body as Edit;
    await sleep(10);
  }
  throw new Error(`no edit matching ${match}: ${h.standin.calls.map((c) => `${c.method} ${c.path} ${c.raw.slice(0, 200)}`).join("\n")}\n${h.logs.join("")}`);
}
const customIds = (e: { components?: { components?: { custom_id: string }[] }[] } | undefined): string[] =>
  (e?.components ?? []).flatMap((r) => (r.components ?? []).map((c) => c.custom_id));

describe('/diagnose', () => {
  test('defers first, then edits the reply with the diagnosis and its buttons', async () => {
    const i = h.standin.slashCommand('diagnose', [{ name: 'text', type: 'string', value: '550 5.7.1 Relay access denied' }]);
    const callback = await callbackOf(i);
    // The callback is answered with 204 and no body; discord.js must not choke on it.
    expect((callback.body as Callback).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(callback.authorization).toBeUndefined();
    const edit = await finalEdit(i, /relay/i);
    expect(h.standin.calls.indexOf(callback)).toBeLessThan(h.standin.calls.indexOf(originalEdits(i)[0] as RecordedCall));
    expect(customIds(edit)).toContain('sd:show-checklist:en:relay-denied');
  });

  test('a pasted password is not repeated in the answer', async () => {
    const i = h.standin.slashCommand('diagnose', [
      { name: 'text', type: 'string', value: '535 5.7.8 Authentication failed for bob, password: Tr0ub4dor&3' },
    ]);
    await callbackOf(i);
    await h.standin.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${i.token}/messages/@original$`));
    expect(h.standin.everything()).not.toContain('Tr0ub4dor');
    expect(h.logs.join('\n')).not.toContain('Tr0ub4dor');
  });

  test('an engine failure after the deferral becomes an apology in the edited reply, logged', async () => {
    const spy = vi.spyOn(h.bot, 'handle').mockImplementationOnce(() => {
      throw new Error('engine broke');
    });
    const i = h.standin.slashCommand('diagnose', [{ name: 'text', type: 'string', value: '550 5.7.1 Relay access denied' }]);
    const edit = await finalEdit(i, /sorry/i);
    spy.mockRestore();
    expect(edit.embeds?.[0]?.title).toMatch(/sorry/i);
    expect(h.logs.join('\n')).toContain('handling an interaction failed');
  });
});

describe('/checklist and its buttons', () => {
  test('the Discord locale picks the language; the checklist is ephemeral with a button per step (5 a row)', async () => {
    const i = h.standin.slashCommand('checklist', [], { locale: 'ja' });
    const body = (await callbackOf(i)).body as Callback;
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data?.embeds?.[0]?.title).toContain('チェックリスト');
    const rows = body.data?.components ?? [];
    expect(rows.every((r) => (r.components?.length ?? 0) <= 5)).toBe(true);
    expect(customIds(body.data).filter((id) => id.startsWith('sd:step:ja:'))).toHaveLength(h.bot.kb.checklist.length);
  });

  test('the lang option wins over the locale', async () => {
    const i = h.standin.slashCommand('checklist', [{ name: 'lang', type: 'string', value: 'en' }], { locale: 'ja' });
    expect(((await callbackOf(i)).body as Callback).data?.embeds?.[0]?.title).toMatch(/checklist/i);
  });

  test('a step button on the user\'s own (ephemeral) checklist ticks it off in place', async () => {
    const step = h.bot.kb.checklist[0]?.id ?? '';
    const i = h.standin.pressButton(`sd:step:en:${step}`, { messageFlags: MessageFlags.Ephemeral });
    const body = (await callbackOf(i)).body as Callback;
    expect(body.type).toBe(InteractionResponseType.UpdateMessage);
    const button = body.data?.components?.[0]?.components?.[0];
    expect(button?.label.startsWith('✅')).toBe(true);
    // Pressing again unticks it.
    const again = (await callbackOf(h.standin.pressButton(`sd:step:en:${step}`, { messageFlags: MessageFlags.Ephemeral }))).body as Callback;
    expect(again.data?.components?.[0]?.components?.[0]?.label.startsWith('⬜')).toBe(true);
  });

  test('a step button on a checklist shared in a channel answers with the presser\'s own copy', async () => {
    const step = h.bot.kb.checklist[1]?.id ?? '';
    const body = (await callbackOf(h.standin.pressButton(`sd:step:en:${step}`))).body as Callback;
    expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(body.data?.flags).toBe(MessageFlags.Ephemeral);
  });

  test('"Show the checklist" under a diagnosis answers with the checklist, only to the presser', async () => {
    const body = (await callbackOf(h.standin.pressButton('sd:show-checklist:en:relay-denied'))).body as Callback;
    expect(body.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data?.embeds?.[0]?.title).toMatch(/checklist/i);
  });
});

describe('/probe and the probe buttons', () => {
  test('defers, edits as the probe progresses (throttled), ends with the report as an embed', async () => {
    const i = h.standin.slashCommand('probe', [
      { name: 'target', type: 'string', value: 'smtp.example.com' },
      { name: 'port', type: 'integer', value: 587 },
    ]);
    expect(((await callbackOf(i)).body as Callback).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const final = await finalEdit(i, /Report for/);
    expect(final.embeds?.[0]?.title).toBe('✅ Report for smtp.example.com');
    expect(h.probe.calls.at(-1)?.request).toEqual({ target: 'smtp.example.com', ports: [587], lang: 'en', userId: '100000000000000007' });
    const edits = originalEdits(i);
    const progress = edits.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    // Three progress steps 20 ms apart, at most one edit per 100 ms: fewer edits than steps, spaced out.
    expect(progress.length).toBeLessThan(3);
    for (let k = 1; k < progress.length; k++) expect((progress[k]?.at ?? 0) - (progress[k - 1]?.at ?? 0)).toBeGreaterThanOrEqual(90);
    // Progress edits carry no buttons; the report offers the AUTH test.
    expect(progress.every((c) => customIds(c.body as Edit).length === 0)).toBe(true);
    expect(customIds(final)).toContain('sd:auth-test:en:smtp.example.com');
  });

  test('a Japanese Discord client gets the probe in Japanese', async () => {
    const i = h.standin.slashCommand('probe', [{ name: 'target', type: 'string', value: 'smtp.example.jp' }], { locale: 'ja' });
    await finalEdit(i, /Report for/);
    expect(h.probe.calls.at(-1)?.request).toMatchObject({ target: 'smtp.example.jp', ports: [], lang: 'ja' });
  });

  test('"Run the suggested test" starts the probe of the diagnosis\'s server in a new, edited reply', async () => {
    const i = h.standin.pressButton('sd:run-probe:en:smtp.example.net');
    expect(((await callbackOf(i)).body as Callback).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    await finalEdit(i, /Report for smtp\.example\.net/);
    expect(h.probe.calls.at(-1)?.request.target).toBe('smtp.example.net');
  });
});

describe('the AUTH test modal', () => {
  const PASSWORD = 'c0rrect-h0rse-battery';
  const USER = 'carol@example.com';

  test('the button opens a modal asking for the user name and password', async () => {
    const body = (await callbackOf(h.standin.pressButton('sd:auth-test:en:smtp.example.com'))).body as Callback;
    expect(body.type).toBe(InteractionResponseType.Modal);
    expect(body.data?.custom_id).toBe('sd:auth-modal:en:smtp.example.com');
    expect(body.data?.components?.map((c) => c.component?.custom_id)).toEqual(['user', 'pass']);
  });

  test('the credentials reach the probe once; the result is ephemeral; they are in no payload and no log', async () => {
    const before = h.probe.calls.length;
    const i = h.standin.submitModal('sd:auth-modal:en:smtp.example.com', { user: USER, pass: PASSWORD });
    const callback = (await callbackOf(i)).body as Callback;
    expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(callback.data?.flags).toBe(MessageFlags.Ephemeral);
    const final = await finalEdit(i, /Report for/);
    expect(final.embeds?.[0]?.description).toBe('authentication accepted');
    expect(h.probe.calls.slice(before)).toHaveLength(1);
    expect(h.probe.calls.at(-1)?.credentials).toEqual({ user: USER, pass: PASSWORD });
    // What the stand-in received from the bot: REST bodies and gateway frames (the modal's own dispatch is ours).
    expect(h.standin.everything()).not.toContain(PASSWORD);
    expect(h.standin.everything()).not.toContain(USER);
    expect(h.logs.join('\n')).not.toContain(PASSWORD);
  });

  test('a failing probe after the modal is answered with an apology that does not hold the password', async () => {
    const failing = vi.spyOn(h.probe, 'run').mockRejectedValueOnce(new Error(`AUTH PLAIN failed for ${PASSWORD}`));
    const i = h.standin.submitModal('sd:auth-modal:en:smtp.example.com', { user: USER, pass: PASSWORD });
    await finalEdit(i, /sorry/i);
    failing.mockRestore();
    expect(h.standin.everything()).not.toContain(PASSWORD);
    const logs = h.logs.join('\n');
    expect(logs).toContain('handling an interaction failed');
    expect(logs).not.toContain(PASSWORD);
  });
});
