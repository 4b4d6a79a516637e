/** `smtp-doctor diagnose --file PATH [--json]`: the contract, bounces, encodings and bad files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { postfixLog } from '../support/files.js';

const FILES = 'test/fixtures/files/';

interface BounceJson {
  category: string;
  entry: string | null;
  confidence: number;
  bounce?: {
    kind: string;
    subject: string | null;
    recipients: { address: string; action: string; status: string; remoteMta: string; diagnosticCode: string; category: string; entry: string | null }[];
  };
}

describe('smtp-doctor diagnose --file', () => {
  it('--json: today’s diagnosis plus the bounce, per recipient', async () => {
    const { code, stdout } = await runCli(['diagnose', '--json', '--file', `${FILES}bounce-iso2022jp.eml`]);
    expect(code).toBe(0);
    const j = JSON.parse(stdout) as BounceJson;
    expect(j.category).not.toBe('unknown');
    expect(typeof j.confidence).toBe('number');
    expect(j.bounce?.kind).toBe('failure');
    expect(j.bounce?.subject).toBe('見積書の送付について');
    expect(j.bounce?.recipients[0]).toEqual({
      address: 'taro@example.jp',
      action: 'failed',
      status: '5.1.1',
      remoteMta: 'mx1.example.jp',
      diagnosticCode: '550 5.1.1 <taro@example.jp>: Recipient address rejected: User unknown in virtual mailbox table',
      category: 'recipient-unknown',
      entry: 'recipient-user-unknown',
    });
    expect(j.bounce?.recipients[1]).toMatchObject({ address: 'hanako@example.co.jp', category: 'mailbox-full' });
  });

  it('tells delay notices, auto-replies and feedback reports apart', async () => {
    for (const [file, kind] of [['bounce-delay.eml', 'delay'], ['auto-reply.eml', 'auto-reply'], ['arf.eml', 'feedback']] as const) {
      const j = JSON.parse((await runCli(['diagnose', '--json', '--file', `${FILES}${file}`])).stdout) as BounceJson;
      expect(j.bounce?.kind, file).toBe(kind);
    }
  });

  it('prints the summary in both languages', async () => {
    const ja = await runCli(['diagnose', '--lang', 'ja', '--file', `${FILES}bounce-iso2022jp.eml`]);
    expect(ja.stdout).toContain('3 件中 2 件が届きませんでした');
    expect(ja.stdout).toContain('元のメール: 「見積書の送付について」（Mon, 7 Dec 2026 10:15:00 +0900）');
    const en = await runCli(['diagnose', '--lang', 'en', '--file', `${FILES}bounce-iso2022jp.eml`]);
    expect(en.stdout).toContain('2 of 3 recipients failed');
    expect(en.stdout).toContain('## taro@example.jp');
  });

  it('reads a Shift_JIS text file and a long log (by its last failure)', async () => {
    const sjis = JSON.parse((await runCli(['diagnose', '--json', '--file', `${FILES}error-sjis.txt`])).stdout) as BounceJson;
    expect(sjis.category).toBe('auth-failed');
    expect(sjis.bounce).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'sd-file-'));
    writeFileSync(join(dir, 'maillog'), postfixLog());
    const log = JSON.parse((await runCli(['diagnose', '--json', '--file', join(dir, 'maillog')])).stdout) as BounceJson;
    expect(log.category).toBe('mailbox-full');
  });

  it('refuses a binary file and an oversized one in both languages, and a missing file, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-file-'));
    writeFileSync(join(dir, 'a.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    const bin = await runCli(['diagnose', '--file', join(dir, 'a.txt')]);
    expect(bin.code).toBe(1);
    expect(bin.stderr).toContain('このファイルは読めません');
    expect(bin.stderr).toContain("I can't read this file");
    writeFileSync(join(dir, 'big.log'), Buffer.alloc(3 * 1024 * 1024, 0x41));
    const big = await runCli(['diagnose', '--file', join(dir, 'big.log')]);
    expect(big.code).toBe(1);
    expect(big.stderr).toContain('ファイルが大きすぎて読めません（上限 2 MB）');
    expect(big.stderr).toContain('The file is too large to read (limit 2 MB)');
    const missing = await runCli(['diagnose', '--file', join(dir, 'nope.eml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^smtp-doctor: cannot read .*nope\.eml \(no such file\)/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
