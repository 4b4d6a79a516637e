/**
 * One-off requests outside a conversation (Discord /diagnose and "Diagnose this message", Slack's slash command and
 * message shortcut: Bot.handle without a conversation key): a check word in a report, a tip or a quoted command starts
 * no live test and no DNS check; a request does, in both languages.
 */
import { describe, expect, it } from 'vitest';
import { Bot } from '../../src/bot/core.js';
import { realIndex } from '../support/kb.js';

const index = realIndex();
const ask = (text: string) => new Bot(index).handle({ text, place: 'direct', addressed: true, userId: 'U1', channelId: 'D1', platform: 'discord' });

describe('one-off requests: no test nobody asked for', () => {
  it.each([
    '設定を確認してみましたが smtp.example.jp に送れません',
    'smtp.example.jpに接続しました！',
    '昨日 smtp.example.jp をテストしたら通りました',
    'smtp.example.jp を確認したところ、SPF レコードは正しく設定されていました',
    '「smtp.example.jp をテストして」と打てばいいんですか？',
    'I tested smtp.example.com yesterday and it worked',
    'Tip: test your server with telnet smtp.example.com 25',
    'Do I type "check example.com" to get the SPF looked at?',
  ])('%s → no probe, no check', async (text) => {
    const out = await ask(text);
    expect(out.type).not.toBe('probe');
    expect(out.type).not.toBe('check');
  });

  it.each([
    ['smtp.example.jp をテストして', 'probe'],
    ['test smtp.example.com', 'probe'],
    ['mail.example.co.jp:465 に接続できるか試して', 'probe'],
    ['check example.jp', 'check'],
    ['example.jp の設定を確認して', 'check'],
  ])('%s → %s', async (text, type) => {
    expect((await ask(text)).type).toBe(type);
  });
});
