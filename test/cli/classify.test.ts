import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('smtp-doctor classify --jsonl', () => {
  it('answers exactly one line per input line, in order, and goes on after bad lines', async () => {
    const lines = [
      JSON.stringify({ text: '554 5.7.1 <a@example.jp>: Relay access denied' }),
      'this is not json',
      JSON.stringify({ notText: 1 }),
      '',
      JSON.stringify({ text: 'メール送っておきました' }),
      JSON.stringify({ text: '\u0000\u0007binary\uFFFD\uD800' }),
      JSON.stringify({ text: 'Error: Invalid login: 535 5.7.8 Username and Password not accepted' }),
    ];
    const { code, stdout } = await runCli(['classify', '--jsonl'], `${lines.join('\n')}\n`);
    expect(code).toBe(0);
    const out = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(lines.length);
    expect(out[0]).toEqual({ category: 'relay-denied', confidence: expect.any(Number), respond: true, entry: expect.any(String) });
    expect(out[1]).toHaveProperty('error');
    expect(out[2]).toHaveProperty('error');
    expect(out[3]).toHaveProperty('error');
    expect(out[4]).toMatchObject({ category: 'unknown', respond: false, entry: null });
    expect(out[5]).toMatchObject({ respond: false });
    expect(out[6]).toMatchObject({ category: 'auth-failed', respond: true });
  });

  it('takes a 1 MB line and cuts a longer text to both its ends with a note, without crashing', async () => {
    const big = `${'Nov 28 app: ok\n'.repeat(70_000)}550 5.1.1 <x@example.org>: Recipient address rejected: User unknown`;
    const huge = 'y'.repeat(1_200_000);
    const input = `${JSON.stringify({ text: big })}\n${JSON.stringify({ text: huge })}\n`;
    const { code, stdout, stderr } = await runCli(['classify', '--jsonl'], input);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [first, second] = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(big.length).toBeGreaterThan(1_000_000);
    // The error at the very end of an over-long log survives the cut.
    expect(first).toMatchObject({ category: 'recipient-unknown', note: expect.stringContaining('cut') });
    expect(second).toMatchObject({ category: 'unknown', note: expect.stringContaining('cut') });
  });

  it('stays linear on pathological 1 MB pastes (runs of one character, of address or number shapes)', async () => {
    const shapes = ['x', 'a@', '1.1.', '"a', '<a', 'a.b', '😀', 'ー', 'AUTH PLAIN ', 'password=', '334 \n'];
    const input = shapes.map((s) => JSON.stringify({ text: s.repeat(Math.floor(1_000_000 / s.length)) })).join('\n');
    const started = Date.now();
    const { code, stdout } = await runCli(['classify', '--jsonl'], `${input}\n`, {}, 30_000);
    expect(code, `exit ${code} after ${Date.now() - started} ms`).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(shapes.length);
  });

  it('refuses other forms with a usage message, not a stack trace', async () => {
    const { code, stderr } = await runCli(['classify']);
    expect(code).toBe(2);
    expect(stderr).toContain('--jsonl');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('classify --jsonl line reading', () => {
  it('splits on LF only: a lone CR inside a line stays in it, CRLF ends a line, a leading BOM is dropped', async () => {
    const input = [
      '\uFEFF{"text": "550 5.1.1 User unknown"}',
      // CR is JSON whitespace between tokens; readline used to cut the line there and answer twice.
      '{"text":\r"554 5.7.1 Relay access denied",\r"id": 2}',
      '{"text": "535 5.7.8 Authentication failed"}\r',
      '\uFEFF{"text": "421 4.7.0 Try again later"}',
    ].join('\n');
    const { stdout, code } = await runCli(['classify', '--jsonl'], `${input}\n`);
    expect(code).toBe(0);
    const out = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(4);
    for (const o of out) expect(o.error, JSON.stringify(o)).toBeUndefined();
    expect(out[1]?.category).toBe('relay-denied');
  });

  it('decodes a character split between input chunks', async () => {
    const { PassThrough } = await import('node:stream');
    const { classifyCommand } = await import('../../src/cli/classify.js');
    const { realIndex } = await import('../support/kb.js');
    const bytes = Buffer.from('{"text": "宛先のメールアドレスが存在しません 550 5.1.1"}\n', 'utf8');
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.setEncoding('utf8').on('data', (d: string) => (out += d));
    const done = classifyCommand(realIndex(), input, output);
    // Split inside the three bytes of 宛.
    input.write(bytes.subarray(0, 11));
    input.end(bytes.subarray(11));
    await done;
    expect(JSON.parse(out.trim())).toMatchObject({ respond: true });
  });
});
