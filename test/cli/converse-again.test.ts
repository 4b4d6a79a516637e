/**
 * Behaviours the written dialogues (test/fixtures/dialogues.jsonl, `npm run eval:dialogues`) found missing, in both
 * languages and several wordings: no reply is given twice in one conversation, whatever path decided it; "which
 * server?" answered with a server completes the test request (and nothing else does); a port named in words goes
 * with the test; a provider asked about after an answer gets the same topic's answer for it.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

describe('no reply twice', () => {
  it('chat after the chat reply gets a short pointer, then an OK, never the same text, and is always answered (ja, en)', async () => {
    const convs = [
      ['yo', 'ok cool', 'haha ok', 'lol'],
      ['やあ', 'そっか', 'ふーん', 'へー'],
    ];
    const out = await converse(convs.flatMap((c, i) => dialogue(`chat${i}`, ...c)));
    for (let i = 0; i < convs.length; i++) {
      const part = out.slice(i * 4, i * 4 + 4);
      const texts = part.slice(0, 3).map((o) => o.text);
      expect(new Set(texts).size, texts.join('\n---\n')).toBe(3);
      // A DM where every message is one conversation: an addressed message is never left unanswered.
      expect(part.every((o) => o.kind !== 'silence' && o.kind !== 'probe')).toBe(true);
    }
  });

  it('a second question the same topic answers points to the answer above, still an answer (ja, en)', async () => {
    const out = await converse([
      ...dialogue('auth-ja', 'SMTP認証って何のこと？', '送信サーバーの認証ってつまり何？'),
      ...dialogue('auth-en', 'what is SMTP AUTH?', 'so what does smtp authentication mean then?'),
    ]);
    for (const [a, b] of [[out[0], out[1]], [out[2], out[3]]]) {
      expect(a?.kind).toBe('answer');
      expect(b?.kind).toBe('answer');
      expect(b?.text).not.toBe(a?.text);
    }
    expect(out[1]?.text).toContain('上で');
    expect(out[3]?.text).toContain('above');
  });
});

describe('"which server?" answered', () => {
  it('tests the server named in the very next turn, with a port named in words (ja, en)', async () => {
    const out = await converse([
      ...dialogue('srv-ja', '接続テストしてもらえますか？', 'smtp.example.jp です'),
      ...dialogue('srv-ja2', '接続テストお願いできますか', 'mail.example.co.jp の 587 番'),
      ...dialogue('srv-en', 'could you run a server test?', 'mail.example.org port 465'),
      ...dialogue('srv-en2', 'can u run a test for me', 'smtp.example.com'),
    ]);
    expect(out[0]?.probeTarget).toBeNull();
    expect(out[1]).toMatchObject({ kind: 'probe', probeTarget: 'smtp.example.jp' });
    expect(out[2]?.probeTarget).toBeNull();
    expect(out[3]).toMatchObject({ kind: 'probe', probeTarget: 'mail.example.co.jp:587' });
    expect(out[5]).toMatchObject({ kind: 'probe', probeTarget: 'mail.example.org:465' });
    expect(out[7]).toMatchObject({ kind: 'probe', probeTarget: 'smtp.example.com' });
  });

  it('a server named later, in a sentence or a pasted error, is no answer to it (ja, en)', async () => {
    const out = await converse([
      ...dialogue('late-en', 'could you run a server test?', 'never mind', 'the guide says smtp.example.com'),
      ...dialogue('late-ja', '接続テストしてもらえますか？', 'やっぱいいです', 'マニュアルには smtp.example.jp って書いてある'),
      ...dialogue('err-en', 'could you run a server test?', 'Error: connect ETIMEDOUT smtp.example.net:587'),
    ]);
    expect(out.filter((o) => o.kind === 'probe')).toEqual([]);
    expect(out[7]?.kind).toBe('diagnosis');
  });
});

describe('"which server?" asked', () => {
  it('for a request less sure than an offer, and a question naming a server is no answer to it (ja, en)', async () => {
    const out = await converse([
      ...dialogue('ask-ja', 'サーバーに接続できるか見てもらうことって可能ですか？'),
      ...dialogue('q-ja', '接続テストしてもらえますか？', 'smtp.example.jp でいいの？'),
      ...dialogue('q-en', 'could you run a server test?', 'is mail.example.com the right one?'),
    ]);
    expect(out[0]).toMatchObject({ kind: 'followup', probeTarget: null });
    expect(out[0]?.text).toContain('どのサーバー');
    expect(out.filter((o) => o.kind === 'probe')).toEqual([]);
  });
});

describe('a port named in words goes with the test', () => {
  it('"on 465", "587番", "ポート465" (ja, en)', async () => {
    const out = await converse([
      { conversation: 'p1', text: 'test smtp.example.org on 465' },
      { conversation: 'p2', text: 'smtp.example.jp の587番をテストして' },
      { conversation: 'p3', text: 'smtp.example.jp ポート465 をテストして' },
      { conversation: 'p4', text: 'please probe mail.example.net port 2525' },
    ]);
    expect(out.map((o) => o.probeTarget)).toEqual(['smtp.example.org:465', 'smtp.example.jp:587', 'smtp.example.jp:465', 'mail.example.net:2525']);
  });
});

describe('a provider asked about after an answer', () => {
  it('gets the same topic, for that provider (ja, en)', async () => {
    const out = await converse([
      ...dialogue('ap-ja', 'アプリパスワードとは？', 'Yahoo!メールでも必要？'),
      ...dialogue('ap-ja2', 'アプリパスワードって何', 'Gmailの場合は？'),
      ...dialogue('ap-en', 'what is an app password?', 'and with gmail?'),
    ]);
    for (const i of [1, 3, 5]) expect(out[i], out[i]?.text).toMatchObject({ kind: 'answer', topic: 'app-passwords' });
    expect(out[1]?.provider).toBe('yahoo-japan');
    expect(out[3]?.provider).toBe('gmail');
    expect(out[5]?.provider).toBe('gmail');
  });

  it('told, not asked ("うちは…です", "we are on …"), gets that topic for it too, never an empty or repeated answer (ja, en)', async () => {
    const out = await converse([
      ...dialogue('pt-ja', 'SPFってなんですか', 'うちはXserverでドメイン管理してます'),
      ...dialogue('pt-ja2', 'ポート番号は何番を使えばいい？', 'ロリポップのメールです'),
      ...dialogue('pt-en', 'what are SPF records for?', 'we are on SendGrid'),
      ...dialogue('pt-en2', 'what port should I use?', 'my mail is with icloud'),
    ]);
    const expected = [['spf-dkim-dmarc', 'xserver'], ['smtp-ports', 'lolipop'], ['spf-dkim-dmarc', 'sendgrid'], ['smtp-ports', 'icloud']] as const;
    expected.forEach(([topic, provider], i) => {
      const first = out[i * 2];
      const told = out[i * 2 + 1];
      expect(told, told?.text).toMatchObject({ kind: 'answer', topic, provider });
      expect(told?.text).not.toBe(first?.text);
      expect(told?.text.length).toBeGreaterThan(first?.text.length ?? 0);
    });
    expect(out[3]?.text).toContain('lolipop.jp');
  });
});
