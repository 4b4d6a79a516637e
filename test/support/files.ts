/** Test files: the hand-made bounces and encoded texts in test/fixtures/files, and a long Postfix log. */
import { readFileSync } from 'node:fs';

export const FIXTURE_DIR = new URL('../fixtures/files/', import.meta.url);

export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURE_DIR));
}

/**
 * A 300-line Postfix log: a morning of deliveries, a transaction deferred again and again with a connect timeout
 * (the most repeated failure), and near the end the one bounce that matters — a full mailbox.
 */
export function postfixLog(): string {
  const lines: string[] = [];
  for (let i = 0; lines.length < 290; i++) {
    const t = `Dec  7 09:${String(Math.floor(i / 6) % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`;
    if (i % 5 === 0) {
      lines.push(`${t} mail postfix/smtp[2${i}]: 4C1D2E3F4A: to=<carol@example.org>, relay=none, delay=${i}, status=deferred (connect to mx.example.org[192.0.2.25]:25: Connection timed out)`);
    } else {
      const id = (0xa0000000 + i).toString(16).toUpperCase();
      lines.push(`${t} mail postfix/qmgr[1200]: ${id}: from=<alice@example.net>, size=${1000 + i}, nrcpt=1 (queue active)`);
      lines.push(`${t} mail postfix/smtp[2${i}]: ${id}: to=<user${i}@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=0.4, status=sent (250 2.0.0 Ok: queued as X${i})`);
    }
  }
  lines.push('Dec  7 10:59:01 mail postfix/qmgr[1200]: 9F8E7D6C5B: from=<alice@example.net>, size=20480, nrcpt=1 (queue active)');
  lines.push('Dec  7 10:59:02 mail postfix/smtp[3301]: 9F8E7D6C5B: to=<bob@example.jp>, relay=mx.example.jp[192.0.2.40]:25, delay=1.2, status=bounced (host mx.example.jp[192.0.2.40] said: 552 5.2.2 <bob@example.jp>: Mailbox full, quota exceeded (in reply to RCPT TO command))');
  lines.push('Dec  7 10:59:02 mail postfix/bounce[3302]: 9F8E7D6C5B: sender non-delivery notification: 1A2B3C4D5E');
  for (let i = 0; lines.length < 300; i++) lines.push(`Dec  7 11:00:0${i} mail postfix/anvil[900]: statistics: max connection rate 1/60s for (smtp:192.0.2.${i}) at Dec  7 10:5${i}:00`);
  return lines.join('\n');
}

/** A DSN for `count` recipients, each refused with a long reply: a mailing gone wrong. */
export function bigBounce(count: number): string {
  const groups = Array.from(
    { length: count },
    (_, i) =>
      `Final-Recipient: rfc822; user${i}@example${i % 7}.jp\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.example${i % 7}.jp\r\n` +
      `Diagnostic-Code: smtp; 550 5.1.1 <user${i}@example${i % 7}.jp>: Recipient address rejected: User unknown in virtual mailbox table ${'(see https://postmaster.example.jp/errors) '.repeat(6)}\r\n`,
  );
  return (
    'From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\r\nTo: news@example.net\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n' +
    'Content-Type: multipart/report; report-type=delivery-status; boundary="BB"\r\n\r\n--BB\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mail.example.net.\r\n' +
    `\r\n--BB\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.net\r\n\r\n${groups.join('\r\n')}\r\n--BB--\r\n`
  );
}

/**
 * A nodemailer debug log of 45 sends: most go through, many earlier attempts are refused (ECONNREFUSED, the most
 * repeated failure), and the last connection fails its login.
 */
export function nodemailerLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const id = `c${String(i).padStart(5, '0')}`;
    if (i % 3 === 0) {
      lines.push(`[2026-12-07 09:${String(i).padStart(2, '0')}:00] ERROR [${id}] connect ECONNREFUSED 192.0.2.5:587`);
    } else {
      lines.push(`[2026-12-07 09:${String(i).padStart(2, '0')}:00] INFO  [${id}] Connection established to 192.0.2.5:587`);
      lines.push(`[2026-12-07 09:${String(i).padStart(2, '0')}:01] DEBUG [${id}] S: 235 2.7.0 Authentication successful`);
      lines.push(`[2026-12-07 09:${String(i).padStart(2, '0')}:02] INFO  [${id}] Message sent: <m${i}@example.jp>`);
    }
  }
  lines.push('[2026-12-07 10:00:00] INFO  [zZ9yX8] Connection established to 192.0.2.5:587');
  lines.push('[2026-12-07 10:00:01] DEBUG [zZ9yX8] C: AUTH PLAIN AHRhcm9AZXhhbXBsZS5qcABodW50ZXIy');
  lines.push('[2026-12-07 10:00:01] DEBUG [zZ9yX8] S: 535 5.7.8 Error: authentication failed: authentication failure');
  lines.push('[2026-12-07 10:00:01] ERROR [zZ9yX8] Invalid login: 535 5.7.8 Error: authentication failed: authentication failure');
  lines.push('[2026-12-07 10:00:02] INFO  [zZ9yX8] Connection closed');
  return lines.join('\n');
}
