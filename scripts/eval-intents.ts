/**
 * `npm run eval:intents`: the intent model's grouped cross-validation (scripts/lib/intent-learn.ts) — each wording read
 * by a model trained without its source family — by intent, by language, and the pairs most often confused.
 */
import { loadIntentWordings, loadKnowledge } from '../src/knowledge/load.js';
import { crossValidate, FOLDS, intentFigures } from './lib/intent-learn.js';

const kb = loadKnowledge();
const wordings = loadIntentWordings(kb);
const held = crossValidate(kb, wordings);
const f = intentFigures(held);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`intents: ${wordings.length} wordings, ${new Set(held.map((h) => h.w.source)).size} source groups, grouped ${FOLDS}-fold cross-validation`);
console.log(`accuracy ${pct(f.accuracy)}  (ja ${pct(f.byLang.ja?.accuracy ?? 0)} of ${f.byLang.ja?.n ?? 0}, en ${pct(f.byLang.en?.accuracy ?? 0)} of ${f.byLang.en?.n ?? 0})`);
const real = held.filter((h) => !h.w.source.startsWith('[written]'));
if (real.length > 0) console.log(`real wordings (pages, issues) ${pct(real.filter((h) => h.reading.intent === h.w.intent).length / real.length)} of ${real.length}; written ${pct(held.filter((h) => h.w.source.startsWith('[written]') && h.reading.intent === h.w.intent).length / Math.max(1, held.length - real.length))}`);
// Pairs only the conversation tells apart: "できた" is a step done in the checklist and "it works" after a fix;
// "ダメでした" a failed step or a failed fix; "了解です" thanks or channel talk.
const PAIRS: Record<string, string> = { solved: 'step-done', 'step-done': 'step-done', 'step-failed': 'still-failing', 'still-failing': 'still-failing', thanks: 'chitchat', chitchat: 'chitchat' };
const merged = held.filter((h) => (PAIRS[h.reading.intent] ?? h.reading.intent) === (PAIRS[h.w.intent] ?? h.w.intent)).length;
console.log(`with the pairs only the conversation tells apart merged (step-done/solved, step-failed/still-failing, thanks/chitchat): ${pct(merged / held.length)}`);
for (const asked of ['probe', 'check'] as const) {
  const wrong = held.filter((h) => h.reading.intent === asked && h.w.intent !== asked).length;
  console.log(`read as ${asked} but not asking for one (a live test nobody asked for): ${wrong} of ${held.filter((h) => h.w.intent !== asked).length}`);
}
console.log(`question topic right ${pct(f.topicAccuracy)} (topic phrases of the engine as built)`);
console.log('\nby intent:');
for (const [intent, v] of Object.entries(f.byIntent).sort((a, b) => a[1].accuracy - b[1].accuracy)) console.log(`  ${intent.padEnd(14)} ${pct(v.accuracy).padStart(6)}  of ${v.n}`);
console.log('\nmost confused (expected → read as):');
for (const c of f.confusions.slice(0, 12)) console.log(`  ${c.expected} → ${c.got}: ${c.n}`);
if (process.argv.includes('--misses')) {
  console.log('\nmisses:');
  for (const h of held) if (h.reading.intent !== h.w.intent || (h.w.topic && h.reading.topic !== h.w.topic)) console.log(`  [${h.w.intent}${h.w.topic ? `/${h.w.topic}` : ''} → ${h.reading.intent}${h.reading.topic ? `/${h.reading.topic}` : ''} ${h.reading.confidence}] ${h.w.text}`);
}
