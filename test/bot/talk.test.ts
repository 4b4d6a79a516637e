/**
 * Answers to questions (src/bot/talk.ts): a topic that asks for the user's provider asks only while the provider is
 * unknown; once named, its sourced facts stand where the question was. Menu paths are given in the labels the user's
 * screen shows.
 */
import { describe, expect, it } from 'vitest';
import { Bot, type Incoming } from '../../src/bot/core.js';
import { clientPath, clientReply } from '../../src/bot/talk.js';
import { realIndex } from '../support/kb.js';

const index = realIndex();
const turn = (text: string, conversation: string): Incoming => ({ text, place: 'direct', addressed: true, userId: 'U1', channelId: 'D1', conversation });

async function answer(text: string, conversation: string): Promise<string> {
  const out = await new Bot(index).handle(turn(text, conversation));
  if (out.type !== 'reply') throw new Error(`no reply to "${text}": ${out.type}`);
  return `${out.reply.summary}\n${out.reply.sections.flatMap((s) => s.items).join('\n')}`;
}

describe('topic answers and the provider', () => {
  it('gives a named provider its server instead of asking which provider it is', async () => {
    const en = await answer("What's the SMTP server for Yahoo Japan mail?", 'q1');
    expect(en).toContain('smtp.mail.yahoo.co.jp');
    expect(en).not.toMatch(/Tell me your provider/);
    const ja = await answer('Yahoo!メールの送信サーバーの設定は？', 'q2');
    expect(ja).toContain('smtp.mail.yahoo.co.jp');
    expect(ja).not.toContain('教えてもらえれば');
  });

  it('asks for the provider when none is named', async () => {
    expect(await answer('送信サーバーの設定は？', 'q3')).toContain('教えてもらえれば');
    expect(await answer('What are the outgoing server settings?', 'q4')).toMatch(/Tell me your provider/);
  });
});

describe('menu paths in the user\'s labels', () => {
  const ios = index.kb.clients.find((c) => c.id === 'ios-mail');

  it('gives a Japanese user the way in with Japanese labels when only English ones reach the setting', () => {
    expect(ios).toBeDefined();
    if (!ios) return;
    const ja = clientPath(ios, ['password'], 'ja');
    expect(ja?.text).toMatch(/^設定 → /);
    expect(ja?.text).not.toMatch(/Settings|Mail|Accounts/);
    expect(clientPath(ios, ['password'], 'en')?.text).toMatch(/^Settings → Mail → Accounts/);
  });

  it('names versions and field labels in the user\'s language', () => {
    if (!ios) throw new Error('no ios-mail client in knowledge/clients');
    const ja = clientReply(index.kb, ios, 'tls-mismatch', 'ja');
    const text = ja.sections.flatMap((x) => x.items).join('\n');
    expect(text).toContain('iOS 16（2023 年）');
    expect(text).not.toMatch(/before iOS|Use SSL/);
    const en = clientReply(index.kb, ios, 'tls-mismatch', 'en').sections.flatMap((x) => x.items).join('\n');
    expect(en).toContain('before iOS 18: Settings');
  });

  it('shows the newest version\'s way to the outgoing server first, not only older ones', () => {
    if (!ios) throw new Error('no ios-mail client in knowledge/clients');
    const items = clientReply(index.kb, ios, 'connection-dropped', 'ja').sections.flatMap((x) => x.items);
    expect(items[0]).toBe('iOS / iPadOS 18 以降: 設定 → アプリ → メール → メールアカウント');
  });
});
