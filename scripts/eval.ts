/**
 * `npm run eval`: how the engine does on messages it has not seen.
 *
 * 1. Grouped 10-fold cross-validation over every labelled case in the repository (knowledge examples, test/fixtures,
 *    the dev corpus), grouped by source family; per fold the model is trained without the held-out families and the
 *    rules lose the phrases only those families set off. This is the headline figure.
 * 2. Blind sets (test/fixtures/holdout-8*, holdout-9*, holdout-10*, holdout-11*, holdout-12*, holdout-13*.jsonl): gathered apart and never trained on, scored with the shipped model.
 * Figures: top-1, respond recall, respond rate on chat; per category, per language, and for the Japanese subset.
 */
import { diagnose } from '../src/engine/diagnose.js';
import { buildIndex } from '../src/engine/index.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { allCases, corpusCases, corpusFiles, isChat, type LabelledCase } from './lib/cases.js';
import { crossValidate, figures, langOf, prepare, score, type Scored } from './lib/crossval.js';

const kb = loadKnowledge();
if (!kb.model) {
  console.error('eval: knowledge/model/classifier.json is missing; run npm run train first');
  process.exit(1);
}
const comb = kb.model.combination;
const f3 = (x: number): string => x.toFixed(3);
const line = (label: string, s: Scored[]): string => {
  const f = figures(s);
  return `${label.padEnd(34)} top1=${f3(f.top1)} respond_recall=${f3(f.recall)} chat_respond=${f3(f.chatRespond)} (channel chat ${f3(f.channelRespond)}, real text about mail ${f3(f.nearMissRespond)})  (${f.positives} errors, ${f.chat} chat)`;
};

function report(title: string, scored: Scored[], detail: boolean): void {
  console.log(`\n## ${title}`);
  console.log(line('all', scored));
  for (const lang of ['ja', 'en'] as const) console.log(line(`  ${lang === 'ja' ? 'Japanese' : 'English'} subset`, scored.filter((s) => langOf(s.c) === lang)));
  if (!detail) return;
  console.log('\n  per category (top-1, respond recall, cases):');
  const cats = new Map<string, Scored[]>();
  for (const s of scored) if (!isChat(s.c)) cats.set(s.c.accept[0] ?? '', [...(cats.get(s.c.accept[0] ?? '') ?? []), s]);
  for (const [cat, list] of [...cats].sort((a, b) => figures(a[1]).top1 - figures(b[1]).top1)) {
    const f = figures(list);
    console.log(`    ${cat.padEnd(26)} ${f3(f.top1)}  ${f3(f.recall)}  ${String(f.positives).padStart(4)}`);
  }
  const confusion = new Map<string, number>();
  for (const s of scored) if (!isChat(s.c) && !s.c.accept.includes(s.category)) confusion.set(`${s.c.accept[0]} -> ${s.category}`, (confusion.get(`${s.c.accept[0]} -> ${s.category}`) ?? 0) + 1);
  console.log('\n  most frequent confusions:');
  for (const [k, n] of [...confusion].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${String(n).padStart(3)}  ${k}`);
}

const cases = allCases(kb);
const t0 = Date.now();
console.log(`smtp-doctor eval — ${cases.length} labelled cases in ${new Set(cases.map((c) => c.family)).size} source families; combination ${JSON.stringify(comb)}`);
const oof = crossValidate(kb, prepare(kb, cases));
report('Grouped 10-fold cross-validation by source family (headline): rules without the held-out families\' phrases + model', score(oof, comb, 'ablated'), true);
report('Same folds, rules alone (no model)', score(oof, comb, 'ablated', true), false);
report('Same folds, rules as built (they have seen every corpus: optimistic) + model', score(oof, comb, 'asBuilt'), false);

const blind = corpusFiles({ blind: true });
if (blind.length > 0) {
  const index = buildIndex(kb);
  for (const file of blind) {
    const list: LabelledCase[] = corpusCases(file);
    const scored = list.map((c) => {
      const d = diagnose(index, c.text);
      return { c, category: d.category, respond: d.respond };
    });
    report(`Blind set ${file} (never trained on)`, scored, true);
  }
}
console.log(`\n${((Date.now() - t0) / 1000).toFixed(1)} s`);
