/**
 * The learned classifier's inference: a linear model (multinomial logistic regression, as fastText without its hidden
 * layer) over hashed features, trained by scripts/train.ts from every labelled case in the repository and stored as
 * knowledge/model/classifier.json. Weights are pruned and quantised to one byte, so the model loads in milliseconds
 * and costs about a megabyte. Pure: the caller reads the file.
 */
import { featureHash } from './features.js';
import { pack, Unpacker } from './packed.js';
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
  /**
   * Base64 of rows: bucket (uint32 LE), count (uint8), then count × (class uint8, weight int8). Buckets ascending. The
   * column after the last class, where there is one, is the error head's.
   */
  rows: string;
  /** The error head: a logistic output, "this reports an error" against chat, with its bias and weight scale. */
  error?: { bias: number; scale: number };
  combination: Combination;
  /** Figures of the cross-validation the combination was fitted on, for the record. */
  crossValidation: Record<string, number>;
}

export interface Model {
  file: ModelFile;
  classes: ModelClass[];
  chat: number;
  /**
   * Open-addressing table: `keys[slot]` is bucket + 1 (0: empty), `runs[slot]` its first entry × 256 + its entry count.
   * On real text the model's cost is cache misses (98 % of a paste's features are in the model, ~15 entries each):
   * probing reads only the keys, 4 bytes a slot (512 kB, not the 1.5 MB of slots of three numbers), and a hit reads
   * one number more and its entries.
   */
  keys: Uint32Array;
  runs: Int32Array;
  /** One entry a number: the weight (int8) times 256 plus the class, so that class and weight are one memory read. */
  entries: Int16Array;
}

/**
 * Where a model file read from the knowledge snapshot keeps its rows as bytes (a function that reads them), so that
 * loading never makes the base64 text: the snapshot stores the rows in a binary file of their own.
 */
export const ROW_BYTES = Symbol.for('smtp-doctor.model.rowBytes');

/** The tables `loadModel` makes from the rows: what `npm run build` stores beside the knowledge snapshot. */
export interface ModelTables {
  keys: Uint32Array;
  runs: Int32Array;
  entries: Int16Array;
}

/**
 * Where a model file read from the knowledge snapshot keeps its stored tables (a function that reads them, null when
 * there are none): a start then uses them as they are, where making them from the rows was a third of the start of
 * `classify` (half a million weights put in place one by one; the largest part of building the index).
 */
export const MODEL_TABLES = Symbol.for('smtp-doctor.model.tables');

/** The tables as bytes (packed.ts): the two lengths, then keys, runs and entries. */
export function modelTablesToBytes(t: ModelTables): Buffer {
  return pack([Int32Array.of(t.keys.length, t.entries.length), t.keys, t.runs, t.entries]);
}

/** The tables read back from `modelTablesToBytes`. */
export function modelTablesFromBytes(bytes: Uint8Array): ModelTables {
  // Views on the bytes, not copies: they are a file read for these tables alone.
  const r = new Unpacker(bytes, true);
  const [size = 0, entryCount = 0] = r.i32(2);
  const t = { keys: r.u32(size), runs: r.i32(size), entries: r.i16(entryCount) };
  if (!r.done) throw new RangeError('model tables: not the layout modelTablesToBytes writes');
  return t;
}

export function loadModel(file: ModelFile): Model {
  const stored = (file as ModelFile & { [MODEL_TABLES]?: () => ModelTables | null })[MODEL_TABLES]?.();
  if (stored) return { file, classes: file.classes, chat: file.classes.indexOf('chat'), ...stored };
  const fromBytes = (file as ModelFile & { [ROW_BYTES]?: () => Uint8Array })[ROW_BYTES];
  const bytes: Uint8Array = fromBytes ? fromBytes() : Buffer.from(file.rows, 'base64');
  // Two passes straight into typed arrays: no intermediate lists, so loading leaves no garbage behind.
  let rowCount = 0;
  let entryCount = 0;
  for (let at = 0; at < bytes.length; rowCount++) {
    const count = bytes[at + 4] ?? 0;
    entryCount += count;
    at += 5 + 2 * count;
  }
  // A run is packed as first entry × 256 + count into one int32.
  if (entryCount >= 2 ** 23) throw new RangeError(`model: ${entryCount} weights, more than a run can address`);
  let size = 1;
  while (size < rowCount * 2) size <<= 1;
  const keys = new Uint32Array(size);
  const runs = new Int32Array(size);
  const entries = new Int16Array(entryCount);
  let entry = 0;
  // Plain byte arithmetic, no Buffer method calls: this loop runs half a million times (training, or a start without
  // stored tables).
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let at = 0; at < bytes.length; ) {
    const bucket = ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0;
    const count = bytes[at + 4] ?? 0;
    at += 5;
    let s = bucket & (size - 1);
    while (keys[s] !== 0) s = (s + 1) & (size - 1);
    keys[s] = bucket + 1;
    runs[s] = entry * 256 + count;
    for (let i = 0; i < count; i++, at += 2, entry++) entries[entry] = (signed[at + 1] ?? 0) * 256 + (bytes[at] ?? 0);
  }
  return { file, classes: file.classes, chat: file.classes.indexOf('chat'), keys, runs, entries };
}

/** Scores made probabilities, in place (and returned): the largest is subtracted first, so that no exp() overflows. */
export function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) max = Math.max(max, z[c] ?? 0);
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp((z[c] ?? 0) - max);
    sum += z[c] ?? 0;
  }
  for (let c = 0; c < z.length; c++) z[c] = (z[c] ?? 0) / sum;
  return z;
}

/** The slot of a bucket in the table, or -1. */
function slot(keys: Uint32Array, mask: number, bucket: number): number {
  for (let s = bucket & mask; ; s = (s + 1) & mask) {
    const b = keys[s] ?? 0;
    if (b === 0) return -1;
    if (b === bucket + 1) return s;
  }
}

export interface Prediction {
  /** Probability per class, in the order of `model.classes`. */
  probs: Float64Array;
  /** The features that were known to the model, with their slots, for explanations (empty when not asked for). */
  known: { name: string; slot: number }[];
  /** How many of the text's words and codes the model knew: with none, its probabilities say nothing of the text. */
  knownCount: number;
  /** The error head's probability that the text reports an error (0.5 for a model without the head). */
  error: number;
}

/**
 * The class probabilities for a text's distinct features, given as 32-bit hashes (`featureHash`); `word[i]`: the i-th
 * is a word or code of the text, not its shape; `onKnown`: told each feature the model knows, with its slot.
 * `word` is an array, not a function: classify and diagnose, in one process (a bounce among the lines of
 * `classify --jsonl`), would pass two functions here, and this function was compiled anew for the other each time.
 */
export function predictHashes(model: Model, hashes: readonly number[], word: readonly boolean[], onKnown?: (i: number, slot: number) => void): Prediction {
  const n = model.classes.length;
  const head = model.file.error;
  const z = new Float64Array(head ? n + 1 : n);
  const bias = model.file.bias;
  for (let c = 0; c < n; c++) z[c] = bias[c] ?? 0;
  const { keys, runs, entries } = model;
  const mask = keys.length - 1;
  const bucketMask = (1 << model.file.bits) - 1;
  // Features weigh 1/√n each, as in training: a long paste is not surer than a short one for having more words.
  const value = model.file.scale / Math.sqrt(Math.max(1, hashes.length));
  let knownCount = 0;
  for (let f = 0; f < hashes.length; f++) {
    const s = slot(keys, mask, (hashes[f] ?? 0) & bucketMask);
    if (s < 0) continue;
    if (word[f] === true) knownCount++;
    onKnown?.(f, s);
    const run = runs[s] ?? 0;
    for (let i = run >> 8, end = i + (run & 0xff); i < end; i++) {
      const e = entries[i] ?? 0;
      const c = e & 0xff;
      z[c] = (z[c] ?? 0) + (e >> 8) * value;
    }
  }
  const probs = softmax(z.slice(0, n));
  const error = head ? 1 / (1 + Math.exp(-(head.bias + ((z[n] ?? 0) * head.scale) / model.file.scale))) : 0.5;
  return { probs, known: [], knownCount, error };
}

/**
 * The prediction for features by name; `explain`: keep which were known, for the evidence. `hashes`: their hashes
 * (`featureHash`), when the caller has them already.
 */
export function predict(model: Model, features: string[], explain = true, hashes: readonly number[] = features.map(featureHash)): Prediction {
  const known: { name: string; slot: number }[] = [];
  // The shape of a message (f:…) is no word of it.
  const word: boolean[] = [];
  for (const f of features) word.push(!f.startsWith('f:'));
  const p = predictHashes(model, hashes, word, explain ? (i, slot) => known.push({ name: features[i] ?? '', slot }) : undefined);
  // Set, not spread into a new object: a prediction has one shape whichever way it was made (see predictHashes).
  p.known = known;
  return p;
}

/** Each known feature's weight for a class, the positive ones, strongest first: what the model saw in a paste. */
export function contributions(model: Model, prediction: Prediction, classIndex: number): { name: string; weight: number }[] {
  const out: { name: string; weight: number }[] = [];
  const { runs } = model;
  for (const { name, slot: s } of prediction.known) {
    let w = 0;
    const run = runs[s] ?? 0;
    for (let i = run >> 8, end = i + (run & 0xff); i < end; i++) {
      const e = model.entries[i] ?? 0;
      if ((e & 0xff) === classIndex) w += (e >> 8) * model.file.scale;
    }
    if (w > 0) out.push({ name, weight: w });
  }
  return out.sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name));
}
