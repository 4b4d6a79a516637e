/**
 * The conversation state behind the turns: what is kept (facts, the diagnosis, the redacted error — never a secret),
 * buttons as turns of the conversation they belong to, and two instances on one store answering one thread.
 */
import { describe, expect, it } from 'vitest';
import { Bot, type Incoming } from '../../src/bot/core.js';
import { MemoryStore } from '../../src/state/memory.js';
import { realIndex } from '../support/kb.js';

const index = realIndex();
const turn = (text: string, conversation = 'T:1', over: Partial<Incoming> = {}): Incoming => ({
  text,
  place: 'direct',
  addressed: true,
  userId: 'U1',
  channelId: 'D1',
  conversation,
  ...over,
});

describe('conversation state', () => {
  it('keeps the facts a thread told, the diagnosis and the language it began in, with the error redacted', async () => {
    const store = new MemoryStore();
    const bot = new Bot(index, { store });
    await bot.handle(turn('Thunderbirdで送れません'));
    await bot.handle(turn('AUTH PLAIN failed: 535 5.7.8 Authentication credentials invalid\nuser=taro@example.jp password=Hunter2Secret!\nsmtp.gmail.com:587'));
    const state = await bot.conversation('T:1');
    expect(state).toMatchObject({ client: 'thunderbird', provider: 'gmail', port: 587, server: 'smtp.gmail.com', category: 'auth-failed', lang: 'ja' });
    expect(JSON.stringify(await store.entries(''))).not.toContain('Hunter2Secret');
    expect(String(state.error)).toContain('535 5.7.8');
  });

  it('takes a button as a turn of its conversation: "next cause" moves on, and never repeats', async () => {
    const bot = new Bot(index);
    const first = await bot.handle(turn('554 5.7.1 <bob@example.com>: Relay access denied', 'T:2'));
    expect(first.type === 'reply' && first.turn?.kind).toBe('diagnosis');
    const titles = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const next = await bot.press({ ...turn('', 'T:2'), conversation: 'T:2' }, 'next-cause');
      expect(next.type).toBe('reply');
      if (next.type === 'reply') titles.add(`${next.reply.title}\n${next.reply.summary}`);
    }
    expect(titles.size).toBe(4);
  });

  it('answers the turns of one thread in order across two instances on one store', async () => {
    const store = new MemoryStore();
    const [a, b] = [new Bot(index, { store }), new Bot(index, { store })];
    await a.handle(turn('554 5.7.1 <bob@example.com>: Relay access denied', 'T:3'));
    const [x, y] = await Promise.all([a.handle(turn('まだダメです', 'T:3')), b.handle(turn('それでもダメでした', 'T:3'))]);
    expect(x.type === 'reply' && y.type === 'reply').toBe(true);
    if (x.type === 'reply' && y.type === 'reply') expect(x.reply.title).not.toBe(y.reply.title);
  });

  it('stays out of a channel thread it was never part of, and leaves no state there', async () => {
    const bot = new Bot(index);
    const out = await bot.handle(turn('まだダメです', 'C:9', { place: 'channel', addressed: false }));
    expect(out).toEqual({ type: 'silent', reason: 'not-an-error' });
    expect(await bot.conversation('C:9')).toEqual({});
  });
});
