/** Files as text: character sets detected, binary and oversized files refused, long logs reduced to their last failure. */
import { describe, expect, it } from 'vitest';
import { reduceLog } from '../../src/files/log.js';
import { MAX_FILE_BYTES, readTextFile } from '../../src/files/text-file.js';
import { fixture, postfixLog } from '../support/files.js';

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

  it('leaves a short paste alone', () => {
    expect(reduceLog('550 5.1.1 User unknown')).toBeNull();
  });
});
