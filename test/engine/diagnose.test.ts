import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { compact, normalize } from '../../src/engine/normalize.js';
import { realIndex } from '../support/kb.js';
import { ACCEPTED_POSTFIX, ACCEPTED_SWAKS, REFUSED_AFTER_ACCEPTED } from '../support/transcripts.js';

const index = realIndex();

describe('diagnose', () => {
  it('reads full-width text the same as half-width', () => {
    const half = diagnose(index, '554 5.7.1 <a@example.jp>: Relay access denied');
    const full = diagnose(index, '５５４ ５．７．１ ＜ａ＠ｅｘａｍｐｌｅ．ｊｐ＞： Ｒｅｌａｙ ａｃｃｅｓｓ ｄｅｎｉｅｄ');
    expect(full.category).toBe('relay-denied');
    expect(full.entry?.id).toBe(half.entry?.id);
    expect(full.signals.statusCodes).toEqual(['5.7.1']);
  });

  it('reads structure first: codes and phrases both show as evidence', () => {
    const d = diagnose(index, '550 5.1.1 <a@example.jp>: Recipient address rejected: User unknown in local recipient table');
    expect(d.category).toBe('recipient-unknown');
    expect(d.evidence.map((e) => e.kind)).toEqual(expect.arrayContaining(['phrase', 'status-code', 'reply-code']));
    expect(d.signals.replyCodes).toContain(550);
    expect(d.signals.statusCodes).toEqual(['5.1.1']);
    expect(d.signals.addresses).toContain('a@example.jp');
  });

  it('takes a bare 4xx with nothing more specific as a temporary failure', () => {
    const d = diagnose(index, '451 4.9.9 something odd happened');
    expect(d.category).toBe('temporary-failure');
    // The class fallback alone is not evidence of a cause: it is never shown as if it were one.
    expect(d.evidence.some((e) => e.value === '4.x.x')).toBe(false);
  });

  it('stays silent for a short question about a code, but not for a question that quotes the error', () => {
    const faq = diagnose(index, 'What does 550 5.1.1 mean in a bounce?');
    expect(faq.category).toBe('recipient-unknown');
    expect(faq.respond).toBe(false);
    expect(diagnose(index, '0x800CCC0E ってどういう意味ですか？').respond).toBe(false);
    const dialog = diagnose(index, "The server's security certificate could not be verified. The target principal name is incorrect. Do you want to continue using this server?");
    expect(dialog.category).toBe('tls-certificate');
    expect(dialog.respond).toBe(true);
    const asking = diagnose(index, '送信したら「550 5.2.2 Mailbox full」と返ってきました。どうすればいいですか？');
    expect(asking.category).toBe('mailbox-full');
    expect(asking.respond).toBe(true);
  });

  it('takes a connect timeout on port 25 as Outbound Port 25 Blocking, and on other ports as unreachable', () => {
    expect(diagnose(index, 'Error: connect ETIMEDOUT 203.0.113.5:25').category).toBe('port-25-blocked');
    expect(diagnose(index, '25番ポートで送信しようとすると接続がタイムアウトします').category).toBe('port-25-blocked');
    const other = diagnose(index, 'Error: connect ETIMEDOUT 203.0.113.5:587');
    expect(other.category).toBe('smtp-unreachable');
    expect(other.alternatives.every((a) => a.confidence >= 0 && a.confidence <= other.confidence)).toBe(true);
  });

  it("lets the server's reply decide over the mail client's wrapper code", () => {
    const wrapped = diagnose(index, "Task 'x - Sending' reported error (0x800CCC78): 'Unable to send the message. The server responded: 550 5.1.1 <a@example.org>: Recipient address rejected: User unknown'");
    expect(wrapped.category).toBe('recipient-unknown');
    expect(diagnose(index, "Task 'x - Sending' reported error (0x800CCC0E): 'Cannot connect to the server.'").category).toBe('smtp-unreachable');
  });

  it('joins multi-line replies before matching phrases', () => {
    const d = diagnose(index, '550-5.7.1 The IP you are using to send mail is not authorized to\n550-5.7.1 send email directly to our servers. Please use the\n550 5.7.1 SMTP relay at your service provider instead.');
    expect(d.evidence.some((e) => e.kind === 'phrase' && e.value.includes('send email directly'))).toBe(true);
  });

  it('is deterministic', () => {
    const text = 'Error: Invalid login: 535 5.7.8 Username and Password not accepted';
    expect(JSON.stringify(diagnose(index, text))).toBe(JSON.stringify(diagnose(index, text)));
  });

  it('says unknown and stays silent for ordinary chat', () => {
    for (const text of ['メール送っておきました', "port 587 is what we use, right?", 'Happy Friday!', 'SMTPサーバーの移行は金曜です']) {
      const d = diagnose(index, text);
      expect(d.respond, text).toBe(false);
    }
    const d = diagnose(index, 'お昼はラーメンにします');
    expect(d.category).toBe('unknown');
    expect(d.entry).toBeNull();
    expect(d.confidence).toBe(0);
  });

  it('finds the error in a long log', () => {
    const noise = Array.from({ length: 200 }, (_, i) => `Nov 28 10:${String(i % 60).padStart(2, '0')}:00 host app[42]: request ${i} ok`).join('\n');
    const d = diagnose(index, `${noise}\nNov 28 11:00:00 host postfix/smtp[9]: to=<a@example.org>, status=bounced (host mx.example.org[192.0.2.1] said: 550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command))\n${noise}`);
    expect(d.category).toBe('recipient-unknown');
    expect(d.signals.command).toBe('RCPT TO');
  });

  it('never crashes on bad input and never loses the text it can read', () => {
    const inputs = [
      '',
      '   \n\t  ',
      '\u0000\u0001\u0002binary\u0007\u001b[31m',
      '\uD800 lone surrogate \uDFFF',
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x41]).toString('utf8'),
      '😀🔥📧 '.repeat(1000),
      'メール送信エラー 550 5.1.1 user unknown 😢 宛先が見つかりません',
    ];
    for (const input of inputs) {
      const d = diagnose(index, input);
      expect(typeof d.category).toBe('string');
      expect(d.confidence).toBeGreaterThanOrEqual(0);
      expect(d.confidence).toBeLessThanOrEqual(1);
    }
    expect(diagnose(index, inputs.at(-1) ?? '').category).toBe('recipient-unknown');
  });

  it('redacts secrets before they reach the diagnosis', () => {
    const d = diagnose(index, 'C: AUTH PLAIN AHRhcm8Ac2VjcmV0cGFzcw==\nS: 535 5.7.8 Authentication credentials invalid\npassword=Hunter2!x');
    const json = JSON.stringify(d);
    expect(json).not.toContain('AHRhcm8Ac2VjcmV0cGFzcw==');
    expect(json).not.toContain('Hunter2!x');
    expect(d.category).toBe('auth-failed');
  });

  it('finds no failure in a transcript or log where the server accepted every step, but still reads a failure after accepted steps', () => {
    for (const text of [ACCEPTED_SWAKS, ACCEPTED_POSTFIX, 'Message accepted for delivery: 250 2.0.0 OK', 'テストメールの送信に成功しました（250 2.0.0 OK）']) {
      const d = diagnose(index, text);
      expect({ text, category: d.category, respond: d.respond }).toEqual({ text, category: 'unknown', respond: false });
    }
    const refused = diagnose(index, REFUSED_AFTER_ACCEPTED);
    expect(refused.category).toBe('relay-denied');
    expect(diagnose(index, 'Expected response code 250 but got code "", with message ""').category).not.toBe('unknown');
  });

  it('tells the circumstances of a trouble described in words', () => {
    const d = diagnose(index, "can't send mail from Thunderbird since yesterday, port 25");
    expect(d.context.client).toBe('Thunderbird');
    expect(d.context.sinceRecently).toBe(true);
    expect(d.context.ports).toContain(25);
    // Words alone now get a diagnosis when they narrow the trouble (here: sending on port 25), as real reports do.
    expect(d.category).toBe('port-25-blocked');
  });

  it('reads the port a change was made to ("switched the port to 25", "set the port back to 587")', () => {
    expect(diagnose(index, 'I switched the port to 25 and it still times out').context.ports).toEqual([25]);
    expect(diagnose(index, 'set the port back to 587').context.ports).toEqual([587]);
    // A number after "to" that follows no "port" is no port.
    expect(diagnose(index, 'I moved to 2525 Main Street').context.ports).toEqual([]);
  });
});

describe('normalize', () => {
  it('folds width, case, spacing and the long-vowel mark for matching', () => {
    expect(compact(normalize('ＳＭＴＰ サーバー に 接続 できません').lower)).toBe(compact(normalize('smtpサーバに接続できません').lower));
    expect(normalize('a\r\nb\u0000c').text).toBe('a\nb c');
  });
});
