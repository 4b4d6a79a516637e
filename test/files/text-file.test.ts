/** Files as text: character sets detected, binary and oversized files refused, long logs reduced to their last failure. */
import { describe, expect, it } from 'vitest';
import { reduceLog } from '../../src/files/log.js';
import { MAX_FILE_BYTES, readTextFile } from '../../src/files/text-file.js';
import { fixture, nodemailerLog, postfixLog } from '../support/files.js';

// The same short errors in Shift_JIS, EUC-JP and ISO-2022-JP (encoded with Python's codecs).
const ENCODED: Record<string, Record<string, string>> = {
  '宛先不明': { 'shift_jis': '88b690e6957396be', 'euc-jp': 'b0b8c0e8c9d4ccc0', 'iso-2022-jp': '1b24423038406849544c401b2842' },
  '認証に失敗': { 'shift_jis': '94468fd882c98eb89473', 'euc-jp': 'c7a7bedaa4cbbcbac7d4', 'iso-2022-jp': '1b244247273e5a244b3c3a47541b2842' },
  '送信できません': { 'shift_jis': '9197904d82c582ab82dc82b982f1', 'euc-jp': 'c1f7bfaea4c7a4ada4dea4bba4f3', 'iso-2022-jp': '1b244241773f2e2447242d245e243b24731b2842' },
  'メールボックスがいっぱいです 552 5.2.2': { 'shift_jis': '8381815b838b837b8362834e835882aa82a282c182cf82a282c582b72035353220352e322e32', 'euc-jp': 'a5e1a1bca5eba5dca5c3a5afa5b9a4aca4a4a4c3a4d1a4a4a4c7a4b92035353220352e322e32', 'iso-2022-jp': '1b24422561213c256b255c2543252f2539242c2424244324512424244724391b28422035353220352e322e32' },
};

describe('readTextFile', () => {
  it('detects and decodes Shift_JIS, EUC-JP, ISO-2022-JP and UTF-8', () => {
    const sjis = readTextFile({ name: 'error.txt' }, fixture('error-sjis.txt'));
    expect(sjis).toMatchObject({ ok: true, encoding: 'shift_jis' });
    expect(sjis.ok && sjis.text).toContain('認証に失敗しました');
    const euc = readTextFile({ name: 'error.txt' }, fixture('error-eucjp.txt'));
    expect(euc.ok && euc.text).toContain('リレーが拒否されました');
    // に and again んだった, in ISO-2022-JP
    const jis = readTextFile({ name: 'a.txt' }, Buffer.from('1b2442244b1b284220616e6420616761696e201b2442247324402443243f1b2842', 'hex'));
    expect(jis.ok && jis.text).toBe('に and again んだった');
    expect(readTextFile({ name: 'a.log' }, Buffer.from('送信できません', 'utf8'))).toMatchObject({ ok: true, text: '送信できません' });
  });

  it('reads short Japanese errors right in every Japanese encoding (where a detector alone guesses wrong)', () => {
    for (const text of ['宛先不明', '認証に失敗', '送信できません', 'メールボックスがいっぱいです 552 5.2.2']) {
      for (const [encoding, hex] of Object.entries(ENCODED[text] ?? {})) {
        const file = readTextFile({ name: 'e.txt' }, Buffer.from(hex, 'hex'));
        expect(file.ok && file.text, `${text} in ${encoding}`).toBe(text);
      }
    }
  });

  it('still reads a Western code page as such', () => {
    const fr = readTextFile({ name: 'e.txt' }, Buffer.from('c963686563206465206c612072656d697365206475206d657373616765', 'hex'));
    expect(fr.ok && fr.text).toBe('Échec de la remise du message');
  });

  it('refuses binary content, files that are not text, empty and oversized files', () => {
    expect(readTextFile({ name: 'shot.png' }, Buffer.from('x'))).toEqual({ ok: false, problem: 'not-text' });
    expect(readTextFile({ name: 'log.txt' }, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toEqual({ ok: false, problem: 'not-text' });
    expect(readTextFile({ name: 'log.txt' }, Buffer.from('  \n'))).toEqual({ ok: false, problem: 'empty' });
    expect(readTextFile({ name: 'log.txt' }, Buffer.alloc(MAX_FILE_BYTES + 1, 0x41))).toEqual({ ok: false, problem: 'too-large' });
  });
});

describe('reduceLog', () => {
  it('answers a 300-line log with its last failing transaction, not its most repeated line', () => {
    const reduced = reduceLog(postfixLog());
    expect(reduced).toContain('Mailbox full');
    expect(reduced).not.toContain('Connection timed out');
  });

  it("reads a nodemailer log by its last connection's failure", () => {
    const reduced = reduceLog(nodemailerLog());
    expect(reduced).toContain('535 5.7.8');
    expect(reduced).not.toContain('ECONNREFUSED');
  });

  it('leaves a short paste alone', () => {
    expect(reduceLog('550 5.1.1 User unknown')).toBeNull();
  });
});
