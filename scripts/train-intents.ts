/**
 * `npm run train:intents`: knowledge/intents/ and the topics' phrases → knowledge/model/intents.json.
 * Grouped cross-validation first (its figures are recorded in the file), then the model is trained on every wording.
 * Deterministic: the same data and code give the same file, byte for byte. The file records the hash of its inputs,
 * and test/engine/intent.test.ts fails when they changed and the model was not made again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildIndex } from '../src/engine/index.js';
import { DEFAULT_KNOWLEDGE_DIR, INTENT_MODEL_FILE, loadIntentWordings, loadKnowledge } from '../src/knowledge/load.js';
import { crossValidate, FOLDS, intentDataHash, intentFigures, labelled, trainModel } from './lib/intent-learn.js';

const t0 = Date.now();
const kb = loadKnowledge();
const wordings = loadIntentWordings(kb);
const held = crossValidate(kb, wordings);
const cv = intentFigures(held);
const real = held.filter((h) => !h.w.source.startsWith('[written]'));
console.log(`${wordings.length} wordings; grouped ${FOLDS}-fold cross-validation: intent accuracy ${cv.accuracy.toFixed(3)}, question topic ${cv.topicAccuracy.toFixed(3)}`);
const model = trainModel(kb, buildIndex(kb), labelled(kb, wordings), intentDataHash(kb, wordings), {
  folds: FOLDS,
  wordings: wordings.length,
  accuracy: round(cv.accuracy),
  accuracyJa: round(cv.byLang.ja?.accuracy ?? 0),
  accuracyEn: round(cv.byLang.en?.accuracy ?? 0),
  topicAccuracy: round(cv.topicAccuracy),
  realWordings: real.length,
  accuracyReal: round(real.filter((h) => h.reading.intent === h.w.intent).length / Math.max(1, real.length)),
  probeNotAsked: round(held.filter((h) => h.reading.intent === 'probe' && h.w.intent !== 'probe').length / held.length),
});
const out = join(DEFAULT_KNOWLEDGE_DIR, INTENT_MODEL_FILE);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(model, null, 1)}\n`);
console.log(`wrote ${INTENT_MODEL_FILE} (${(Buffer.byteLength(model.intents.rows, 'base64') / 1024).toFixed(0)} + ${(Buffer.byteLength(model.topics.rows, 'base64') / 1024).toFixed(0)} KB of weights) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
