/**
 * The written multi-turn dialogues (test/fixtures/dialogues.jsonl) through `converse --jsonl`, as
 * `npm run eval:dialogues` scores them: never a live test nobody asked for, never a reply given twice in one
 * conversation. The right-kind rate is a measurement (the script prints it), not asserted here.
 */
import { describe, expect, it } from 'vitest';
import { formatScore, loadDialogues, scoreDialogues } from '../../scripts/lib/dialogues.js';
import { converse } from '../support/converse.js';
import { ROOT } from '../support/cli.js';

describe('written dialogues', () => {
  it('start no test nobody asked for and repeat no reply', async () => {
    const turns = loadDialogues(`${ROOT}test/fixtures/dialogues.jsonl`);
    const out = await converse(turns.map(({ conversation, text }) => ({ conversation, text })));
    const score = scoreDialogues(turns, out);
    const report = formatScore(score);
    expect(score.turns).toBeGreaterThan(100);
    expect(score.unaskedProbes, report).toEqual([]);
    expect(score.repeated, report).toEqual([]);
  });
});
