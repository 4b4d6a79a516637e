/** The options reader `probe` and `check` share: what it gives back, and the message key of each kind of bad usage. */
import { describe, expect, it } from 'vitest';
import { dnsFlag, FlagError, langFlag, readFlags } from '../../src/cli/flags.js';

const KINDS = { json: 'boolean', port: 'string', user: 'string' } as const;

function failure(fn: () => unknown): { key: string; vars: Record<string, string> } {
  try {
    fn();
  } catch (err) {
    if (err instanceof FlagError) return { key: err.key, vars: err.vars };
    throw err;
  }
  throw new Error('expected a FlagError');
}

describe('readFlags', () => {
  it('gives the options in the order typed, in both spellings, with the positionals apart', () => {
    const read = readFlags(['mx.example', '--port', '25', '--json', '--port=587', '--user=a=b'], KINDS);
    expect(read.options).toEqual([
      { name: 'port', value: '25' },
      { name: 'json', value: undefined },
      { name: 'port', value: '587' },
      { name: 'user', value: 'a=b' },
    ]);
    expect(read.positionals).toEqual(['mx.example']);
    expect(read.help).toBe(false);
  });

  it('after -- everything is a positional, and a lone - is one too', () => {
    expect(readFlags(['--', '--json'], KINDS).positionals).toEqual(['--json']);
    expect(readFlags(['-'], KINDS).positionals).toEqual(['-']);
  });

  it('--help and -h stop reading', () => {
    expect(readFlags(['-h', '--bogus'], KINDS).help).toBe(true);
    expect(readFlags(['x', '--help'], KINDS).help).toBe(true);
  });

  it.each([
    [['--bogus', 'x'], 'probe.cli.unknown-flag', '--bogus'],
    [['x', '-q'], 'probe.cli.unknown-flag', '-q'],
    [['x', '--port'], 'probe.cli.needs-value', '--port'],
    [['x', '--port', '--json'], 'probe.cli.needs-value', '--port'],
    [['x', '--user', '--port', '25'], 'probe.cli.needs-value', '--user'],
  ])('%j is refused with %s naming %s', (argv, key, flag) => {
    expect(failure(() => readFlags(argv, KINDS))).toEqual({ key, vars: { flag } });
  });

  it('a value may start with one dash, or with two when given after =', () => {
    expect(readFlags(['--user', '-x'], KINDS).options).toEqual([{ name: 'user', value: '-x' }]);
    expect(readFlags(['--user=--x'], KINDS).options).toEqual([{ name: 'user', value: '--x' }]);
  });

  it('the first problem in argv wins, and refuse() sees every option as typed before it is judged', () => {
    const refuse = (name: string) => (name === '-p' || name === '--password' ? new FlagError('refused', { name }) : undefined);
    expect(failure(() => readFlags(['x', '-p', 'secret', '--bogus'], KINDS, { refuse }))).toEqual({ key: 'refused', vars: { name: '-p' } });
    expect(failure(() => readFlags(['x', '--password=secret'], KINDS, { refuse }))).toEqual({ key: 'refused', vars: { name: '--password' } });
    expect(failure(() => readFlags(['x', '--bogus', '-p', 'secret'], KINDS, { refuse })).key).toBe('probe.cli.unknown-flag');
  });
});

describe('langFlag', () => {
  it.each([
    [['x', '--lang', 'ja'], 'ja'],
    [['--lang=en', 'x'], 'en'],
    [['x'], 'en'],
    [['x', '--lang', 'fr'], null],
    [['x', '--lang'], 'en'],
  ])('%j gives %s', (argv, lang) => {
    expect(langFlag(argv, 'en')).toBe(lang);
  });
});

describe('dnsFlag', () => {
  it('takes an IP with an optional port, as probe and check both need it', () => {
    expect(dnsFlag('127.0.0.1:5353')).toBe('127.0.0.1:5353');
    expect(dnsFlag('[::1]:53')).toMatch(/::1/);
  });

  it('refuses a host name or garbage with the bad-dns message naming the value', () => {
    for (const bad of ['dns.example.com', '1.2.3.4:99999', 'x']) {
      let err: unknown;
      try {
        dnsFlag(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(FlagError);
      expect((err as FlagError).key).toBe('probe.cli.bad-dns');
      expect((err as FlagError).vars.value).toBe(bad);
    }
  });
});
