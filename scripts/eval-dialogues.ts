/**
 * `npm run eval:dialogues [FILE...]`: runs written multi-turn dialogues (default test/fixtures/dialogues.jsonl,
 * dialogues-2.jsonl, dialogues-3.jsonl, dialogues-4.jsonl, dialogues-5.jsonl, dialogues-6.jsonl, dialogues-7.jsonl, dialogues-8.jsonl, dialogues-9.jsonl, dialogues-10.jsonl and dialogues-12.jsonl, each scored on its own: the later sets were written without tuning on them) through
 * the built `smtp-doctor converse --jsonl` — the contract conversations are judged by — and prints the right-kind
 * rate (overall, ja, en), provider/app/topic right where expected, probes nobody asked for, replies repeated within a
 * conversation, long first diagnoses, and the misses. Run `npm run build` after knowledge edits first.
 */
import { converse } from '../test/support/converse.js';
import { formatScore, loadDialogues, scoreDialogues } from './lib/dialogues.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = args.length > 0 ? args : ['test/fixtures/dialogues.jsonl', 'test/fixtures/dialogues-2.jsonl', 'test/fixtures/dialogues-3.jsonl', 'test/fixtures/dialogues-4.jsonl', 'test/fixtures/dialogues-5.jsonl', 'test/fixtures/dialogues-6.jsonl', 'test/fixtures/dialogues-7.jsonl', 'test/fixtures/dialogues-8.jsonl', 'test/fixtures/dialogues-9.jsonl', 'test/fixtures/dialogues-10.jsonl', 'test/fixtures/dialogues-12.jsonl'];
for (const file of files) {
  const turns = loadDialogues(file);
  // Conversation ids are kept per file: two files may reuse an id without sharing state, as converse runs per file.
  const out = await converse(
    turns.map(({ conversation, text, addressed, user }) => ({
      conversation,
      text,
      ...(addressed === undefined ? {} : { addressed }),
      ...(user === undefined ? {} : { user }),
    })),
  );
  console.log(`== ${file}`);
  console.log(formatScore(scoreDialogues(turns, out), !process.argv.includes('--no-misses')));
}
