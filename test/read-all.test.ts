import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readAll } from '../src/read-all.js';

describe('readAll', () => {
  it('keeps a multi-byte character that is split between two chunks', async () => {
    const bytes = Buffer.from('送信エラー 552 5.2.2 メールボックスがいっぱい', 'utf8');
    const input = new PassThrough();
    const done = readAll(input);
    input.write(bytes.subarray(0, 1));
    input.write(bytes.subarray(1, 7));
    input.end(bytes.subarray(7));
    const text = await done;
    expect(text).toBe('送信エラー 552 5.2.2 メールボックスがいっぱい');
    expect(text).not.toContain('\uFFFD');
  });
});
