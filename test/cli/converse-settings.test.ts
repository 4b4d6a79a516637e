/**
 * A setting told on its own after a diagnosis ("ポートは587にしてます") is a fact for the search, not small talk: it is
 * kept, and the answer goes on to the next cause instead of the bot's help text.
 */
import { describe, expect, it } from 'vitest';
import { converse, dialogue } from '../support/converse.js';

const OUTLOOK = 'Outlookで送信できません。エラーは 0x800CCC0F です';
const RELAY = '554 5.7.1 <bob@example.com>: Relay access denied';

describe('converse --jsonl: a setting told after a diagnosis', () => {
  it('moves on with what was told, in either language, and keeps it', async () => {
    const out = await converse([
      ...dialogue('s1', OUTLOOK, 'ポートは587にしてます'),
      ...dialogue('s2', OUTLOOK, '暗号化はSTARTTLSにしています'),
      ...dialogue('s3', RELAY, "I'm on port 465"),
      ...dialogue('s4', RELAY, 'encryption is set to STARTTLS'),
    ]);
    for (const i of [1, 3, 5, 7]) {
      const o = out[i];
      expect(o?.kind, `${i}: ${o?.text}`).toBe('followup');
      expect(o?.text).not.toBe(out[i - 1]?.text);
      expect(o?.probeTarget).toBeNull();
    }
    expect(out[1]?.lang).toBe('ja');
    expect(out[5]?.lang).toBe('en');
  });
});
