/**
 * The written multi-turn dialogues (test/fixtures/dialogues.jsonl, and dialogues-2/-3/-4.jsonl, each written blind)
 * through `converse --jsonl`, as `npm run eval:dialogues` scores them: never a live test nobody asked for, never a
 * reply given twice in one conversation. The right-kind rate is a measurement (the script prints it), not asserted here.
 */
import { describe, expect, it } from 'vitest';
import { formatScore, loadDialogues, scoreDialogues } from '../../scripts/lib/dialogues.js';
import { converse } from '../support/converse.js';
import { ROOT } from '../support/cli.js';

describe('written dialogues', () => {
  for (const [file, least] of [
    ['dialogues.jsonl', 100],
    ['dialogues-2.jsonl', 80],
    ['dialogues-3.jsonl', 100],
    ['dialogues-4.jsonl', 100],
    ['dialogues-5.jsonl', 100],
  ] as const) {
    it(`start no test nobody asked for and repeat no reply (${file})`, async () => {
      const turns = loadDialogues(`${ROOT}test/fixtures/${file}`);
      const out = await converse(turns.map(({ conversation, text, addressed }) => ({ conversation, text, ...(addressed === undefined ? {} : { addressed }) })));
      const score = scoreDialogues(turns, out);
      const report = formatScore(score);
      expect(score.turns).toBeGreaterThan(least);
      expect(score.unaskedProbes, report).toEqual([]);
      expect(score.repeated, report).toEqual([]);
    });
  }
});
