/**
 * Training and grouped cross-validation of the intent model (src/engine/intent.ts): two softmax layers over hashed
 * turn features — what a turn asks for, and which topic a question is about — fitted by stochastic gradient descent,
 * deterministic (a seeded shuffle, a fixed order of everything, rounded output), weights quantised to one byte.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hashFeature } from '../../src/engine/features.js';
import { buildIndex, type EngineIndex } from '../../src/engine/index.js';
import { compact } from '../../src/engine/normalize.js';
import { buildIntentIndex, INTENT_IDS, SYMPTOM_TOPIC, readTurn, turnFeatures, type IntentId, type IntentModelFile, type SoftmaxFile, type TurnReading } from '../../src/engine/intent.js';
import { softmax } from '../../src/engine/model.js';
import type { KnowledgeBase } from '../../src/engine/types.js';
import type { IntentWording } from '../../src/knowledge/load.js';
import { shuffledEpochs } from './learn.js';

export const BITS = 18;
export const HYPER = { epochs: 40, rate: 1.5, seed: 20261207, classBalance: 1.0 };
export const FOLDS = 10;

export interface Labelled {
  text: string;
  label: string;
  lang: 'ja' | 'en';
  family: string;
}

/** Written wordings are held out in runs of this many neighbours of one group and language. */
export const WRITTEN_RUN = 5;

/**
 * The family a wording is held out with: a page or an issue is one family whatever intents it gave. Written wordings
 * were written in runs of paraphrases ("587にしたけどまだダメです", "587に変えたけどまだ送れない" …): a run of
 * WRITTEN_RUN neighbours is one family, so a paraphrase is never tested against its twin.
 */
export function familyOf(w: Pick<IntentWording, 'source' | 'intent' | 'lang' | 'at'>): string {
  const url = /^\[(?:page|issue)\] (\S+)/.exec(w.source);
  return url?.[1] ?? `${w.intent}|${w.source}|${w.lang}|${Math.floor(w.at / WRITTEN_RUN)}`;
}

export interface TrainingData {
  /** One per wording, in the order of the wordings. */
  intents: Labelled[];
  /** The topics' phrases as intent samples: questions, and the send-trouble topic's a symptom. */
  phrases: Labelled[];
  topics: Labelled[];
}

/**
 * Intent samples: every wording, and every topic's phrases (a topic's phrase is a question by definition). Topic
 * samples: every question with a topic, and every topic's own phrases.
 */
export function labelled(kb: KnowledgeBase, wordings: IntentWording[]): TrainingData {
  const intents = wordings.map((w) => ({ text: w.text, label: w.intent, lang: w.lang, family: familyOf(w) }));
  const phrases: Labelled[] = kb.topics.flatMap((t) =>
    (['ja', 'en'] as const).flatMap((lang) => t.phrases[lang].map((text) => ({ text, label: t.id === SYMPTOM_TOPIC ? 'symptom' : 'question', lang, family: `topic:${t.id}` }))),
  );
  const topics: Labelled[] = wordings
    .filter((w) => w.topic !== null)
    .map((w) => ({ text: w.text, label: w.topic ?? '', lang: w.lang, family: familyOf(w) }));
  for (const t of kb.topics) {
    for (const lang of ['ja', 'en'] as const) {
      for (const p of t.phrases[lang]) topics.push({ text: p, label: t.id, lang, family: `topic:${t.id}` });
    }
  }
  return { intents, phrases, topics };
}

interface Sample {
  buckets: Int32Array;
  n: number;
  target: number;
  weight: number;
}

export function trainSoftmax(data: Labelled[], classes: string[], features: (text: string) => string[]): SoftmaxFile {
  const C = classes.length;
  const samples: Sample[] = data.map((d) => {
    const f = features(d.text);
    const buckets = [...new Set(f.map((x) => hashFeature(x, BITS)))].sort((a, b) => a - b);
    return { buckets: Int32Array.from(buckets), n: Math.max(1, f.length), target: classes.indexOf(d.label), weight: 1 };
  });
  // Rare classes count for more, by the square root of their rarity.
  const freq = new Float64Array(C);
  for (const s of samples) freq[s.target] = (freq[s.target] ?? 0) + 1;
  const mean = samples.length / C;
  for (const s of samples) s.weight = (mean / Math.max(1, freq[s.target] ?? 1)) ** HYPER.classBalance;
  const rowOf = new Map<number, number>();
  const rowsOf = samples.map((s) =>
    Int32Array.from(s.buckets, (b) => {
      let r = rowOf.get(b);
      if (r === undefined) {
        r = rowOf.size;
        rowOf.set(b, r);
      }
      return r;
    }),
  );
  const W = new Float64Array(rowOf.size * C);
  const bias = new Float64Array(C);
  const total = HYPER.epochs * samples.length;
  const z = new Float64Array(C);
  let step = 0;
  for (const idx of shuffledEpochs(samples.length, HYPER.epochs, HYPER.seed)) {
    const s = samples[idx];
    const rows = rowsOf[idx];
    if (!s || !rows || s.target < 0) continue;
    const lr = HYPER.rate * (1 - step++ / total);
    const v = 1 / Math.sqrt(s.n);
    z.set(bias);
    for (const r of rows) for (let c = 0; c < C; c++) z[c] = (z[c] ?? 0) + (W[r * C + c] ?? 0) * v;
    softmax(z);
    for (let c = 0; c < C; c++) z[c] = ((z[c] ?? 0) - (c === s.target ? 1 : 0)) * s.weight * lr;
    for (let c = 0; c < C; c++) bias[c] = (bias[c] ?? 0) - (z[c] ?? 0) * 0.1;
    for (const r of rows) for (let c = 0; c < C; c++) W[r * C + c] = (W[r * C + c] ?? 0) - (z[c] ?? 0) * v;
  }
  let maxAbs = 0;
  for (const w of W) maxAbs = Math.max(maxAbs, Math.abs(w));
  const scale = maxAbs / 127 || 1;
  const chunks: Buffer[] = [];
  for (const [bucket, r] of [...rowOf].sort((a, b) => a[0] - b[0])) {
    const kept: [number, number][] = [];
    for (let c = 0; c < C; c++) {
      const q = Math.round((W[r * C + c] ?? 0) / scale);
      if (q !== 0) kept.push([c, Math.max(-127, Math.min(127, q))]);
    }
    if (kept.length === 0) continue;
    const b = Buffer.alloc(5 + kept.length * 2);
    b.writeUInt32LE(bucket, 0);
    b.writeUInt8(kept.length, 4);
    kept.forEach(([c, q], i) => {
      b.writeUInt8(c, 5 + i * 2);
      b.writeInt8(q, 6 + i * 2);
    });
    chunks.push(b);
  }
  return { classes, scale: Number(scale.toPrecision(8)), bias: [...bias].map((b) => Number(b.toFixed(6))), rows: Buffer.concat(chunks).toString('base64') };
}

/** Everything the model is made from: the wordings, the topics' phrases, and the code that turns a turn into features. */
export function intentDataHash(kb: KnowledgeBase, wordings: IntentWording[]): string {
  const h = createHash('sha256');
  for (const w of wordings) h.update(`${JSON.stringify([w.text, w.intent, w.topic, w.lang, familyOf(w)])}\n`);
  for (const t of kb.topics) h.update(`${JSON.stringify([t.id, t.phrases])}\n`);
  h.update(JSON.stringify(kb.jaForms));
  // Only what is used from features.ts (stem, hashFeature and the suffixes stem takes off): the rest of the file is the
  // category model's, and changes there must not make this model stale.
  const features = readFileSync(new URL('../../src/engine/features.ts', import.meta.url), 'utf8');
  for (const part of [/^const SUFFIXES = .*$/m, /^export function stem\([\s\S]*?\n\}$/m, /^export function hashFeature\([\s\S]*?\n\}$/m]) h.update(part.exec(features)?.[0] ?? `missing ${part.source}`);
  for (const f of ['../../src/engine/intent.ts', '../../src/engine/normalize.ts', '../../src/engine/jaforms.ts', './intent-learn.ts']) h.update(readFileSync(new URL(f, import.meta.url)));
  return h.digest('hex');
}

export function topicClasses(kb: KnowledgeBase): string[] {
  return kb.topics.map((t) => t.id).sort();
}

export function trainModel(kb: KnowledgeBase, engine: EngineIndex, data: TrainingData, dataHash: string, crossValidation: Record<string, number>): IntentModelFile {
  const features = (text: string) => turnFeatures(text, engine.canon);
  return {
    generator: 'scripts/train-intents.ts (npm run train:intents)',
    dataHash,
    bits: BITS,
    intents: trainSoftmax([...data.intents, ...data.phrases], [...INTENT_IDS], features),
    topics: trainSoftmax(data.topics, topicClasses(kb), features),
    crossValidation,
  };
}

/**
 * Families to folds, stratified: each label's families (a family counts for the label most of its cases have) are
 * spread over the folds, largest first into the fold with the fewest cases of that label, then the fewest cases; ties
 * by name, so the split is the same every run. Without it two of an intent's few families can share a fold, and the
 * model is tested on an intent it never saw.
 */
export function assignFolds(cases: { family: string; label: string }[], k = FOLDS): number[] {
  const sizes = new Map<string, Map<string, number>>();
  for (const c of cases) {
    const m = sizes.get(c.family) ?? new Map<string, number>();
    m.set(c.label, (m.get(c.label) ?? 0) + 1);
    sizes.set(c.family, m);
  }
  const families = [...sizes].map(([family, m]) => {
    const [label] = [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [''];
    return { family, label, n: [...m.values()].reduce((a, b) => a + b, 0) };
  });
  families.sort((a, b) => a.label.localeCompare(b.label) || b.n - a.n || a.family.localeCompare(b.family));
  const total = new Array<number>(k).fill(0);
  const perLabel = new Map<string, number[]>();
  const foldOf = new Map<string, number>();
  for (const { family, label, n } of families) {
    const mine = perLabel.get(label) ?? new Array<number>(k).fill(0);
    perLabel.set(label, mine);
    let best = 0;
    for (let f = 1; f < k; f++) {
      if ((mine[f] ?? 0) < (mine[best] ?? 0) || ((mine[f] ?? 0) === (mine[best] ?? 0) && (total[f] ?? 0) < (total[best] ?? 0))) best = f;
    }
    foldOf.set(family, best);
    mine[best] = (mine[best] ?? 0) + n;
    total[best] = (total[best] ?? 0) + n;
  }
  return cases.map((c) => foldOf.get(c.family) ?? 0);
}

function sameText(text: string): string {
  return compact(text.normalize('NFKC').toLowerCase());
}

export interface HeldOut {
  w: IntentWording;
  reading: TurnReading;
}

/**
 * Grouped k-fold: each wording is read by a model trained without its family (intents and topics alike). The
 * engine's rules are as built: its topic phrases were not written for these wordings, and error pastes are its own.
 */
export function crossValidate(kb: KnowledgeBase, wordings: IntentWording[], k = FOLDS): HeldOut[] {
  const engine = buildIndex(kb);
  const data = labelled(kb, wordings);
  const folds = assignFolds(data.intents, k);
  const topicFolds = new Map<string, number>();
  data.intents.forEach((d, i) => topicFolds.set(d.family, folds[i] ?? 0));
  const out: HeldOut[] = [];
  for (let f = 0; f < k; f++) {
    // A topic's phrase that is also a held-out wording is left out with it.
    const heldOut = new Set(data.intents.filter((_, i) => folds[i] === f).map((d) => sameText(d.text)));
    const train = {
      intents: data.intents.filter((_, i) => folds[i] !== f),
      phrases: data.phrases.filter((d) => !heldOut.has(sameText(d.text))),
      topics: data.topics.filter((d) => topicFolds.get(d.family) !== f && !heldOut.has(sameText(d.text))),
    };
    const model = trainModel(kb, engine, train, 'fold', {});
    const index = buildIntentIndex(engine, model);
    wordings.forEach((w, i) => {
      if (folds[i] === f) out.push({ w, reading: readTurn(index, w.text) });
    });
  }
  return out;
}

export interface IntentFigures {
  accuracy: number;
  byIntent: Record<string, { n: number; accuracy: number }>;
  byLang: Record<string, { n: number; accuracy: number }>;
  /** Questions whose topic was right, of questions with a topic. */
  topicAccuracy: number;
  confusions: { expected: IntentId; got: IntentId; n: number }[];
}

export function intentFigures(held: HeldOut[]): IntentFigures {
  const byIntent: Record<string, { n: number; ok: number }> = {};
  const byLang: Record<string, { n: number; ok: number }> = {};
  const confusion = new Map<string, number>();
  let ok = 0;
  let topicN = 0;
  let topicOk = 0;
  for (const { w, reading } of held) {
    const right = reading.intent === w.intent;
    if (right) ok++;
    for (const [map, key] of [[byIntent, w.intent], [byLang, w.lang]] as const) {
      const e = (map[key] ??= { n: 0, ok: 0 });
      e.n++;
      if (right) e.ok++;
    }
    if (!right) confusion.set(`${w.intent}>${reading.intent}`, (confusion.get(`${w.intent}>${reading.intent}`) ?? 0) + 1);
    if (w.topic) {
      topicN++;
      if (reading.topic === w.topic) topicOk++;
    }
  }
  const rate = (m: Record<string, { n: number; ok: number }>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { n: v.n, accuracy: v.ok / v.n }]));
  return {
    accuracy: ok / Math.max(1, held.length),
    byIntent: rate(byIntent),
    byLang: rate(byLang),
    topicAccuracy: topicOk / Math.max(1, topicN),
    confusions: [...confusion]
      .map(([key, n]) => {
        const [expected, got] = key.split('>') as [IntentId, IntentId];
        return { expected, got, n };
      })
      .sort((a, b) => b.n - a.n || a.expected.localeCompare(b.expected)),
  };
}
