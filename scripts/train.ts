/**
 * `npm run train`: every labelled case in the repository → knowledge/model/classifier.json.
 * Grouped cross-validation first (scripts/lib/crossval.ts) fits how rules and model are combined; then the model is
 * trained on all cases. Deterministic: the same data and code give the same file, byte for byte. The file records the
 * hash of its inputs, and a test fails when they changed and the model was not made again.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadKnowledge, DEFAULT_KNOWLEDGE_DIR, MODEL_FILE } from '../src/knowledge/load.js';
import { allCases } from './lib/cases.js';
import { crossValidate, figures, fitCombination, prepare, score } from './lib/crossval.js';
import { inputHash } from './lib/hash.js';
import { toModelFile, train, type Sample } from './lib/learn.js';

const kb = loadKnowledge();
const cases = allCases(kb);
const t0 = Date.now();
const prepared = prepare(kb, cases);
console.log(`${cases.length} labelled cases, ${new Set(cases.map((c) => c.family)).size} source families`);
const oof = crossValidate(kb, prepared, undefined, (s) => console.log(`  ${s}`));
const { combination, figures: cv } = fitCombination(oof);
const asBuilt = figures(score(oof, combination, 'asBuilt'));
console.log(`combination ${JSON.stringify(combination)}`);
console.log(
  `cross-validated (rules without the held-out families' phrases): top1=${cv.top1.toFixed(3)} respond_recall=${cv.recall.toFixed(3)} ` +
    `chat_respond=${cv.chatRespond.toFixed(3)} (channel chat ${cv.channelRespond.toFixed(3)}, real text about mail ${cv.nearMissRespond.toFixed(3)})`,
);
const model = train(prepared.samples.filter((s): s is Sample => s !== null));
const file = toModelFile(model, inputHash(cases), combination, {
  folds: 10,
  top1: round(cv.top1),
  respondRecall: round(cv.recall),
  chatRespond: round(cv.chatRespond),
  channelChatRespond: round(cv.channelRespond),
  nearMissChatRespond: round(cv.nearMissRespond),
  top1RulesAsBuilt: round(asBuilt.top1),
});
const out = join(DEFAULT_KNOWLEDGE_DIR, MODEL_FILE);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(file, null, 1)}\n`);
console.log(`wrote ${MODEL_FILE}: ${(Buffer.byteLength(file.rows, 'base64') / 1024).toFixed(0)} KB of weights, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
