/** The feedback loop in the core: 👍 / 👎 on diagnoses, disputed and unknown messages kept redacted, labels, export. */
import { describe, expect, it } from 'vitest';
import { Bot, type Incoming } from '../../src/bot/core.js';
import { corpusLine, Feedback } from '../../src/bot/feedback.js';
import { MemoryStore } from '../../src/state/memory.js';
import { realIndex } from '../support/kb.js';

const index = realIndex();
const SECRET = 'Passw0rd!';
const PASTE = `535 5.7.8 Error: authentication failed, my password is ${SECRET}`;
const msg = (text: string, over: Partial<Incoming> = {}): Incoming => ({ text, place: 'direct', addressed: true, userId: 'U1', channelId: 'D1', platform: 'slack', ...over });

async function rated(bot: Bot, text = PASTE): Promise<string> {
  const out = await bot.handle(msg(text));
  if (out.type !== 'reply') throw new Error('expected a reply');
  const up = out.reply.actions.find((a) => a.id === 'feedback-up');
  const down = out.reply.actions.find((a) => a.id === 'feedback-down');
  expect(up?.value).toBeTruthy();
  expect(down?.value).toBe(up?.value);
  return up!.value;
}

describe('feedback', () => {
  it('every diagnosis on a chat platform carries 👍 and 👎; the terminal gets none', async () => {
    const bot = new Bot(index);
    await rated(bot);
    const channel = await bot.handle(msg('554 5.7.1 Relay access denied', { place: 'channel', addressed: false }));
    expect(channel.type === 'reply' && channel.reply.actions.map((a) => a.id)).toEqual(expect.arrayContaining(['feedback-up', 'feedback-down']));
    const terminal = await bot.handle(msg(PASTE, { platform: undefined }));
    expect(terminal.type === 'reply' && terminal.reply.actions.some((a) => a.id.startsWith('feedback'))).toBe(false);
  });

  it('👎 keeps the diagnosis, redacted, with the engine\'s answer; the user\'s pick is stored with it', async () => {
    const bot = new Bot(index);
    const id = await rated(bot);
    expect(await bot.feedback.list()).toEqual([]);
    expect(await bot.feedback.vote(id, 'down')).toBe(true);
    expect(await bot.feedback.label(id, 'auth-required', 'user')).toBe(true);
    const [item] = await bot.feedback.list();
    expect(item).toMatchObject({ id, kind: 'disputed', lang: 'en', platform: 'slack', userLabel: 'auth-required', answer: { category: 'auth-failed' } });
    expect(item?.text).toContain('535 5.7.8');
    expect(JSON.stringify(await bot.store.entries(''))).not.toContain(SECRET);
  });

  it('👍 keeps nothing; an unknown or expired id is refused', async () => {
    const bot = new Bot(index);
    const id = await rated(bot);
    expect(await bot.feedback.vote(id, 'up')).toBe(true);
    expect(await bot.feedback.list()).toEqual([]);
    expect(await bot.feedback.vote('no-such-id', 'down')).toBe(false);
    expect(await bot.feedback.label('no-such-id', 'auth-failed', 'user')).toBe(false);
    let now = 0;
    const store = new MemoryStore(() => now);
    const clocked = new Bot(index, { store, now: () => now });
    const old = await rated(clocked);
    now = 8 * 24 * 3600_000;
    expect(await clocked.feedback.vote(old, 'down')).toBe(false);
  });

  it('a message addressed to the bot that it did not understand is kept, redacted', async () => {
    const bot = new Bot(index);
    // No mail words: "my password is …" is now read (weakly) as a password trouble by the model.
    const out = await bot.handle(msg(`the frobnicator wobbles, and the wiki token is ${SECRET}`));
    expect(out.type === 'reply' && out.unknown).toBe(true);
    const [item] = await bot.feedback.list();
    expect(item).toMatchObject({ kind: 'unknown', answer: { category: 'unknown', entry: null } });
    expect(item?.text).toContain('frobnicator');
    expect(item?.text).not.toContain(SECRET);
    // Ordinary chat nobody addressed to the bot is not kept.
    await bot.handle(msg('lunch at noon?', { place: 'channel', addressed: false }));
    expect(await bot.feedback.list()).toHaveLength(1);
  });

  it('labelled items export as corpus lines; "none" is a negative; unlabelled ones are left out', async () => {
    const bot = new Bot(index);
    const a = await rated(bot);
    await bot.feedback.vote(a, 'down');
    await bot.handle(msg('the frobnicator wobbles again'));
    const items = await bot.feedback.list();
    const disputed = items.find((i) => i.kind === 'disputed')!;
    const unknown = items.find((i) => i.kind === 'unknown')!;
    expect(corpusLine(disputed)).toBeUndefined();
    await bot.feedback.label(disputed.id, 'auth-required', 'operator');
    await bot.feedback.label(unknown.id, 'none', 'operator');
    const lines = (await new Feedback(bot.store).list()).map(corpusLine).map((l) => JSON.parse(l!) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual({ text: disputed.text, accept: ['auth-required'], lang: 'en', source: '[feedback] disputed: the bot said auth-failed (slack)' });
    expect(lines).toContainEqual({ text: 'the frobnicator wobbles again', accept: ['unknown'], lang: 'en', source: '[feedback] unknown to the bot (slack)' });
  });

  it('offers every category once, titled in the user\'s language, and "none of these" last', () => {
    const bot = new Bot(index);
    const ja = bot.feedbackChoices('ja');
    expect(ja.at(-1)).toEqual({ value: 'none', label: 'どれでもない' });
    expect(new Set(ja.map((c) => c.value)).size).toBe(ja.length);
    expect(ja.length).toBe(22);
  });
});
