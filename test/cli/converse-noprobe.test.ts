/**
 * "No probe nobody asked for, ever": turns that name a server but ask for no test — reports of a test already made,
 * the past tense, errors naming a host, tips and quoted commands, a question about how to ask, long explanations —
 * start no live test and no DNS check, alone or after a diagnosis, in both languages. The wordings here are not in
 * knowledge/intents/ (the model has not seen them).
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const PASTE = 'Error: Invalid login: 535-5.7.8 Username and Password not accepted. https://support.google.com/mail/?p=BadCredentials';

const NOT_ASKED = {
  reports: [
    'smtp.example.jpに接続しました！',
    '昨日 smtp.example.jp をテストしたら通りました',
    'smtp.example.jp のテストは先週やりました',
    '管理者が smtp.example.jp をチェックしたそうです',
    'smtp.example.jp を確認したところ、SPF レコードは正しく設定されていました',
    'I tested smtp.example.com yesterday and it worked',
    'We already checked mail.example.org, the ports are open',
    'The admin said he will test smtp.example.net tomorrow',
  ],
  errors: [
    '送信サーバー smtp.example.jp への接続がタイムアウトしました',
    'smtp.example.jp:587 で診断したらタイムアウトでした',
    'Connection to smtp.example.jp timed out',
    'Could not connect to smtp.example.com: connection refused',
    'メール送信のテストをしたら smtp.example.jp から 550 が返ってきました',
  ],
  tips: [
    'ヒント: openssl s_client -connect smtp.example.jp:465 で証明書を確認できます',
    '`swaks --server smtp.example.jp --port 587` を実行したら 535 が出ました',
    'Tip: test your server with telnet smtp.example.com 25',
    'I ran "openssl s_client -starttls smtp -connect smtp.example.com:587" and got a certificate error',
  ],
  quoted: [
    '「smtp.example.jp をテストして」と打てばいいんですか？',
    '「mail.example.ne.jp を診断して」って送ると何が起きるの？',
    'How do I test smtp.example.com myself?',
    'Should I write "test smtp.example.com" to get it checked?',
    'Do I type "test smtp.example.net" or "probe smtp.example.net"?',
  ],
  long: [
    'サーバー(smtp.example.jp)の設定を確認して、ポートも587にしました',
    '社内のメールサーバー smtp.example.jp は先月リプレースされていて、そのときに情シスが接続テストも済ませているはずなのですが、Outlook からだけ送れない状態が続いています。',
    'Our mail goes out through smtp.example.com; the vendor tested the relay when they set it up last year, and since then only the scanner on the second floor has trouble sending.',
    'テスト送信したら届きませんでした。サーバーは smtp.example.jp です',
  ],
};

describe('converse --jsonl: no test nobody asked for', () => {
  for (const [kind, texts] of Object.entries(NOT_ASKED)) {
    it(`starts no probe and no check on ${kind}, in either language`, async () => {
      const out = await converse(texts.map((text, i) => ({ conversation: `${kind}${i}`, text })));
      for (const [i, o] of out.entries()) {
        expect(o.kind, texts[i]).not.toBe('probe');
        expect(o.probeTarget, texts[i]).toBeNull();
      }
    });
  }

  it('starts none after a diagnosis either, whatever the next turn reports', async () => {
    const turns = [...NOT_ASKED.reports, ...NOT_ASKED.tips, ...NOT_ASKED.long];
    const out = await converse(turns.flatMap((text, i) => dialogue(`after${i}`, PASTE, text)));
    for (const [i, o] of out.entries()) {
      expect(o.kind, turns[Math.floor(i / 2)]).not.toBe('probe');
      expect(o.probeTarget, turns[Math.floor(i / 2)]).toBeNull();
    }
  });

  it('still tests a server when asked, in either language', async () => {
    const out = await converse([
      ...dialogue('ask1', 'smtp.example.jp をテストしてください'),
      ...dialogue('ask2', 'mail.example.co.jp:465 に接続できるか試して'),
      ...dialogue('ask3', 'please test smtp.example.com'),
      ...dialogue('ask4', 'probe mail.example.org:587'),
      ...dialogue('ask5', '「smtp.example.jp」をテストして'),
      ...dialogue('ask6', 'test "smtp.example.com" please'),
    ]);
    expect(out.map((o) => [o.kind, o.probeTarget])).toEqual([
      ['probe', 'smtp.example.jp'],
      ['probe', 'mail.example.co.jp:465'],
      ['probe', 'smtp.example.com'],
      ['probe', 'mail.example.org:587'],
      ['probe', 'smtp.example.jp'],
      ['probe', 'smtp.example.com'],
    ]);
  });
});
