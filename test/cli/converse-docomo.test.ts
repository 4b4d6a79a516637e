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
