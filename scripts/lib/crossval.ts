/**
 * Grouped k-fold cross-validation by source family: a family (the software, site or document a case came from) is in
 * training or in test, never both. For each fold the model is trained on the other folds, and the rules lose every
 * phrase and combo that only the held-out cases set off — as if the knowledge base had been written without them,
 * since many phrases were added after a miss on exactly those corpora. The out-of-fold answers fit the combination
 * of rules and model, and give the figures `npm run eval` prints.
 */
import { decide, isQuestion, judge, matchedRules, QUESTION_OVERRIDE, read, reportsSuccess, RULES_ONLY, SPEAK_FEATURES, speakFeatures, speakProbability, type Judgement } from '../../src/engine/diagnose.js';
import { buildIndex, type EngineIndex } from '../../src/engine/index.js';
import type { Combination } from '../../src/engine/model.js';
import { detectLang } from '../../src/engine/normalize.js';
import type { KnowledgeBase } from '../../src/engine/types.js';
import { isChat, isNearMissChat, type LabelledCase } from './cases.js';
import { CLASSES, sampleOf, targetOf, toModelFile, train, type Sample } from './learn.js';

export const FOLDS = 10;

/** Families to folds, largest first into the smallest fold; ties by name, so the split is the same every run. */
export function assignFolds(cases: LabelledCase[], k = FOLDS): number[] {
  const sizes = new Map<string, number>();
  for (const c of cases) sizes.set(c.family, (sizes.get(c.family) ?? 0) + 1);
  const folds = new Array<number>(k).fill(0);
  const foldOf = new Map<string, number>();
  for (const [family, n] of [...sizes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    let smallest = 0;
    for (let f = 1; f < k; f++) if ((folds[f] ?? 0) < (folds[smallest] ?? 0)) smallest = f;
    foldOf.set(family, smallest);
    folds[smallest] = (folds[smallest] ?? 0) + n;
  }
  return cases.map((c) => foldOf.get(c.family) ?? 0);
}

export interface OutOfFold {
  c: LabelledCase;
  /** Rules as if not written for this case's family, model trained without it. */
  ablated: Judgement;
  /** Rules as they are (they have seen every corpus), model trained without the family. */
  asBuilt: Judgement;
  question: boolean;
}

export interface Prepared {
  cases: LabelledCase[];
  samples: (Sample | null)[];
  rules: { phrases: Set<string>; combos: Set<string> }[];
}

export function prepare(kb: KnowledgeBase, cases: LabelledCase[]): Prepared {
  const plain = buildIndex(kb, { model: null });
  return {
    cases,
    samples: cases.map((c) => {
      const t = targetOf(c);
      return t ? sampleOf(readFeatures(plain, c.text), t) : null;
    }),
    rules: cases.map((c) => matchedRules(plain, c.text)),
  };
}

/** read() is the one reader of a paste: asking it for features gives exactly what the model sees at run time. */
export function readFeatures(index: EngineIndex, text: string): string[] {
  return read(index, text, { features: true }).features;
}

export function crossValidate(kb: KnowledgeBase, p: Prepared, k = FOLDS, log: (s: string) => void = () => {}): OutOfFold[] {
  const folds = assignFolds(p.cases, k);
  const out: OutOfFold[] = [];
  for (let f = 0; f < k; f++) {
    const trainIdx = p.cases.map((_, i) => i).filter((i) => folds[i] !== f);
    const testIdx = p.cases.map((_, i) => i).filter((i) => folds[i] === f);
    const seen = { phrases: new Set<string>(), combos: new Set<string>() };
    for (const i of trainIdx) {
      for (const x of p.rules[i]?.phrases ?? []) seen.phrases.add(x);
      for (const x of p.rules[i]?.combos ?? []) seen.combos.add(x);
    }
    const without = { phrases: new Set<string>(), combos: new Set<string>() };
    for (const i of testIdx) {
      for (const x of p.rules[i]?.phrases ?? []) if (!seen.phrases.has(x)) without.phrases.add(x);
      for (const x of p.rules[i]?.combos ?? []) if (!seen.combos.has(x)) without.combos.add(x);
    }
    const samples = trainIdx.map((i) => p.samples[i]).filter((s): s is Sample => s !== null && s !== undefined);
    const model = toModelFile(train(samples), 'fold', RULES_ONLY, {});
    const ablated = buildIndex(kb, { model, without });
    const asBuilt = buildIndex(kb, { model });
    for (const i of testIdx) {
      const c = p.cases[i];
      if (!c) continue;
      out.push({ c, ablated: judge(ablated, c.text), asBuilt: judge(asBuilt, c.text), question: isQuestion(c.text) });
    }
    log(`fold ${f + 1}/${k}: ${testIdx.length} cases held out, ${without.phrases.size} phrases and ${without.combos.size} combos left out of the rules`);
  }
  return out;
}

export interface Figures {
  cases: number;
  positives: number;
  chat: number;
  top1: number;
  recall: number;
  /** Respond rate on all chat. */
  chatRespond: number;
  /** …on the channel chat written for the corpora, and on real text about mail (see isNearMissChat). */
  channelRespond: number;
  nearMissRespond: number;
}

export interface Scored {
  c: LabelledCase;
  category: string;
  respond: boolean;
}

export function score(oof: OutOfFold[], comb: Combination, which: 'ablated' | 'asBuilt', modelWeightOff = false): Scored[] {
  return oof.map((o) => {
    const j = o[which];
    const judgement = modelWeightOff ? { ...j, probs: new Float64Array(0) } : j;
    const d = decide(judgement, CLASSES, modelWeightOff ? RULES_ONLY : comb, o.question);
    return { c: o.c, category: d.category, respond: d.respond };
  });
}

export function figures(scored: Scored[]): Figures {
  let pos = 0;
  let top1 = 0;
  let recall = 0;
  let chat = 0;
  let chatRespond = 0;
  let near = 0;
  let nearRespond = 0;
  for (const s of scored) {
    if (isChat(s.c)) {
      chat++;
      if (s.respond) chatRespond++;
      if (isNearMissChat(s.c)) {
        near++;
        if (s.respond) nearRespond++;
      }
      continue;
    }
    pos++;
    if (s.c.accept.includes(s.category)) top1++;
    if (s.respond) recall++;
  }
  return {
    cases: scored.length,
    positives: pos,
    chat,
    top1: top1 / Math.max(1, pos),
    recall: recall / Math.max(1, pos),
    chatRespond: chatRespond / Math.max(1, chat),
    channelRespond: (chatRespond - nearRespond) / Math.max(1, chat - near),
    nearMissRespond: nearRespond / Math.max(1, near),
  };
}

export function langOf(c: LabelledCase): 'ja' | 'en' {
  return c.lang === 'ja' || c.lang === 'en' ? c.lang : detectLang(c.text);
}

/** An out-of-fold answer reduced to numbers, so that many combinations can be tried quickly. */
interface Packed {
  j: Judgement;
  rule: Float64Array;
  prob: Float64Array;
  chat: number;
  question: boolean;
  accept: Set<number>;
  /** `unknown` is among the accepted answers (an ambiguous line where silence is right too). */
  acceptsUnknown: boolean;
  chatCase: boolean;
  nearMiss: boolean;
  /** decide() answers `unknown` whatever the scores: a transcript in which the server accepted every step. */
  accepted: boolean;
}

/** Categories in name order: ties go to the first by name, as in decide(). */
const BY_NAME = CLASSES.map((c, i) => ({ c, i })).filter((x) => x.c !== 'chat').sort((a, b) => a.c.localeCompare(b.c));

function pack(o: OutOfFold): Packed {
  const j = o.ablated;
  const rule = new Float64Array(CLASSES.length);
  for (const r of j.rules) if (r.strong) rule[CLASSES.indexOf(r.entry.category)] = r.strength;
  const accept = new Set(o.c.accept.map((a) => CLASSES.indexOf(a as (typeof CLASSES)[number])).filter((i) => i >= 0));
  return {
    j,
    rule,
    prob: j.probs,
    chat: j.probs[CLASSES.indexOf('chat')] ?? 0,
    question: o.question,
    accept,
    acceptsUnknown: o.c.accept.includes('unknown'),
    chatCase: isChat(o.c),
    nearMiss: isNearMissChat(o.c),
    accepted: reportsSuccess(j.reading),
  };
}

/** For one rule weight, a case's best category, its score, the runner-up's, and the rules' and model's own certainty. */
interface Best {
  category: number;
  score: number;
  second: number;
  rule: number;
  model: number;
}

function bestOf(p: Packed, ruleWeight: number): Best {
  let category = -1;
  let score = -1;
  let second = 0;
  for (const { i } of BY_NAME) {
    const sc = ruleWeight * (p.rule[i] ?? 0) + (1 - ruleWeight) * (p.prob[i] ?? 0);
    if (sc > score) {
      second = Math.max(second, score);
      category = i;
      score = sc;
    } else if (sc > second) second = sc;
  }
  return { category, score, second, rule: p.rule[category] ?? 0, model: p.prob[category] ?? 0 };
}

function top1Of(packed: Packed[], bests: Best[], minScore: number): number {
  let pos = 0;
  let ok = 0;
  packed.forEach((p, i) => {
    const b = bests[i];
    if (p.chatCase || !b) return;
    pos++;
    const known = !p.accepted && b.score >= minScore && b.score > 0;
    if (known ? p.accept.has(b.category) : p.acceptsUnknown) ok++;
  });
  return ok / Math.max(1, pos);
}

/**
 * The speak-up model: logistic regression over SPEAK_FEATURES, fitted by plain full-batch gradient descent (a fixed
 * number of steps from zero: deterministic), with channel chat weighted up so that the bot's silence on ordinary talk
 * is what the fit protects first.
 */
function fitSpeak(xs: number[][], ys: number[], ws: number[]): number[] {
  const d = SPEAK_FEATURES.length;
  const w = new Array<number>(d).fill(0);
  const total = ws.reduce((a, b) => a + b, 0);
  for (let step = 0; step < 3000; step++) {
    const g = new Array<number>(d).fill(0);
    xs.forEach((x, n) => {
      const err = (speakProbability(w, x) - (ys[n] ?? 0)) * (ws[n] ?? 0);
      for (let k = 0; k < d; k++) g[k] = (g[k] ?? 0) + err * (x[k] ?? 0);
    });
    for (let k = 0; k < d; k++) w[k] = (w[k] ?? 0) - (2 * (g[k] ?? 0)) / total - 1e-4 * (k === 0 ? 0 : (w[k] ?? 0));
  }
  return w.map((v) => Number(v.toFixed(6)));
}

/**
 * Bounds on speaking up unasked: channel chat (held under the 0.01 the issue allows), and real text about mail (docs,
 * forum prose, feature requests that quote errors). 0.10 rather than 0.06: on the grouped CV of 2026-12-07 the tighter
 * bound cost 3 points of respond recall on real errors (0.926 -> 0.897) for 4 points on that prose (0.100 -> 0.060),
 * and a missed error costs a user more than a reply to a post that quotes one.
 */
export const CHAT_LIMITS = { chat: 0.005, nearMiss: 0.1 };

/**
 * The combination fitted on out-of-fold answers only: the rule weight and the `unknown` threshold that give the best
 * top-1; then the speak-up model, and the lowest threshold at which it speaks up on at most `limits.chat` of the
 * channel chat (a margin under the 0.01 the issue allows) and `limits.nearMiss` of real text about mail (docs, feature
 * requests that quote errors).
 */
export function fitCombination(oof: OutOfFold[], limits = CHAT_LIMITS): { combination: Combination; figures: Figures } {
  const packed = oof.map(pack);
  let choice = { ruleWeight: 1, minScore: 0.05, top1: -1, bests: [] as Best[] };
  for (let rw = 0; rw <= 1.0001; rw += 0.05) {
    const ruleWeight = round(rw);
    const bests = packed.map((p) => bestOf(p, ruleWeight));
    for (let minScore = 0.05; minScore <= 0.4001; minScore += 0.025) {
      const t = top1Of(packed, bests, minScore);
      if (t > choice.top1 + 1e-9) choice = { ruleWeight, minScore: round(minScore), top1: t, bests };
    }
  }
  const rows: { x: number[]; y: number; w: number; p: Packed }[] = [];
  packed.forEach((p, i) => {
    const b = choice.bests[i];
    if (!b || p.accepted || b.score < choice.minScore || (p.question && b.rule < QUESTION_OVERRIDE)) return;
    const x = speakFeatures(p.j, { score: b.score, rule: b.rule, model: b.model, margin: b.score - b.second }, p.chat);
    rows.push({ x, y: p.chatCase ? 0 : 1, w: p.chatCase ? (p.nearMiss ? 3 : 10) : 1, p });
  });
  const weights = fitSpeak(rows.map((r) => r.x), rows.map((r) => r.y), rows.map((r) => r.w));
  const chatTotal = packed.filter((p) => p.chatCase && !p.nearMiss).length;
  const nearTotal = packed.filter((p) => p.nearMiss).length;
  const scored = rows.map((r) => ({ prob: speakProbability(weights, r.x), r })).sort((a, b) => b.prob - a.prob);
  // Walk down the probabilities: the threshold may go as low as the bounds on chat allow.
  let threshold = 1;
  let chat = 0;
  let near = 0;
  for (const { prob, r } of scored) {
    if (r.p.chatCase) {
      if (r.p.nearMiss) near++;
      else chat++;
      if (chat / Math.max(1, chatTotal) > limits.chat || near / Math.max(1, nearTotal) > limits.nearMiss) break;
    }
    threshold = prob;
  }
  const combination: Combination = { ruleWeight: choice.ruleWeight, minScore: choice.minScore, speak: { weights, threshold: Number(threshold.toFixed(6)) } };
  return { combination, figures: figures(score(oof, combination, 'ablated')) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
