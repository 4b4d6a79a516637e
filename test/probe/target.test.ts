import { describe, expect, it } from 'vitest';
import { displayTarget, parseTarget } from '../../src/probe/target.js';

describe('parseTarget accepts what users type', () => {
  it.each([
    ['smtp.example.jp', { kind: 'name', host: 'smtp.example.jp' }],
    ['  Example.JP.  ', { kind: 'name', host: 'example.jp' }],
    ['taro@example.jp', { kind: 'address', host: 'example.jp', input: 'example.jp' }],
    ['mailto:taro@example.jp', { kind: 'address', host: 'example.jp' }],
    ['smtp.example.jp:587', { kind: 'name', host: 'smtp.example.jp', port: 587 }],
    ['smtp://smtp.example.jp:2525/', { kind: 'name', host: 'smtp.example.jp', port: 2525 }],
    ['smtp://smtp.example.jp', { kind: 'name', host: 'smtp.example.jp' }],
    ['smtps://smtp.example.jp', { kind: 'name', host: 'smtp.example.jp', port: 465 }],
    ['submission://smtp.example.jp', { kind: 'name', host: 'smtp.example.jp', port: 587 }],
    ['203.0.113.9', { kind: 'ip', host: '203.0.113.9' }],
    ['203.0.113.9:25', { kind: 'ip', host: '203.0.113.9', port: 25 }],
    ['[2001:DB8::1]:587', { kind: 'ip', host: '2001:db8::1', port: 587 }],
    ['2001:db8:0:0::25', { kind: 'ip', host: '2001:db8::25' }],
    ['fe80::1', { kind: 'ip', host: 'fe80::1' }],
    ['ｓｍｔｐ．example.jp', { kind: 'name', host: 'smtp.example.jp' }],
  ])('%s', (input, expected) => {
    const r = parseTarget(input);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.target).toMatchObject(expected);
  });

  it('turns an IDN into punycode and keeps the Unicode form for display', () => {
    const r = parseTarget('メール.日本語.jp');
    expect(r).toMatchObject({ ok: true, target: { host: 'xn--4dkua4c.xn--wgv71a119e.jp', unicode: 'メール.日本語.jp' } });
    const addr = parseTarget('太郎@例え.テスト');
    expect(addr).toMatchObject({ ok: true, target: { kind: 'address', host: 'xn--r8jz45g.xn--zckzah' } });
  });

  it('keeps only the domain of an address (the local part is personal data)', () => {
    const r = parseTarget('hanako.yamada@example.jp');
    expect(JSON.stringify(r)).not.toContain('hanako');
  });
});

describe('parseTarget refuses', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['.', 'empty'],
    [`${'a'.repeat(64)}.example.jp`, 'invalid'],
    [`${'abcdefghi.'.repeat(26)}jp`, 'too-long'],
    ['x'.repeat(400), 'too-long'],
    ['hello world', 'invalid'],
    ['!!!', 'invalid'],
    ['exa_mple.jp', 'invalid'],
    ['-bad.example.jp', 'invalid'],
    ['localhost', 'single-label'],
    ['mail', 'single-label'],
    ['http://example.jp', 'unsupported-scheme'],
    ['ftp://example.jp:25', 'unsupported-scheme'],
    ['smtp://user:secret@example.jp', 'credentials-in-target'],
    ['example.jp:0', 'invalid-port'],
    ['example.jp:70000', 'invalid-port'],
    ['example.jp:abc', 'invalid-port'],
    ['[::1]:x', 'invalid-port'],
    ['taro@', 'invalid'],
    ['@example.jp', 'invalid'],
    ['taro@example.jp:25', 'invalid'],
    ['[not-v6]', 'invalid'],
    ['fe80::1%eth0', 'invalid'],
  ])('%j → %s', (input, reason) => {
    expect(parseTarget(input)).toEqual({ ok: false, reason });
  });

  it.each(['2130706433', '0x7f.1', '0x7f000001', '017700000001', '0177.0.0.1', '127.1', '127.0.1', '10.0.0.010', '0x0a.0x00.0x00.0x01', '１２７.１', '０ｘ７ｆ.１', '1.2.3.4.5', 'example.123', 'taro@2130706433'])(
    'numeric trick %s',
    (input) => {
      expect(parseTarget(input)).toEqual({ ok: false, reason: 'numeric-trick' });
    },
  );
});

describe('displayTarget shows a target without user info', () => {
  it.each([
    ['smtp://me:CmdSecret1@smtp.example.com:587', 'smtp://smtp.example.com:587'],
    ['smtp://me:Secr3t@2024@smtp.example.com', 'smtp://smtp.example.com'],
    ['submissions://ses:AbC/dEf@gh@email-smtp.example.com', 'submissions://email-smtp.example.com'],
    ['me:hunter2@smtp.example.com', 'smtp.example.com'],
    ['smtp://me@smtp.example.com', 'smtp://smtp.example.com'],
    ['taro@example.jp', 'taro@example.jp'],
    ['smtp.example.com:587', 'smtp.example.com:587'],
  ])('%s → %s', (input, shown) => {
    expect(displayTarget(input)).toBe(shown);
  });

  it('cuts what is too long and drops control characters', () => {
    expect(displayTarget(`a\u0007${'b'.repeat(300)}`)).toHaveLength(101);
    expect(displayTarget('x\u0000y.example')).toBe('xy.example');
  });
});
