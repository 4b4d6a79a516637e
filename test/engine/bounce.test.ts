/** Bounces read as bounces: DSN fields per recipient, reports without a DSN, delay notices, auto-replies and feedback reports. */
import { describe, expect, it } from 'vitest';
import { bounceTextFor, bounceVerdict, decisiveText, diagnoseBounce, parseBounce, recipientText, structuralAnswer } from '../../src/engine/bounce.js';
import { fixture } from '../support/files.js';
import { realIndex } from '../support/kb.js';

describe('parseBounce', () => {
  it('reads an RFC 3464 DSN with an ISO-2022-JP report: every recipient, its action, status, server and words', async () => {
    const b = await parseBounce(fixture('bounce-iso2022jp.eml'));
    expect(b?.kind).toBe('failure');
    expect(b?.subject).toBe('見積書の送付について');
    expect(b?.date).toBe('2026-12-07T01:15:00.000Z');
    expect(b?.recipients.map((r) => [r.address, r.action, r.status, r.remoteMta])).toEqual([
      ['taro@example.jp', 'failed', '5.1.1', 'mx1.example.jp'],
      ['hanako@example.co.jp', 'failed', '5.2.2', 'mx.example.co.jp'],
      ['jiro@example.org', 'delivered', '2.0.0', 'mx.example.org'],
    ]);
    // A folded Diagnostic-Code is one line, without its "smtp;" type.
    expect(b?.recipients[0]?.diagnosticCode).toBe('550 5.1.1 <taro@example.jp>: Recipient address rejected: User unknown in virtual mailbox table');
  });

  it('diagnoses each failed recipient with the engine, and counts the failures', async () => {
    const b = await parseBounce(fixture('bounce-iso2022jp.eml'));
    const a = diagnoseBounce(realIndex(), b!, 'ja');
    expect(a.failed).toBe(2);
    expect(a.recipients.map((r) => r.category)).toEqual(['recipient-unknown', 'mailbox-full', 'unknown']);
  });

  it('finds the recipient and the server in an Exim report without a DSN part', async () => {
    const b = await parseBounce(fixture('bounce-exim.eml'));
    expect(b?.kind).toBe('failure');
    expect(b?.subject).toBe('Photos from the trip');
    expect(b?.recipients).toHaveLength(1);
    expect(b?.recipients[0]).toMatchObject({ address: 'kenji@example.com', remoteMta: 'mx.example.com', status: '5.3.4' });
    expect(b?.recipients[0]?.diagnosticCode).toContain('552 5.3.4 Message size exceeds fixed maximum message size');
  });

  it('reads an HTML-only Exchange report: the recipient and what the remote server returned', async () => {
    const b = await parseBounce(fixture('exchange-html.eml'));
    expect(b?.kind).toBe('failure');
    expect(b?.recipients.map((r) => r.address)).toEqual(['bob@example.org']);
    expect(b?.recipients[0]?.diagnosticCode).toContain("Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound");
    expect(diagnoseBounce(realIndex(), b!).recipients[0]?.category).toBe('recipient-unknown');
  });

  it('tells a delay notice, an auto-reply and a feedback report apart from a failure', async () => {
    expect((await parseBounce(fixture('bounce-delay.eml')))?.kind).toBe('delay');
    expect((await parseBounce(fixture('auto-reply.eml')))?.kind).toBe('auto-reply');
    const arf = await parseBounce(fixture('arf.eml'));
    expect(arf?.kind).toBe('feedback');
    expect(arf?.recipients[0]?.address).toBe('someone@hotmail.example');
    expect(decisiveText(arf!)).toBeNull();
  });

  it('is not fooled by ordinary text or an ordinary message', async () => {
    expect(await parseBounce('550 5.1.1 User unknown')).toBeNull();
    expect(await parseBounce('From: a@example.jp\r\nTo: b@example.jp\r\nSubject: lunch?\r\n\r\nNoodles at noon?\r\n')).toBeNull();
  });
});

describe('bounceTextFor (the classify --jsonl hook)', () => {
  it('gives the failed recipients words for a whole bounce, and null for what is not one', async () => {
    const text = fixture('bounce-exim.eml').toString('utf8');
    expect(await bounceTextFor(realIndex(), text)).toContain('Message size exceeds fixed maximum');
    expect(await bounceTextFor(realIndex(), '554 5.7.1 Relay access denied')).toBeNull();
    expect(await bounceTextFor(realIndex(), fixture('auto-reply.eml').toString('utf8'))).toBeNull();
  });
});

describe('hostile input', () => {
  it('reads a bounce-shaped message with a megabyte of address characters without hanging', async () => {
    const head = 'From: MAILER-DAEMON@example.net\r\nTo: a@example.jp\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\n';
    for (const body of ['a'.repeat(1_000_000), 'a.'.repeat(500_000), `${'x'.repeat(500_000)}@${'y.'.repeat(250_000)}`]) {
      const b = await parseBounce(head + body);
      expect(b?.kind).toBe('failure');
    }
  });
});

/** A bounce written here, shaped as the common MTAs send them (addresses and hosts from the documentation ranges). */
function message(from: string, subject: string, body: string, extra = ''): string {
  return `From: ${from}\r\nTo: aki@example.jp\r\nSubject: ${subject}\r\nDate: Mon, 7 Dec 2026 05:00:00 +0900\r\nMessage-ID: <b1@mx.example.jp>\r\n${extra}\r\n${body.replace(/\n/g, '\r\n')}`;
}

describe('the decisive words of a report (structure, not wordings)', () => {
  const index = realIndex();
  const category = async (raw: string) => {
    const b = await parseBounce(raw);
    expect(b).not.toBeNull();
    return { file: diagnoseBounce(index, b!).recipients.filter((r) => r.action === b!.recipients[0]?.action).map((r) => r.category), text: await bounceTextFor(index, raw) };
  };

  it("a DSN whose Diagnostic-Code is the MTA's own (X-Postfix) about reaching port 25 is decided by its Status, not read as OP25B", async () => {
    const boundary = 'B0UND';
    const raw = message(
      'MAILER-DAEMON@mx.example.jp (Mail Delivery System)',
      'Undelivered Mail Returned to Sender',
      [
        `--${boundary}`,
        'Content-Type: text/plain',
        '',
        "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
        '',
        '<ken@example.org>: connect to mail.example.org[198.51.100.20]:25: Connection timed out',
        `--${boundary}`,
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.jp',
        '',
        'Final-Recipient: rfc822; ken@example.org',
        'Action: failed',
        'Status: 4.4.1',
        'Diagnostic-Code: X-Postfix; connect to mail.example.org[198.51.100.20]:25:',
        '    Connection timed out',
        `--${boundary}--`,
        '',
      ].join('\n'),
      `MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"\r\n`,
    );
    const { file, text } = await category(raw);
    expect(file).toEqual([expect.stringMatching(/^(?:temporary-failure|smtp-unreachable)$/)]);
    expect(text).toBe('Status: 4.4.1');
  });

  it("takes the remote server's reply out of a sentence of advice (Gmail: 'The error that the other server returned was')", async () => {
    const raw = message(
      'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      'Delivery Status Notification (Failure)',
      'Delivery to the following recipient failed permanently:\n\n     ken@example.org\n\nTechnical details of permanent failure:\nGoogle tried to deliver your message, but it was rejected by the server for the recipient domain example.org by mx.example.org. [198.51.100.20]. We recommend contacting the other email provider for further information about the cause of this error. The error that the other server returned was: 552 5.2.2 <ken@example.org>: Mailbox is over quota\n',
    );
    const { file } = await category(raw);
    expect(file).toEqual(['mailbox-full']);
  });

  it("reads the MTA's account of its retries only when no server replied", async () => {
    const gaveUp = message(
      'MAILER-DAEMON@mx.example.jp',
      'failure notice',
      "Hi. This is the qmail-send program at mx.example.jp.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<ken@example.org>:\nCould not connect to the recipient's server: timed out.\nI'm not going to try again; this message has been in the queue too long.\n",
    );
    expect((await category(gaveUp)).file).toEqual([expect.stringMatching(/^(?:temporary-failure|smtp-unreachable)$/)]);
    const refused = message(
      'MAILER-DAEMON@mx.example.jp',
      'failure notice',
      "Hi. This is the qmail-send program at mx.example.jp.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<ken@example.org>:\n198.51.100.20 does not like recipient.\nRemote host said: 550 5.1.1 <ken@example.org>: user unknown\nI'm not going to try again; this message has been in the queue too long.\n",
    );
    expect((await category(refused)).file).toEqual(['recipient-unknown']);
  });

  it('knows a Google Groups refusal in any language by its help link', async () => {
    const raw = message(
      'Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
      'Delivery Status Notification (Failure)',
      'Hallo aki@example.jp,\n\nwir möchten Sie darüber informieren, dass die Gruppe (vertrieb) möglicherweise nicht existiert oder Sie keine Berechtigung haben, Nachrichten an die Gruppe zu senden.\n\nWeitere Informationen finden Sie in der Hilfe unter https://groups.google.com/support/.\n\nGoogle Groups\n',
      'X-Failed-Recipients: vertrieb@googlegroups.com\r\n',
    );
    const b = await parseBounce(raw);
    expect(b?.recipients.map((r) => r.address)).toEqual(['vertrieb@googlegroups.com']);
    const text = await bounceTextFor(index, raw);
    expect(text).not.toBeNull();
    const { classify } = await import('../../src/engine/diagnose.js');
    expect(classify(index, text ?? '').category).toBe('sender-rejected');
  });
});


describe('the SMTP command refused and the status code (knowledge/bounces.yaml)', () => {
  const index = realIndex();
  const report = (lines: string[]) => message('MAILER-DAEMON@mx.example.jp (Mail Delivery System)', 'Undelivered Mail Returned to Sender', lines.join('\n'));
  const read = async (raw: string) => {
    const b = await parseBounce(raw);
    expect(b).not.toBeNull();
    const a = diagnoseBounce(index, b!);
    const { classifyLine } = await import('../../src/cli/classify.js');
    const viaClassify = JSON.parse(await classifyLine(index, JSON.stringify({ text: raw }))) as { category: string; respond: boolean };
    return { recipients: a.recipients, structural: structuralAnswer(a), viaClassify };
  };

  it('names the command each MTA report says was refused', async () => {
    const cases: [string[], string][] = [
      [['<ken@example.org>: host mx.example.org[192.0.2.9] said: 550 5.7.1 Not allowed (in reply to MAIL FROM command)'], 'MAIL'],
      [['SMTP error from remote mail server after RCPT TO:<ken@example.org>:', 'host mx.example.org [192.0.2.9]: 550 No such mailbox here', '', '  ken@example.org'], 'RCPT'],
      [['<ken@example.org>:', 'Connected to 192.0.2.9 but my name was rejected.', 'Remote host said: 501 Bad HELO argument'], 'HELO'],
      [['<ken@example.org>: host mx.example.org[192.0.2.9] refused to talk to me: 554 Go away'], 'CONN'],
      [['<ken@example.org>: host mx.example.org[192.0.2.9] said: 553 sender unknown (in reply to MAIL FROM', '    command)'], 'MAIL'],
      [['<ken@example.org>: lost connection with mx.example.org[192.0.2.9] while performing the EHLO handshake'], 'EHLO'],
      [['   ----- Transcript of session follows -----', '    >>> RCPT TO:<ken@example.org>', '    <<< 550 5.1.1 mailbox unavailable', '550 5.1.1 <ken@example.org>... User unknown'], 'RCPT'],
    ];
    for (const [lines, command] of cases) expect((await read(report(lines))).recipients[0]?.command, lines.join(' ')).toBe(command);
  });

  it('takes a vague refusal at the greeting or HELO as the sending IP refused, and at MAIL FROM as the sender refused', async () => {
    const helo = await read(report(['  ken@example.org', '    SMTP error from remote mail server after EHLO mail.example.jp:', '    host mx.example.org [192.0.2.9]: 554 Service temporarily unavailable']));
    expect(helo.recipients[0]).toMatchObject({ command: 'EHLO', category: 'ip-reputation' });
    expect(helo.viaClassify).toMatchObject({ category: 'ip-reputation', respond: true });
    // "No such domain" at MAIL FROM is the sender's domain: the recipient's is not yet known to the server.
    const mail = await read(report(['<ken@example.org>: host mx.example.org[192.0.2.9] said: 550 5.1.8 No such domain (in reply to MAIL FROM command)']));
    expect(mail.recipients[0]?.category).toBe('sender-rejected');
    expect(mail.viaClassify.category).toBe('sender-rejected');
  });

  it('bounds what the words read as by the stage, whatever the wording', () => {
    const r = { address: 'ken@example.org', action: 'failed', status: '', remoteMta: '', diagnosticCode: '421 Service temporarily unavailable' };
    for (const command of ['CONN', 'HELO', 'EHLO']) expect(bounceVerdict(index, r, command, 'temporary-failure')).toMatchObject({ category: 'ip-reputation', by: 'stage' });
    expect(bounceVerdict(index, r, 'MAIL', 'recipient-domain-invalid')).toMatchObject({ category: 'sender-rejected', by: 'stage' });
    // A clear answer the stage allows is kept: too many connections at the greeting is a rate limit.
    expect(bounceVerdict(index, r, 'CONN', 'rate-limited')).toBeNull();
    expect(bounceVerdict(index, r, 'RCPT', 'recipient-unknown')).toBeNull();
  });

  it("reads the DSN's Status when the reply's own code is X.0.0 (other or undefined), and the reply's when it is specific", () => {
    const r = (diagnosticCode: string, status: string) => ({ address: 'ken@example.org', action: 'failed', status, remoteMta: '', diagnosticCode });
    expect(bounceVerdict(index, r('550 5.0.0 Rejected', '5.2.2'), '', 'spam-content')?.category).toBe('mailbox-full');
    expect(bounceVerdict(index, r('550 5.7.1 Rejected', '5.2.2'), '', 'spam-content')).toBeNull();
  });

  it("reads the line under an address that stands alone as that recipient's reason, whatever its words", async () => {
    const b = await parseBounce(report(['A message that you sent could not be delivered to one or more of its', 'recipients. The following address(es) failed:', '', '  ken@example.org', '    "Your address is on our list of senders we refuse"', '']));
    expect(b?.recipients.map((r) => [r.address, r.diagnosticCode])).toEqual([['ken@example.org', '"Your address is on our list of senders we refuse"']]);
  });

  it('reads a delivery report forwarded inline below a notice, with its own DSN', async () => {
    const inner = [
      'Return-Path: <>',
      'From: MAILER-DAEMON@relay.example.net (Mail Delivery System)',
      'Subject: Undelivered Mail Returned to Sender',
      'To: aki@example.jp',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="IN"',
      '',
      '--IN',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--IN',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; relay.example.net',
      '',
      'Final-Recipient: rfc822; ken@example.org',
      'Action: failed',
      'Status: 5.2.2',
      'Diagnostic-Code: smtp; 552 5.2.2 Mailbox over quota',
      '--IN--',
    ];
    const raw = report(['Please contact <help@isp.example.jp> about the report below.', '', '----------------------', ...inner]);
    const b = await parseBounce(raw);
    expect(b?.recipients.map((r) => [r.address, r.status])).toEqual([['ken@example.org', '5.2.2']]);
    expect(diagnoseBounce(index, b!).recipients[0]?.category).toBe('mailbox-full');
  });

  it('keeps the recipient X-Failed-Recipients names when one sent to oneself (the bounce goes to its own recipient)', async () => {
    const raw = message('Mail Delivery System <Mailer-Daemon@mx.example.jp>', 'Mail delivery failed: returning message to sender', ['The following address(es) failed:', '', '  aki@example.jp', '    550 5.1.1 mailbox unavailable', ''].join('\n'), 'X-Failed-Recipients: aki@example.jp\r\n');
    expect((await parseBounce(raw))?.recipients.map((r) => r.address)).toEqual(['aki@example.jp']);
  });

  it('does not take a field ending in a number for a reply code ("Size (in bytes): 222")', async () => {
    const raw = message('post_master@sms.example.com', 'Re: hello', ['Error: Invalid user address', '', '550 Requested action not taken: mailbox unavailable', '', 'Message details:', '  RCPT TO: ken@example.org', '  Size (in bytes): 222', ''].join('\n'));
    const text = await bounceTextFor(index, raw);
    expect(text).not.toContain('Size');
  });

  it('reads a reason given before the recipients, not an IP address after them as a reply code', async () => {
    const raw = report(['Could not be delivered because of', '', '550 5.1.1 mailbox unavailable', '', 'The following recipients were affected:', '    ken@example.org', '', 'Additional Information', 'Sender-MTA:   <192.0.2.250>', '']);
    expect((await parseBounce(raw))?.recipients[0]?.diagnosticCode).toMatch(/550 5\.1\.1 mailbox unavailable$/);
  });

  it("takes an account refused in words that name the recipient as the recipient's mailbox, not the sender's account", () => {
    const r = (diagnosticCode: string) => ({ address: 'ken@example.org', action: 'failed', status: '', remoteMta: '', diagnosticCode });
    expect(bounceVerdict(index, r('mailbox locked: ken@example.org'), '', 'account-blocked')).toMatchObject({ category: 'recipient-unknown', entry: 'recipient-mailbox-disabled' });
    expect(bounceVerdict(index, r('550 The recipient account is suspended'), '', 'account-blocked')?.category).toBe('recipient-unknown');
    expect(bounceVerdict(index, r('550 Your account is suspended for sending spam'), '', 'account-blocked')).toBeNull();
  });

  it('reads the line above an address that stands alone as its reason (Lotus Notes), skipping a heading', async () => {
    const b = await parseBounce(report(['------- Failure Reasons --------', '', 'Mailbox not found in the organisation directory', 'ken@example.org', '', '']));
    expect(b?.recipients[0]?.diagnosticCode).toBe('Mailbox not found in the organisation directory');
  });

  it('reads "… limit exceeded" as the reason and not the link that follows it', async () => {
    const b = await parseBounce(report(['The following address failed:', '', 'ken@example.org', '', 'For the following reason:', '', 'Maximum mail size exceeded. Details at', 'http://help.example.net/error-codes?id=7', '']));
    expect(b?.recipients[0]?.diagnosticCode).toContain('Maximum mail size exceeded');
    expect(b?.recipients[0]?.diagnosticCode).not.toContain('http');
  });

  it("reads a reply's cause, not the remedies it lists after 'To address this issue:'", () => {
    const r = { address: 'ken@example.org', action: 'failed', status: '5.0.0', remoteMta: '', diagnosticCode: 'Your message to the list was refused as bulk mail. To address this issue: * ask the list owner * publish an SPF record' };
    expect(recipientText(r)).toBe('Your message to the list was refused as bulk mail.');
  });

  it('lets a status that names a cause decide over a category only the model gave (no phrase or code fired)', () => {
    const r = { address: 'ken@example.org', action: 'failed', status: '5.4.4', remoteMta: '', diagnosticCode: 'Sorry, no route to that host address (#5.4.4)' };
    expect(bounceVerdict(index, r, '', 'ip-reputation', true)?.category).toBe('recipient-domain-invalid');
    expect(bounceVerdict(index, r, '', 'ip-reputation')).toBeNull();
  });

  it("lets the knowledge's phrase decide a server's reply the model alone read otherwise, bounded by the stage", async () => {
    const b = await parseBounce(report(['<ken@example.org>: host mx.example.org[192.0.2.9] said: 550 Domain frequency limited, slow down (in reply to RCPT TO command)']));
    const r = diagnoseBounce(index, b!).recipients[0];
    expect(r?.category).toBe('rate-limited');
    if (r?.decidedBy) expect(['rules', 'status', 'reply', 'stage', 'bounce']).toContain(r.decidedBy);
  });

  const dsn = (text: string[], status: string[], extra: string[] = []) => {
    const boundary = 'B0UND';
    return message(
      'MAILER-DAEMON@mx.example.jp (Mail Delivery System)',
      'Delivery status notification: failed',
      [`--${boundary}`, 'Content-Type: text/plain', '', ...text, `--${boundary}`, 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.example.jp', '', ...status, ...extra, `--${boundary}--`, ''].join('\n'),
      `MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"\r\n`,
    );
  };

  it("reads a DSN's Status comment when nothing else says why, and a report's reason below the original's quoted header fields", async () => {
    const bare = await parseBounce(dsn(['Your message could not be delivered.'], ['Final-Recipient: rfc822; ken@example.org', 'Action: failed', 'Status: 5.1.10 (recipient domain accepts no mail)']));
    expect(bare?.recipients[0]?.diagnosticCode).toBe('recipient domain accepts no mail');
    const quoted = await parseBounce(
      dsn(['This report is about a message with these header fields:', '', '  To: ken@example.org', '  Subject: hello', '', 'It was not delivered:', '', '  Address: ken@example.org', '  Reason: the domain does not accept mail', ''], ['Final-Recipient: rfc822; ken@example.org', 'Action: failed', 'Status: 5.1.10']),
    );
    expect(quoted?.recipients[0]?.diagnosticCode).toContain('does not accept mail');
    expect(diagnoseBounce(index, quoted!).recipients[0]?.category).toBe('recipient-domain-invalid');
  });

  it("reads the report's words about a role address (postmaster@) that the DSN names as the recipient", async () => {
    const b = await parseBounce(dsn(['Delivery failed for these recipients:', '', 'postmaster@example.org: Domain does not exist', ''], ['Final-Recipient: rfc822; postmaster@example.org', 'Action: failed', 'Status: 5.0.0']));
    expect(b?.recipients[0]).toMatchObject({ address: 'postmaster@example.org', diagnosticCode: 'Domain does not exist' });
    expect(diagnoseBounce(index, b!).recipients[0]?.category).toBe('recipient-domain-invalid');
  });

  it("reads the server's reply in a report a gateway attaches to its own notice", async () => {
    const boundary = 'GW';
    const inner = ['From: relay@example.jp', 'To: aki@example.jp', 'Subject: ken@example.org', '', '----- These addresses had permanent fatal errors -----', '<ken@example.org>', '', '----- Transcript of session follows -----', '>>> RCPT To:<ken@example.org>', '<<< 550 5.2.2 <ken@example.org>... Mailbox full', ''];
    const raw = message(
      'postmaster@gw.example.jp',
      'Mail could not be delivered',
      [`--${boundary}`, 'Content-Type: text/plain', '', 'Notice from the mail gateway', 'Reason: could not deliver the message to <ken@example.org>.', '', `--${boundary}`, 'Content-Type: message/rfc822', '', ...inner, `--${boundary}--`, ''].join('\n'),
      `MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n`,
    );
    const b = await parseBounce(raw);
    expect(b?.recipients.map((r) => [r.address, r.status])).toEqual([['ken@example.org', '5.2.2']]);
    expect(diagnoseBounce(index, b!).recipients[0]?.category).toBe('mailbox-full');
  });

  it("takes a transcript's refusal of an earlier command as the cause, not the MTA's summary and later attempts", async () => {
    const b = await parseBounce(report(['----- Transcript of session follows -----', 'While talking to mx.example.org:', '>>> MAIL From:<aki@example.jp>', '<<< 550 Relaying denied for this client', '554 <ken@example.org>... Service unavailable', '421 mx.example.org... Deferred: Connection timed out', '']));
    expect(b?.recipients[0]?.diagnosticCode).toBe('<<< 550 Relaying denied for this client 554 <ken@example.org>... Service unavailable');
    // Refused at MAIL FROM, but in so many words a relay refusal: the stage leaves it relaying.
    expect(diagnoseBounce(index, b!).recipients[0]).toMatchObject({ command: 'MAIL', category: 'relay-denied' });
  });

  it('reads a delay notice whose server gave only a code as a deferral, through both paths', async () => {
    const raw = dsn(['Warning: message still undelivered after 4 hours', '', '<ken@example.org>... Deferred: 421', ''], ['Final-Recipient: rfc822; ken@example.org', 'Action: delayed', 'Status: 4.0.0', 'Diagnostic-Code: smtp; 421']);
    const b = await parseBounce(raw);
    expect(b?.kind).toBe('delay');
    expect(diagnoseBounce(index, b!).recipients[0]?.category).toBe('temporary-failure');
    const { classifyLine } = await import('../../src/cli/classify.js');
    expect((JSON.parse(await classifyLine(index, JSON.stringify({ text: raw }))) as { category: string }).category).toBe('temporary-failure');
  });

  it('lets a specific status decide against a catch-all wording, and leaves clear words alone', async () => {
    const full = await read(report(['<ken@example.org>: host mx.example.org[192.0.2.9] said: 550 5.2.2 <ken@example.org>: Recipient address rejected (in reply to RCPT TO command)']));
    expect(full.recipients[0]?.category).toBe('mailbox-full');
    expect(full.viaClassify.category).toBe('mailbox-full');
    const unknown = await read(report(['<ken@example.org>: host mx.example.org[192.0.2.9] said: 550 5.1.1 <ken@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)']));
    expect(unknown.recipients[0]).toMatchObject({ category: 'recipient-unknown', command: 'RCPT' });
    expect(unknown.recipients[0]?.decidedBy).toBeUndefined();
    expect(unknown.structural).toBeNull();
  });
});
