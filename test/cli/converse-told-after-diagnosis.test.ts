/**
 * Right after a diagnosis, words that tell more of the same trouble (where it happens, what is not installed, what is
 * set) go on with the search — not a new diagnosis from the model's guess at those plain words — the next cause, as "still failing" does — instead of the bot's introduction; sure
 * chat stays chat, and no reply is given twice.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const PASTE = {
  timeout: 'Error: connect ETIMEDOUT 192.0.2.44:587',
  relay: '554 5.7.1 <carol@example.org>: Relay access denied',
};

describe('told after a diagnosis', () => {
  const told = {
    ja: ['自宅の回線からでも変わりません', 'ファイアウォールは特に入れてないです', '社内のプロキシ経由です', '社内LANから送ってます', 'うちの事務所のネット回線です'],
    en: ['it does the same on my home connection', "there's no firewall software on this box", 'this is from the office network', 'sending from the hotel wifi btw'],
  };

  it('goes on with the next cause (ja, en)', async () => {
    const all = [...told.ja, ...told.en];
    const out = await converse(all.flatMap((w, i) => dialogue(`told${i}`, i % 2 === 0 ? PASTE.timeout : PASTE.relay, w)));
    all.forEach((w, i) => {
      const first = out[i * 2];
      const next = out[i * 2 + 1];
      expect(first?.kind, w).toBe('diagnosis');
      expect(next?.kind, `${w}\n${next?.text}`).toBe('followup');
      expect(next?.text).not.toBe(first?.text);
      expect(next?.probeTarget).toBeNull();
    });
  });

  it('sure chat and thanks are not taken for it (ja, en)', async () => {
    const out = await converse([
      ...dialogue('hi-ja', PASTE.relay, 'こんにちは'),
      ...dialogue('hi-en', PASTE.relay, 'hello'),
      ...dialogue('ty-ja', PASTE.relay, 'ありがとうございます、やってみます'),
    ]);
    expect(out[1]?.kind).not.toBe('followup');
    expect(out[3]?.kind).not.toBe('followup');
    expect(out[5]?.kind).toBe('closing');
  });
});
