/**
 * `smtp-doctor converse --jsonl`: the contract conversations are evaluated with — one answer a line, in order, the
 * fields and their types, bad lines answered with an error while the run goes on, conversations kept apart — and the
 * rules that hold in every conversation: no probe nobody asked for, no secret in an answer, the language.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { converse, dialogue } from '../support/converse.js';

const KINDS = ['diagnosis', 'symptom', 'answer', 'followup', 'checklist', 'probe', 'closing', 'help', 'silence'];
const GMAIL_535 = '535-5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials';
const M365_535 = '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.';

describe('converse --jsonl: the contract', () => {
  it('answers every line, in order, with every field of the contract; bad lines get an error and the run goes on', async () => {
    const out = await converse([
      { conversation: 'c1', text: GMAIL_535 },
      'not json',
      '{"text": "no conversation"}',
      '{"conversation": "c1", "text": 42}',
      '{"conversation": "c1", "text": "hi", "addressed": "yes"}',
      '[1, 2]',
      '',
      { conversation: 'c1', text: 'まだダメです' },
    ]);
    expect(out).toHaveLength(8);
    expect(out.slice(1, 7).every((o) => typeof o.error === 'string' && o.error.length > 0)).toBe(true);
    expect(out[1]?.error).toMatch(/JSON/);
    expect(out[2]?.error).toMatch(/conversation/);
    expect(out[3]?.error).toMatch(/text/);
    expect(out[4]?.error).toMatch(/addressed/);
    for (const o of [out[0], out[7]]) {
      expect(Object.keys(o ?? {}).sort()).toEqual(['category', 'client', 'entry', 'kind', 'lang', 'probeTarget', 'provider', 'text', 'topic'].sort());
      expect(KINDS).toContain(o?.kind);
      expect(['ja', 'en']).toContain(o?.lang);
    }
    expect(out[0]).toMatchObject({ kind: 'diagnosis', category: 'auth-failed', provider: 'gmail', probeTarget: null });
    // The conversation survived the bad lines between its turns.
    expect(out[7]).toMatchObject({ kind: 'followup', provider: 'gmail' });
  });

  it('keeps conversations apart: a follow-up in a new conversation knows nothing of another', async () => {
    const out = await converse([
      { conversation: 'a', text: GMAIL_535 },
      { conversation: 'b', text: 'Thunderbirdを使っています' },
      { conversation: 'a', text: 'still failing' },
      { conversation: 'b', text: 'まだダメです' },
    ]);
    expect(out[2]).toMatchObject({ kind: 'followup', provider: 'gmail', client: null });
    expect(out[3]?.provider).toBeNull();
    expect(out[3]?.client).toBe('thunderbird');
    expect(out[3]?.category).toBeNull();
  });

  it('gives a text for every kind but silence, and none for silence', async () => {
    const out = await converse([
      { conversation: 'ch', text: 'lunch at noon?', addressed: false },
      { conversation: 'ch2', text: GMAIL_535, addressed: false },
    ]);
    expect(out[0]).toMatchObject({ kind: 'silence', text: '' });
    expect(out[1]?.kind).toBe('diagnosis');
    expect(out[1]?.text.length).toBeGreaterThan(50);
  });
});

describe('converse --jsonl: probes only when asked', () => {
  it('starts a probe on an explicit request naming a server, in either language', async () => {
    const out = await converse([
      ...dialogue('p1', 'smtp.example.jp をテストして'),
      ...dialogue('p2', 'test smtp.example.com port 2525'),
      ...dialogue('p3', 'mail.example.org:465 を診断して'),
    ]);
    expect(out.map((o) => [o.kind, o.probeTarget])).toEqual([
      ['probe', 'smtp.example.jp'],
      ['probe', 'smtp.example.com:2525'],
      ['probe', 'mail.example.org:465'],
    ]);
  });

  it('never probes a host that is only mentioned, a help link, or anything nobody asked to test', async () => {
    const out = await converse([
      ...dialogue('q1', '送信サーバーは127.0.0.1、ポート587です。設定は確認してみましたがダメでした'),
      ...dialogue('q2', '送信サーバーは smtp.example.jp です。確認しましたが送れません'),
      ...dialogue('q3', M365_535, 'テストして'),
      ...dialogue('q4', 'Error: connect ECONNREFUSED 192.0.2.10:587 (smtp.example.net)', 'まだダメです'),
      ...dialogue('q5', 'I checked smtp.example.com settings and it still fails'),
    ]);
    const [plain, named, m365, askedWithoutServer, bounce, afterBounce, english] = out;
    for (const o of [plain, named, m365, bounce, afterBounce, english]) {
      expect(o?.kind).not.toBe('probe');
      expect(o?.probeTarget).toBeNull();
    }
    // "Test it" after an answer whose only host is a help link's (aka.ms): the bot asks which server.
    expect(askedWithoutServer?.kind).toBe('followup');
    expect(askedWithoutServer?.probeTarget).toBeNull();
    expect(askedWithoutServer?.text).not.toContain('aka.ms');
    expect(m365?.text).not.toMatch(/aka\.ms をテスト|test aka\.ms/i);
  });

  it('never runs a test for text that only reads like a request: a report, an error, a tip, an explanation', async () => {
    const texts = [
      'smtp.example.jpに接続しました！',
      'サーバー smtp.example.jp の接続上限数を超過しました',
      'smtp.example.jp:465 への接続に失敗しました。',
      'Tip: you can test SMTP with swaks --to you@example.com --server smtp.example.com --port 587 --auth-user you',
      '例えば、お客様が送信元アドレスのドメイン部分に「example.com」を入力した場合は、お客様側で「_dmarc.example.com」にDMARCレコードを設定する必要がございます。',
      '送信元のドメインを example.jp に揃える件、了解しました',
      'rejected because 192.0.2.77 is in a black list at zen.spamhaus.org',
    ];
    const out = await converse(texts.map((text, i) => ({ conversation: `np${i}`, text })));
    for (const [i, o] of out.entries()) {
      expect(o.kind, texts[i]).not.toBe('probe');
      expect(o.probeTarget, texts[i]).toBeNull();
    }
  });

  it('tests the server an error named when the user then asks for the test', async () => {
    const out = await converse(dialogue('r1', 'Error: connect ETIMEDOUT smtp.example.net:25', 'テストして'));
    expect(out[0]?.kind).toBe('diagnosis');
    expect(out[0]?.probeTarget).toBeNull();
    expect(out[1]).toMatchObject({ kind: 'probe', probeTarget: 'smtp.example.net' });
  });
});

describe('converse --jsonl: secrets and language', () => {
  it('never repeats a password from a paste, in any answer', async () => {
    const out = await converse(dialogue('s1', 'AUTH PLAIN failed: 535 5.7.8 user=taro@example.jp password=Hunter2Secret!', '詳しく', 'まだダメです'));
    for (const o of out) expect(o.text).not.toContain('Hunter2Secret');
  });

  it('answers an English paste in the configured language, and English when nothing is configured', async () => {
    const [ja] = await converse(dialogue('l1', GMAIL_535), { SMTP_DOCTOR_LANG: 'ja' });
    expect(ja?.lang).toBe('ja');
    expect(ja?.text).toMatch(/[ぁ-ん]/);
    const [en] = await converse(dialogue('l1', GMAIL_535));
    expect(en?.lang).toBe('en');
  });

  it("keeps the conversation's language for an English server reply, and a user's choice for later turns", async () => {
    const out = await converse([
      ...dialogue('l2', 'Outlookで送れなくなりました', GMAIL_535),
      { conversation: 'l3', user: 'u9', text: 'English please' },
      { conversation: 'l3', user: 'u9', text: 'メールが送れません' },
      { conversation: 'l4', user: 'u9', text: GMAIL_535 },
    ]);
    expect(out[1]?.lang).toBe('ja');
    expect(out[2]?.lang).toBe('en');
    expect(out[3]?.lang).toBe('en');
    expect(out[4]?.lang).toBe('en');
  });

  it('has one default for every command: SMTP_DOCTOR_LANG, else English; Japanese text is answered in Japanese', async () => {
    const ja = { SMTP_DOCTOR_LANG: 'ja' };
    const [diagnoseJa, diagnoseEn, checklistJa, checklistEn, japaneseText] = await Promise.all([
      runCli(['diagnose', GMAIL_535], '', ja),
      runCli(['diagnose', GMAIL_535]),
      runCli(['checklist'], '', ja),
      runCli(['checklist']),
      runCli(['diagnose', '送信サーバーの認証に失敗しました 535 5.7.8']),
    ]);
    expect(diagnoseJa.stdout).toMatch(/[ぁ-ん]/);
    expect(diagnoseEn.stdout).not.toMatch(/[ぁ-ん]/);
    expect(checklistJa.stdout).toContain('チェックリスト');
    expect(checklistEn.stdout).toContain('Checklist');
    expect(japaneseText.stdout).toMatch(/[ぁ-ん]/);
  });
});
