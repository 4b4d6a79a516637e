// How the engine reads a paste before it judges it: odd characters, process ids, long logs, Japanese as people write it.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { featuresOf } from '../../src/engine/features.js';
import { compact } from '../../src/engine/normalize.js';
import { extractSignals } from '../../src/engine/signals.js';
import { realIndex } from '../support/kb.js';

const index = realIndex();

describe('reading a paste', () => {
  it('removes invisible format characters before matching (ZWJ, word joiner, soft hyphen, bidi marks, BOM)', () => {
    for (const mark of ['\u200d', '\u2060', '\u00ad', '\u200e', '\ufeff', '\u200c']) {
      const d = diagnose(index, `554 5.7.1 <a@example.org>: Rel${mark}ay access denied`);
      expect(d.category, JSON.stringify(mark)).toBe('relay-denied');
    }
  });

  it('reads words with accented letters, Cyrillic or Hangul whole, not cut at the first letter outside a-z', () => {
    const lower = 'falha na conexão smtp: соединение отклонено (연결 거부)';
    const words = featuresOf(lower, extractSignals(lower, lower), (s) => s, compact).filter((f) => f.startsWith('w:'));
    for (const w of ['w:conexão', 'w:соединение', 'w:отклонено', 'w:연결', 'w:거부']) expect(words, w).toContain(w);
    expect(words).not.toContain('w:conex');
  });

  it('reads a number in brackets after a program name as a process id, not as WinSock 10054', () => {
    const line = 'Dec  7 01:02:03 mx postfix/smtpd[10054]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 <x@example.org>: Relay access denied';
    const d = diagnose(index, line);
    expect(d.category).toBe('relay-denied');
    expect(d.signals.errorCodes).not.toContain('10054');
  });

  it('takes only whole tokens as error codes: EXAMPLE in SMTP.EXAMPLE.JP is part of a host name', () => {
    expect(extractSignals('test SMTP.EXAMPLE.JP', 'test smtp.example.jp').errorCodes).toEqual([]);
    expect(extractSignals('Error: connect ECONNREFUSED 127.0.0.1:587', 'error: connect econnrefused 127.0.0.1:587').errorCodes).toEqual(['ECONNREFUSED']);
  });

  it('reads no SMTP keyword, log level or setting name as an error code, and keeps the codes beside them', () => {
    const codes = (t: string) => extractSignals(t, t.toLowerCase()).errorCodes;
    expect(codes('220 mx.example.org ESMTP Postfix')).toEqual([]);
    expect(codes("ERROR EHLO rejected; EMAIL_HOST='smtp.example.org' EMAIL_USE_TLS=True")).toEqual([]);
    expect(codes('ERRORE: connect ETIMEDOUT 192.0.2.1:587 (ESOCKET)')).toEqual(['ETIMEDOUT', 'ESOCKET']);
    expect(codes('getaddrinfo EAI_AGAIN smtp.example.org')).toEqual(['EAI_AGAIN']);
  });

  it('lets the decisive line of a long log win over the many retry lines after it', () => {
    const retries = Array.from({ length: 400 }, (_, i) => `Dec  7 01:${String(i % 60).padStart(2, '0')}:00 mx postfix/smtp[${2000 + i}]: connect to mx.example.org[192.0.2.1]:25: Connection timed out`);
    const log = ['Dec  7 00:59:59 mx postfix/smtpd[999]: NOQUEUE: reject: RCPT from client[198.51.100.7]: 554 5.7.1 <u@example.net>: Relay access denied', ...retries].join('\n');
    expect(log.length).toBeGreaterThan(40_000);
    expect(diagnose(index, log).category).toBe('relay-denied');
  });

  it('lets a final 5xx win over the 4xx deferrals before it', () => {
    const deferrals = Array.from({ length: 60 }, (_, i) => `Dec  7 0${i % 10}:00:00 mx postfix/smtp[${3000 + i}]: 1A2B3C: to=<u@example.org>, status=deferred (host mx.example.org said: 451 4.7.1 Try again later)`);
    const log = [...deferrals, 'Dec  7 12:00:00 mx postfix/smtp[4000]: 1A2B3C: to=<u@example.org>, status=bounced (host mx.example.org said: 550 5.1.1 <u@example.org>: Recipient address rejected: User unknown in virtual mailbox table)'].join('\n');
    expect(diagnose(index, log).category).toBe('recipient-unknown');
  });

  it.each([
    ['ログインに失敗した', 'auth-failed'],
    ['SMTPサーバーの認証に失敗して送信できない', 'auth-failed'],
    ['証明書の有効期限が切れている', 'tls-certificate'],
    ['送信サーバーにつながらない', 'smtp-unreachable'],
    ['送信サーバーに接続出来ませんでした', 'smtp-unreachable'],
  ])('understands Japanese in the forms people write it: %s', (text, category) => {
    expect(diagnose(index, text).category).toBe(category);
  });
});
