import { describe, expect, it } from 'vitest';
import { askedInWords, buildMentionIndex, hostPatternRegExp, mentionedClients, mentionedEncryption, mentionedProviders, securityMismatch } from '../../src/engine/mentions.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

const kb = loadKnowledge();
const index = buildMentionIndex(kb.providers, kb.clients);

/** A concrete host for a pattern: `*` becomes a plausible label part; `{domain}` (the user's own domain) has none. */
function sample(pattern: string): string | null {
  if (pattern.includes('{domain}')) return null;
  return pattern.replace(/^\*\./, 'mx1.').replaceAll('*', 'x1');
}

describe('host patterns', () => {
  it('read * as one or more labels in front and as letters inside a label', () => {
    expect(hostPatternRegExp('*.ocn.ne.jp').test('smtp.vc.ocn.ne.jp')).toBe(true);
    expect(hostPatternRegExp('*.ocn.ne.jp').test('ocn.ne.jp')).toBe(false);
    expect(hostPatternRegExp('sv*.xserver.jp').test('sv12345.xserver.jp')).toBe(true);
    expect(hostPatternRegExp('sv*.xserver.jp').test('www.xserver.jp')).toBe(false);
    expect(hostPatternRegExp('smtp.gmail.com').test('smtp.gmail.com.evil.example')).toBe(false);
  });
});

describe('providers mentioned in a text', () => {
  it("detect each provider's own examples, that provider first", () => {
    const wrong: string[] = [];
    for (const p of kb.providers) {
      for (const example of p.examples) {
        const first = mentionedProviders(index, example)[0];
        if (first?.item.id !== p.id) wrong.push(`${p.file}: "${example}" → ${first?.item.id ?? 'nothing'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("detect each provider's outgoing servers as that provider and no other", () => {
    const wrong: string[] = [];
    for (const p of kb.providers) {
      for (const server of p.smtp) {
        const host = sample(server.value.host);
        if (!host) continue;
        const ids = mentionedProviders(index, `${host}:${server.value.port}`).map((m) => m.item.id);
        if (ids.length !== 1 || ids[0] !== p.id) wrong.push(`${p.file}: ${host} → ${ids.join(', ') || 'nothing'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('let no two providers claim the same host or domain', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const p of kb.providers) {
      for (const pattern of [...p.detect.hosts, ...p.detect.domains]) {
        const earlier = owner.get(pattern);
        if (earlier && earlier !== p.id) clashes.push(`${pattern}: ${earlier} and ${p.id}`);
        owner.set(pattern, p.id);
      }
    }
    // Different patterns can still overlap (`*.example.jp` and `smtp.example.jp`): a sample of each must match one provider.
    for (const [pattern, id] of owner) {
      const host = sample(pattern);
      if (!host) continue;
      const claimants = kb.providers.filter((p) => [...p.detect.hosts, ...p.detect.domains].some((q) => hostPatternRegExp(q).test(host)));
      if (claimants.length !== 1) clashes.push(`${host} (from ${id}'s ${pattern}) is claimed by ${claimants.map((p) => p.id).join(', ')}`);
    }
    expect(clashes).toEqual([]);
  });

  it('find every detection word in a sentence (no word is swallowed as a server name)', () => {
    const lost: string[] = [];
    for (const p of kb.providers) {
      for (const word of p.detect.words) {
        if (!mentionedProviders(index, `今日 ${word} で送れない`).some((m) => m.item.id === p.id)) lost.push(`${p.file}: ${word}`);
      }
    }
    for (const c of kb.clients) {
      for (const word of c.detect.words) {
        if (!mentionedClients(index, `今日 ${word} で送れない`).some((m) => m.item.id === c.id)) lost.push(`${c.file}: ${word}`);
      }
    }
    expect(lost).toEqual([]);
  });

  it('tell a server name from an address and a word', () => {
    expect(mentionedProviders(index, 'smtp.gmail.com:587')[0]).toMatchObject({ via: 'host', match: 'smtp.gmail.com' });
    expect(mentionedProviders(index, 'taro@docomo.ne.jp に送れない')[0]).toMatchObject({ via: 'domain', match: 'docomo.ne.jp' });
    expect(mentionedProviders(index, 'ドコモのメールが届かない')[0]).toMatchObject({ via: 'word' });
  });

  it('put a server name before a word when a text names both', () => {
    const ids = mentionedProviders(index, 'Gmailのアドレスを smtp.sendgrid.net から送っています').map((m) => m.item.id);
    expect(ids).toEqual(['sendgrid', 'gmail']);
  });

  it('read the company name as its mailbox service, but not inside the name of one of its apps', () => {
    expect(mentionedProviders(index, 'our mail is hosted by Microsoft').map((m) => m.item.id)).toEqual(['microsoft']);
    expect(mentionedProviders(index, 'マイクロソフトのアカウントで送れない').map((m) => m.item.id)).toEqual(['microsoft']);
    expect(mentionedProviders(index, 'Microsoft Outlook でぷららのメールが送れない').map((m) => m.item.id)).toEqual(['plala']);
    expect(mentionedProviders(index, 'sending from Microsoft Outlook fails').map((m) => m.item.id)).toEqual([]);
  });

  it('read a bare "Yahoo" by the language of the text: Yahoo Mail in English, Yahoo! JAPAN in Japanese', () => {
    expect(mentionedProviders(index, 'my Yahoo address stopped sending').map((m) => m.item.id)).toEqual(['yahoo-mail']);
    expect(mentionedProviders(index, 'Yahooのアドレスから送信できません').map((m) => m.item.id)).toEqual(['yahoo-japan']);
    expect(mentionedProviders(index, 'Yahoo!メールです')[0]?.item.id).toBe('yahoo-japan');
  });

  it("know Google's SMTP replies by their own words", () => {
    expect(mentionedProviders(index, '421 4.7.0 Try again later, closing connection. (EHLO) x1si2 - gsmtp')[0]?.item.id).toBe('gmail');
    expect(mentionedProviders(index, 'Invalid login: 535-5.7.8 Username and Password not accepted')[0]?.item.id).toBe('gmail');
  });

  it('do not find short names inside other words', () => {
    for (const text of ['I need help because my mail fails', 'the video was sent', 'a nifty trick for Outlook', 'メールが送れません', 'Received fatal alert: handshake_failure']) {
      expect(mentionedProviders(index, text).map((m) => m.item.id), text).toEqual([]);
    }
  });

  it('do not take a look-alike host for the real one', () => {
    expect(mentionedProviders(index, 'smtp.gmail.com.example.net に接続できない').map((m) => m.item.id)).not.toContain('gmail');
  });
});

describe('mail apps mentioned in a text', () => {
  it("detect each app's own examples, that app first", () => {
    const wrong: string[] = [];
    for (const c of kb.clients) {
      for (const example of c.examples) {
        const first = mentionedClients(index, example)[0];
        if (first?.item.id !== c.id) wrong.push(`${c.file}: "${example}" → ${first?.item.id ?? 'nothing'}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('prefer the most specific name', () => {
    expect(mentionedClients(index, 'MacのOutlookで送れない')[0]?.item.id).toBe('outlook-mac');
    expect(mentionedClients(index, 'iPhoneのOutlookアプリで送れない')[0]?.item.id).toBe('outlook-mobile');
    expect(mentionedClients(index, '新しい Outlook にしたら送れない')[0]?.item.id).toBe('outlook-new');
    expect(mentionedClients(index, 'Outlookで送れない')[0]?.item.id).toBe('outlook-classic');
  });

  it('do not take a server name or an address for an app', () => {
    for (const text of ['smtp-mail.outlook.com:587 に接続できない', 'taro@outlook.jp から送れない', 'https://support.apple.com/ja-jp/mail']) {
      expect(mentionedClients(index, text).map((m) => m.item.id), text).toEqual([]);
    }
  });
});

describe('encryption told in words', () => {
  it('reads SSL/TLS, STARTTLS and none as users write them, in both languages', () => {
    const cases: [string, string | undefined][] = [
      ['SSLにチェック入れてます', 'ssl'],
      ['暗号化はSSL/TLSを選んでいます', 'ssl'],
      ['I use SSL on port 587', 'ssl'],
      ['nodemailer with secure: true', 'ssl'],
      ['STARTTLSを選んでいる', 'starttls'],
      ['connection security is STARTTLS', 'starttls'],
      ['暗号化なしにしてる', 'none'],
      ['SSLは使っていません', 'none'],
      ['no encryption', 'none'],
      ['Encryption: None', 'none'],
      ['SSLとSTARTTLSの違いは？', undefined],
      ['ポートは587です', undefined],
      ['送信サーバーは smtps.example.jp です', undefined],
      ['sslv3 alert handshake failure', undefined],
    ];
    for (const [text, mode] of cases) expect(mentionedEncryption(kb.context, text), text).toBe(mode);
  });

  it('knows which encryption goes with which port', () => {
    expect(securityMismatch(kb.context, 587, 'ssl')).toBe('starttls');
    expect(securityMismatch(kb.context, 465, 'starttls')).toBe('ssl');
    expect(securityMismatch(kb.context, 465, 'none')).toBe('ssl');
    expect(securityMismatch(kb.context, 587, 'starttls')).toBeUndefined();
    expect(securityMismatch(kb.context, 25, 'none')).toBeUndefined();
    expect(securityMismatch(kb.context, 8025, 'ssl')).toBeUndefined();
  });
});

describe('questions asked without a question mark', () => {
  it('reads English interrogatives at the start and Japanese asking words anywhere', () => {
    for (const t of ['whats the diff between 25 and 587', "What's STARTTLS", 'which port for gmail', 'can i use 2525', '465と587の違い', 'SMTP認証って何', 'ＳＭＴＰ認証ってなに', 'どっちがいいか教えて']) {
      expect(askedInWords(kb.context, t), t).toBe(true);
    }
  });
  it('does not read statements as questions', () => {
    for (const t of ['I changed it to 587 and it still fails', "isn't working since yesterday", 'Thisis a test', 'whatever, it works now', '587にしたけどまだダメです', '直りました']) {
      expect(askedInWords(kb.context, t), t).toBe(false);
    }
  });
});
