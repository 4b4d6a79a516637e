import { describe, expect, it } from 'vitest';
import { Bot, type Incoming } from '../../src/bot/core.js';
import { MemoryStore } from '../../src/state/memory.js';
import { realIndex } from '../support/kb.js';

const index = realIndex();
const msg = (text: string, over: Partial<Incoming> = {}): Incoming => ({
  text,
  place: 'channel',
  addressed: false,
  userId: 'U1',
  channelId: 'C1',
  ...over,
});

describe('Bot', () => {
  it('answers a pasted error in a channel, unasked', async () => {
    const out = await new Bot(index).handle(msg('554 5.7.1 <a@example.jp>: Relay access denied'));
    expect(out.type).toBe('reply');
    if (out.type !== 'reply') return;
    expect(out.diagnosis?.category).toBe('relay-denied');
    expect(out.reply.kind).toBe('diagnosis');
    expect(out.reply.sections.map((s) => s.heading)).toContain('How to fix it');
  });

  it('stays silent for ordinary chat and for a trouble told in words, unless addressed', async () => {
    const bot = new Bot(index);
    expect(await bot.handle(msg('port 587 is what we use, right?'))).toEqual({ type: 'silent', reason: 'not-an-error' });
    expect(await bot.handle(msg('Outlookでメールが送れなくなりました'))).toEqual({ type: 'silent', reason: 'not-an-error' });
    const asked = await bot.handle(msg('Outlookでメールが送れなくなりました', { addressed: true }));
    expect(asked.type).toBe('reply');
    if (asked.type !== 'reply') return;
    expect(asked.reply.kind).toBe('checklist');
    expect(asked.reply.lang).toBe('ja');
    expect(asked.reply.sections.flatMap((s) => s.items).join('\n')).toContain('Outlook');
  });

  it('narrows the checklist by what the words tell', async () => {
    const out = await new Bot(index).handle(msg("can't send mail from Thunderbird since yesterday, it uses port 587", { place: 'direct' }));
    expect(out.type === 'reply' && out.reply.kind).toBe('checklist');
    if (out.type !== 'reply') return;
    const text = JSON.stringify(out.reply);
    expect(text).toContain('Thunderbird');
    expect(text).toContain('Port: 587');
  });

  it('takes port 25 named with a failure to send for the block on port 25 it most likely is', async () => {
    const out = await new Bot(index).handle(msg("can't send mail from Thunderbird since yesterday, it uses port 25", { place: 'direct' }));
    expect(out.type === 'reply' && out.reply.kind).toBe('diagnosis');
    if (out.type !== 'reply') return;
    expect(out.reply.title).toMatch(/port 25/i);
    expect(JSON.stringify(out.reply)).toContain('587');
  });

  it('queues unasked replies per channel instead of dropping them, skips a repeat by the same user, never delays an answer to a mention', async () => {
    let now = 0;
    const bot = new Bot(index, { channelReplyIntervalMs: 1_000, userReplyIntervalMs: 10_000, now: () => now });
    const paste = '550 5.1.1 <x@example.org>: Recipient address rejected: User unknown';
    const first = await bot.handle(msg(paste));
    expect(first.type === 'reply' && first.delayMs).toBeFalsy();
    // Three other people in the same channel at the same moment: each gets a later turn, nobody is dropped.
    const others = await Promise.all(['U2', 'U3', 'U4'].map((userId) => bot.handle(msg(paste, { userId }))));
    expect(others.map((o) => (o.type === 'reply' ? (o.delayMs ?? 0) : -1)).sort((a, b) => a - b)).toEqual([1_000, 2_000, 3_000]);
    // The same person pasting again within the user interval is not answered twice.
    expect(await bot.handle(msg(paste))).toEqual({ type: 'silent', reason: 'throttled' });
    expect((await bot.handle(msg(paste, { channelId: 'C2' }))).type).toBe('reply');
    const mention = await bot.handle(msg(paste, { addressed: true }));
    expect(mention.type === 'reply' && mention.delayMs).toBeFalsy();
    now = 15_001;
    const later = await bot.handle(msg(paste));
    expect(later.type === 'reply' && later.delayMs).toBeFalsy();
  });

  it('keeps checklist progress and language in the store it is given: a new Bot on the same store sees them', async () => {
    const store = new MemoryStore();
    const first = index.kb.checklist[0]?.id ?? '';
    const before = new Bot(index, { store });
    await before.toggleStep('U9', first, true, 'en');
    await before.setLang('U9', 'ja');
    const after = new Bot(index, { store });
    expect((await after.checklist('U9', 'en')).checklist?.find((s) => s.id === first)?.done).toBe(true);
    expect(await after.langFor('U9', 'hello there')).toBe('ja');
    await after.setConversation('C1:1.2', { client: 'Outlook', steps: ['port'] });
    expect(await new Bot(index, { store }).conversation('C1:1.2')).toEqual({ client: 'Outlook', steps: ['port'] });
    expect(await after.conversation('C1:other')).toEqual({});
  });

  it('updates one conversation under its lock: concurrent changes (two instances on one store) are all kept', async () => {
    const store = new MemoryStore();
    const one = new Bot(index, { store });
    const two = new Bot(index, { store });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? one : two).updateConversation('C1:9.9', (s) => ({ ...s, seen: [...(Array.isArray(s.seen) ? s.seen : []), i] })),
      ),
    );
    const seen = (await one.conversation('C1:9.9')).seen;
    expect(Array.isArray(seen) && [...seen].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('recognises checklist, help and probe requests when asked', async () => {
    const bot = new Bot(index);
    const checklist = await bot.handle(msg('チェックリスト', { place: 'direct' }));
    expect(checklist.type === 'reply' && checklist.reply.kind).toBe('checklist');
    const help = await bot.handle(msg('help', { addressed: true }));
    expect(help.type === 'reply' && help.reply.kind).toBe('help');
    const probe = await bot.handle(msg('smtp.example.jp をテストして', { place: 'direct' }));
    expect(probe).toEqual({ type: 'probe', request: { target: 'smtp.example.jp', ports: [], lang: 'ja', userId: 'U1' } });
    const withPort = await bot.handle(msg('test mail.example.com port 2525', { addressed: true }));
    expect(withPort).toMatchObject({ type: 'probe', request: { target: 'mail.example.com', ports: [2525], lang: 'en' } });
    // An error that names a server is a diagnosis, not a probe request.
    const paste = await bot.handle(msg('Error: connect ECONNREFUSED smtp.example.com:587 test', { place: 'direct' }));
    expect(paste.type === 'reply' && paste.reply.kind).toBe('diagnosis');
  });

  it('keeps a language override per user', async () => {
    const bot = new Bot(index);
    await bot.handle(msg('lang ja', { place: 'direct' }));
    const out = await bot.handle(msg('550 5.2.2 mailbox full', { place: 'direct' }));
    expect(out.type === 'reply' && out.reply.lang).toBe('ja');
    const other = await bot.handle(msg('550 5.2.2 mailbox full', { place: 'direct', userId: 'U2' }));
    expect(other.type === 'reply' && other.reply.lang).toBe('en');
  });

  it('answers a Japanese-locale user in Japanese, even for an English paste', async () => {
    const bot = new Bot(index);
    const out = await bot.handle(msg('550 5.1.1 <x@example.org>: User unknown', { place: 'direct', locale: 'ja' }));
    expect(out.type === 'reply' && out.reply.lang).toBe('ja');
    const en = await bot.handle(msg('メールボックスがいっぱいです 552 5.2.2', { place: 'direct', locale: 'en' }));
    expect(en.type === 'reply' && en.reply.lang).toBe('ja');
  });

  it('keeps checklist progress per user', async () => {
    const bot = new Bot(index);
    const first = index.kb.checklist[0]?.id ?? '';
    const after = await bot.toggleStep('U1', first, true, 'en');
    expect(after.checklist?.find((s) => s.id === first)?.done).toBe(true);
    expect((await bot.checklist('U2', 'en')).checklist?.find((s) => s.id === first)?.done).toBe(false);
    expect((await bot.toggleStep('U1', first, false, 'en')).checklist?.every((s) => !s.done)).toBe(true);
    expect((await bot.toggleStep('U1', 'no-such-step', true, 'en')).footer).toContain('0 of');
  });

  it('explains how mail works when asked', async () => {
    const out = await new Bot(index).handle(msg('SMTPとは何ですか？', { addressed: true }));
    expect(out.type === 'reply' && out.reply.kind).toBe('info');
  });
});
