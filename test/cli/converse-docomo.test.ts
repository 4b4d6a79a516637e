/**
 * A bounce for a docomo recipient (550 5.7.1, a refused message) is the recipient's own reception filter (docomo's
 * 受信/拒否設定), and the fix is on the recipient's side — said from docomo's sourced, dated fact, in both languages.
 */
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { converse, dialogue } from '../support/converse.js';

describe("converse --jsonl: a docomo recipient's bounce", () => {
  it("names the recipient's reception settings as the fix, however the bounce is told", async () => {
    const texts = [
      '@docomo.ne.jp 宛てのメールが 550 5.7.1 で戻ってきます',
      'お客様のドコモのアドレス（taro.y@docomo.ne.jp）に送ると「550 5.7.1 Message rejected」というエラーメールが返ってくる',
      'ドコモの人にだけ送れない。エラーは 550 5.7.1 です',
      'Mail to a docomo.ne.jp address bounces with 550 5.7.1 <hanako@docomo.ne.jp>: Message rejected',
      'Final-Recipient: rfc822; hanako@docomo.ne.jp\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 Message rejected',
    ];
    const out = await converse(texts.map((text, i) => ({ conversation: `dc${i}`, text })));
    for (const [i, o] of out.entries()) {
      expect(o.kind, texts[i]).toBe('diagnosis');
      expect(o.provider, texts[i]).toBe('docomo');
      expect(o.probeTarget, texts[i]).toBeNull();
      expect(o.text.length, texts[i]).toBeLessThanOrEqual(620);
    }
    for (const o of out.slice(0, 3)) {
      expect(o.lang).toBe('ja');
      expect(o.text).toMatch(/受信者側/);
      expect(o.text).toContain('個別に受信したいドメインまたはアドレス');
    }
    for (const o of out.slice(3)) {
      expect(o.lang).toBe('en');
      expect(o.text).toMatch(/recipient's side/);
      expect(o.text).toContain('受信/拒否設定');
    }
  });

  it('keeps a docomo recipient named in one turn for the bounce pasted in the next', async () => {
    const out = await converse([
      ...dialogue('dk1', 'ドコモのアドレス宛てにだけ送れません', '550 5.7.1 Message rejected'),
      ...dialogue('dk2', 'My mails to someone@docomo.ne.jp never arrive', 'Diagnostic-Code: smtp; 550 5.7.1 Message rejected'),
    ]);
    expect(out[1]?.kind).toBe('diagnosis');
    expect(out[1]?.text).toMatch(/受信者側/);
    expect(out[1]?.text).toContain('個別に受信したいドメインまたはアドレス');
    expect(out[3]?.kind).toBe('diagnosis');
    expect(out[3]?.text).toMatch(/recipient's side/);
    // A server the user sends through is no recipient: docomo's own SMTP server named earlier blames no filter.
    const own = await converse(dialogue('dk3', '送信サーバーは smtp.spmode.ne.jp です', '550 5.7.1 Message rejected'));
    expect(own[1]?.text).not.toMatch(/受信者側/);
  });

  it('answers a bounce told in words with what the bounce says, not the app settings checklist', async () => {
    const ja = ['@docomo.ne.jp宛てにだけ送れません。エラーメールが返ってきます', 'ドコモの友達に送るとメールが戻ってきてしまう'];
    const en = ['my emails to a docomo.ne.jp address keep bouncing', 'Mail to my friend at docomo comes back from MAILER-DAEMON'];
    const out = await converse([...ja, ...en].map((text, i) => ({ conversation: `db${i}`, text })));
    for (const [i, o] of out.entries()) {
      const text = [...ja, ...en][i];
      expect(o.kind, text).toBe('symptom');
      expect(o.probeTarget, text).toBeNull();
      // docomo's own fact, quoted with its Japanese setting names in both languages.
      expect(o.text, text).toContain('受信/拒否設定');
      expect(o.text, text).toContain('Diagnostic-Code');
      expect(o.lang, text).toBe(i < ja.length ? 'ja' : 'en');
      expect(o.text, text).not.toMatch(/インターネットに接続できているか|device is online/);
    }
    const plain = await converse([{ conversation: 'db9', text: 'エラーメールが返ってきて送れません' }]);
    expect(plain[0]?.kind).toBe('symptom');
    expect(plain[0]?.text).toContain('Diagnostic-Code');
    expect(plain[0]?.text).not.toMatch(/受信者側/);
  });

  it('gives the source and the day it was checked in the detail', async () => {
    const out = await converse(dialogue('dd', 'ドコモ宛のメールが 550 5.7.1 Message rejected で戻る', '詳しく'));
    expect(out[1]?.kind).toBe('followup');
    expect(out[1]?.text).toContain('https://www.nttdocomo.co.jp/info/spam_mail/measure/domain/about/index.html');
    expect(out[1]?.text).toContain('2026-12-07');
  });

  it("does not blame the recipient's filter for the sender's own docomo server, nor for other troubles", async () => {
    const out = await converse([
      { conversation: 'dn1', text: 'smtp.spmode.ne.jp:465 で 535 5.7.8 Authentication failed になります' },
      { conversation: 'dn2', text: '550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown' },
    ]);
    for (const o of out) expect(o.text).not.toMatch(/受信者側|recipient's side/);
  });

  it('ships every docomo fact with a source URL and the day it was checked', () => {
    const docomo = loadKnowledge().providers.find((p) => p.id === 'docomo');
    expect(docomo).toBeDefined();
    const facts = [...(docomo?.help ?? []), ...(docomo?.smtp ?? []), ...(docomo?.setup ?? []), ...(docomo?.receiving ?? []), ...(docomo?.username ? [docomo.username] : [])];
    expect(docomo?.receiving.length).toBeGreaterThan(0);
    for (const f of facts) {
      expect(f.source).toMatch(/^https?:\/\/\S+\.\S+/);
      expect(f.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
