/**
 * `npm run eval:dialogues [FILE]`: runs written multi-turn dialogues (default test/fixtures/dialogues.jsonl) through
 * the built `smtp-doctor converse --jsonl` — the contract conversations are judged by — and prints the right-kind
 * rate (overall, ja, en), provider/app/topic right where expected, probes nobody asked for, replies repeated within a
 * conversation, long first diagnoses, and the misses. Run `npm run build` after knowledge edits first.
 */
import { converse } from '../test/support/converse.js';
import { formatScore, loadDialogues, scoreDialogues } from './lib/dialogues.js';

const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'test/fixtures/dialogues.jsonl';
const turns = loadDialogues(file);
const out = await converse(turns.map(({ conversation, text }) => ({ conversation, text })));
console.log(formatScore(scoreDialogues(turns, out), !process.argv.includes('--no-misses')));
