/**
 * The learned classifier's inference: a linear model (multinomial logistic regression, as fastText without its hidden
 * layer) over hashed features, trained by scripts/train.ts from every labelled case in the repository and stored as
 * knowledge/model/classifier.json. Weights are pruned and quantised to one byte, so the model loads in milliseconds
 * and costs about a megabyte. Pure: the caller reads the file.
 */
import { hashFeature } from './features.js';
import type { CategoryId } from './types.js';

/** The model's classes: every category but unknown, and chat (ordinary talk, to which a bot stays silent). */
export type ModelClass = Exclude<CategoryId, 'unknown'> | 'chat';

/** How the rules' strength and the model's probability are combined, fitted by cross-validation in scripts/train.ts. */
export interface Combination {
  /** Weight of the rules' strength for a category; the model's probability gets 1 − ruleWeight. */
  ruleWeight: number;
  /** Combined score below which the answer is `unknown`. */
  minScore: number;
  /**
   * Whether a bot speaks up unasked: a logistic model over SPEAK_FEATURES (src/engine/diagnose.ts) — the answer's
   * score, the rules' and the model's own certainty, the model's belief that the text is chat, the codes present, the
   * shape of the text — and the probability from which it speaks.
   */
  speak: { weights: number[]; threshold: number };
}

export interface ModelFile {
  generator: string;
  /** SHA-256 of the training data the model was made from: a test fails when the data changed and the model did not. */
  dataHash: string;
  bits: number;
  classes: ModelClass[];
  scale: number;
  bias: number[];
  /** Base64 of rows: bucket (uint32 LE), count (uint8), then count × (class uint8, weight int8). Buckets ascending. */
  rows: string;
  combination: Combination;
  /** Figures of the cross-validation the combination was fitted on, for the record. */
  crossValidation: Record<string, number>;
}

export interface Model {
  file: ModelFile;
  classes: ModelClass[];
  chat: number;
  /**
   * Open-addressing table of 3 numbers a slot — bucket + 1 (0: empty), first entry, entry count — so that a lookup
   * touches one place in memory for the slot and one for its entries: on real text the model's cost is cache misses.
   */
  table: Int32Array;
  cls: Uint8Array;
  weight: Int8Array;
}

export function loadModel(file: ModelFile): Model {
  const bytes = Buffer.from(file.rows, 'base64');
  // Two passes straight into typed arrays: no intermediate lists, so loading leaves no garbage behind.
  let rowCount = 0;
  let entryCount = 0;
  for (let at = 0; at < bytes.length; rowCount++) {
    const count = bytes[at + 4] ?? 0;
    entryCount += count;
    at += 5 + 2 * count;
  }
  let size = 1;
  while (size < rowCount * 2) size <<= 1;
  const table = new Int32Array(size * 3);
  const cls = new Uint8Array(entryCount);
  const weight = new Int8Array(entryCount);
  let entry = 0;
  // Plain byte arithmetic, no Buffer method calls: this loop runs half a million times at every start.
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let at = 0; at < bytes.length; ) {
    const bucket = ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0;
    const count = bytes[at + 4] ?? 0;
    at += 5;
    let s = bucket & (size - 1);
    while (table[s * 3] !== 0) s = (s + 1) & (size - 1);
    table[s * 3] = bucket + 1;
    table[s * 3 + 1] = entry;
    table[s * 3 + 2] = count;
    for (let i = 0; i < count; i++, at += 2, entry++) {
      cls[entry] = bytes[at] ?? 0;
      weight[entry] = signed[at + 1] ?? 0;
    }
  }
  return { file, classes: file.classes, chat: file.classes.indexOf('chat'), table, cls, weight };
}

/** The slot of a bucket in the table, or -1. */
function slot(model: Model, bucket: number): number {
  const mask = model.table.length / 3 - 1;
  for (let s = bucket & mask; ; s = (s + 1) & mask) {
    const b = model.table[s * 3] ?? 0;
    if (b === 0) return -1;
    if (b === bucket + 1) return s;
  }
}

export interface Prediction {
  /** Probability per class, in the order of `model.classes`. */
  probs: Float64Array;
  /** The features that were known to the model, with their slots, for explanations. */
  known: { name: string; slot: number }[];
  /** How many of the text's words and codes the model knew: with none, its probabilities say nothing of the text. */
  knownCount: number;
}

/** `explain`: keep which features were known, for the evidence (classify does not need it). */
export function predict(model: Model, features: string[], explain = true): Prediction {
  const n = model.classes.length;
  const z = Float64Array.from(model.file.bias);
  const known: { name: string; slot: number }[] = [];
  const { table, cls, weight } = model;
  // Features weigh 1/√n each, as in training: a long paste is not surer than a short one for having more words.
  const value = model.file.scale / Math.sqrt(Math.max(1, features.length));
  let knownCount = 0;
  for (const f of features) {
    const s = slot(model, hashFeature(f, model.file.bits));
    if (s < 0) continue;
    // The shape of a message (f:…) is no word of it.
    if (!f.startsWith('f:')) knownCount++;
    if (explain) known.push({ name: f, slot: s });
    for (let i = table[s * 3 + 1] ?? 0, end = i + (table[s * 3 + 2] ?? 0); i < end; i++) {
      const c = cls[i] ?? 0;
      z[c] = (z[c] ?? 0) + (weight[i] ?? 0) * value;
    }
  }
  let max = -Infinity;
  for (let c = 0; c < n; c++) max = Math.max(max, z[c] ?? 0);
  let sum = 0;
  const probs = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    probs[c] = Math.exp((z[c] ?? 0) - max);
    sum += probs[c] ?? 0;
  }
  for (let c = 0; c < n; c++) probs[c] = (probs[c] ?? 0) / sum;
  return { probs, known, knownCount };
}

/** Each known feature's weight for a class, the positive ones, strongest first: what the model saw in a paste. */
export function contributions(model: Model, prediction: Prediction, classIndex: number): { name: string; weight: number }[] {
  const out: { name: string; weight: number }[] = [];
  const { table } = model;
  for (const { name, slot: s } of prediction.known) {
    let w = 0;
    for (let i = table[s * 3 + 1] ?? 0, end = i + (table[s * 3 + 2] ?? 0); i < end; i++) {
      if (model.cls[i] === classIndex) w += (model.weight[i] ?? 0) * model.file.scale;
    }
    if (w > 0) out.push({ name, weight: w });
  }
  return out.sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name));
}
