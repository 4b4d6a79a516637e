/**
 * A close followed by what had failed before the fix ("switched to 2525 and it sends now. 25 and 587 both timed out
 * before.") closes the conversation: the trouble told after the close is the past, not a new trouble. Trouble still
 * there after a close, or a new error pasted after it, does not close it.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const PASTE = '554 5.7.1 Relay access denied';

describe('a close, then what had failed before the fix', () => {
  it('closes the conversation (en, ja)', async () => {
    const closes = [
      'switched to port 2525 and it sends now. 25 and 587 both timed out before.',
      '465番にしたら送れるようになりました。587番ではずっとダメでした',
    ];
    const out = await converse(closes.flatMap((w, i) => dialogue(`before${i}`, PASTE, w)));
    closes.forEach((w, i) => expect(out[i * 2 + 1]?.kind, w).toBe('closing'));
  });

  it('is no close when a new error follows the close (en)', async () => {
    const out = await converse(dialogue('new-after', PASTE, 'that part works now. but now it fails with: certificate has expired'));
    expect(out[1]?.kind).not.toBe('closing');
  });
});
