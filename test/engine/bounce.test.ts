/** Bounces read as bounces: DSN fields per recipient, reports without a DSN, delay notices, auto-replies and feedback reports. */
import { describe, expect, it } from 'vitest';
import { bounceTextFor, decisiveText, diagnoseBounce, parseBounce } from '../../src/engine/bounce.js';
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
