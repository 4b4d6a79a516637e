/**
 * The engine: normalise → redact → extract signals → rank knowledge entries → diagnosis. Pure and deterministic:
 * the same text and index give the same answer, with no I/O and no state kept between calls.
 */
import type { ExampleIndex } from './examples.js';
import { phraseWeight, type EngineIndex, type PhraseInfo, type PhraseTarget } from './index.js';
import { compact, detectLang, normalize } from './normalize.js';
import { redact } from './redact.js';
import { compactWithPositions, featureHash, featuresOf, HashSink, locate, MAIL_PORTS, readFeatures } from './features.js';
import { contributions, predict, predictHashes, type Combination, type Model, type ModelClass, type Prediction } from './model.js';
import { extractSignals, maskIdentifiers, maskQuoted, withoutProcessIds } from './signals.js';
import type { CategoryId, Context, Diagnosis, Evidence, KnowledgeEntry, Lang, Signals, Topic } from './types.js';

/** Evidence weights, in the order the engine trusts them: structure first, then prose. */
export const WEIGHTS = {
  errorCode: 3.0,
  statusExact: 2.4,
  statusClass: 1.8,
  replyCode: 0.4,
  /** "4.x.x": a 4xx with nothing more specific is at least a temporary failure, said with little confidence. */
  classFallback: 1.0,
  /** A client's hex summary code when the server's own reply code is in the paste too. */
  wrappedClientCode: 1.5,
  /** An entry whose port condition holds. */
  port: 0.6,
} as const;

const CLIENT_CODE = /^0x[0-9a-f]{8}$/;

/** Below this confidence the answer is `unknown`. */
export const MIN_CONFIDENCE = 0.35;
/** A bot watching a channel speaks up unasked only at or above this. */
export const RESPOND_CONFIDENCE = 0.5;
/** Evidence this strong is an error paste even when the message ends with a question. */
export const QUESTION_OVERRIDE = 0.85;

export interface DiagnoseOptions {
  /** Reply language; detected from the text when not given. */
  lang?: Lang;
}

interface Tally {
  score: number;
  evidence: Evidence[];
  phraseWeights: number[];
  vetoed: boolean;
}

export interface TopicHit {
  topic: Topic;
  score: number;
}

export interface Analysis {
  diagnosis: Diagnosis;
  /** Explanatory topics the text touches (how SMTP works, "I cannot send mail" ...), best first. */
  topics: TopicHit[];
}

/** The repeat pattern of each reply code, compiled once: most lines with a code would otherwise compile one. */
const REPEATS = new Map<string, RegExp>();

/**
 * Multi-line SMTP replies repeat their codes on every line ("550-5.7.1 … not authorized to\n550-5.7.1 send email …"),
 * which would cut phrases in two; phrases are matched with the repeats taken out.
 */
function joinContinuations(lower: string): string {
  const first = /(?:^|\s)([245]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3}\s)?)/.exec(lower);
  if (!first?.[1]) return lower;
  const prefix = first[1].slice(0, 3);
  let repeat = REPEATS.get(prefix);
  if (!repeat) {
    repeat = new RegExp(`(\\s)${prefix}[- ](?:[245]\\.\\d{1,3}\\.\\d{1,3}\\s+)?`, 'g');
    REPEATS.set(prefix, repeat);
  }
  const start = (first.index ?? 0) + first[0].length;
  return lower.slice(0, start) + lower.slice(start).replace(repeat, '$1');
}

// A short one-line question about an error ("Why does my email say 550 5.1.1?", 「0x800CCC0E って何ですか？」) is
// chat about errors, not an error paste: a bot watching a channel answers it only when asked.
const QUESTION_END = /(?:[?？]|(?:です|ます|でしょう|ません)か|かな|っけ)[\s)）」』"'.。!！]*$/;
const INTERROGATIVE = /\b(?:what|why|how|which|when|where|who|does|do|did|is|are|was|can|could|should|would|anyone|any idea)\b|意味|なぜ|どうして|何|なに|どう|どの|とは|って/i;

// …unless it quotes the error it is about: 「554 5.7.1 Your account has been blocked…」と返ってきました。どうすれば？
const QUOTES_AN_ERROR = /「[^」]{8,}」|"[^"]{15,}"|“[^”]{15,}”/;
// …or unless the question is the software's own ("Do you want to continue using this server?").
const DIALOG_QUESTION = /\b(?:do you want to|would you like to)\b|続行しますか|続けますか/i;

export function isQuestion(text: string): boolean {
  const t = text.trim();
  return t.length <= 200 && !t.includes('\n') && QUESTION_END.test(t) && INTERROGATIVE.test(t) && !QUOTES_AN_ERROR.test(t) && !DIALOG_QUESTION.test(t);
}

/** Where the words of one word combination of one entry were found, by part. */
interface ComboHits {
  index: number;
  combo: number;
  parts: Map<number, { at: number; text: string }[]>;
}

/** How far apart (in compact characters) the parts of a word combination may stand. */
const COMBO_WINDOW = 60;

/** One word of each part, all within COMBO_WINDOW of the first part's word; null when there is no such choice. */
function closeTogether(parts: Map<number, { at: number; text: string }[]>, count: number): string[] | null {
  for (const anchor of parts.get(0) ?? []) {
    const words = [anchor.text];
    for (let p = 1; p < count; p++) {
      const near = (parts.get(p) ?? []).find((h) => Math.abs(h.at - anchor.at) <= COMBO_WINDOW);
      if (!near) break;
      words.push(near.text);
    }
    if (words.length === count) return words;
  }
  return null;
}

/** A combination weighs a little less than one phrase of the same length: its words are looser evidence. */
function comboWeight(words: string[]): number {
  return phraseWeight(compact(words.join('').toLowerCase())) - 0.3;
}

/** Ids are ASCII: code-unit order is their order, without a collator's cost. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tally(map: Map<number, Tally>, index: number): Tally {
  let t = map.get(index);
  if (!t) {
    t = { score: 0, evidence: [], phraseWeights: [], vetoed: false };
    map.set(index, t);
  }
  return t;
}

/** Several phrases of one entry confirm each other but must not outweigh a code: each further one counts half the last. */
function phraseScore(weights: number[]): number {
  return [...weights].sort((a, b) => b - a).reduce((sum, w, i) => sum + w / 2 ** i, 0);
}

function confidenceOf(score: number, runnerUp: number): number {
  const base = 1 - Math.exp(-score / 2.2);
  // A close second category makes the first less certain.
  const margin = score > 0 ? Math.max(0, Math.min(1, (score - runnerUp) / score + 0.5)) : 0;
  return Math.round(base * margin * 1000) / 1000;
}

function extractContext(index: EngineIndex, c: string, ports: number[]): Context {
  const ctx: Context = { ports, sinceRecently: index.context.recently.some((p) => c.includes(p)) };
  const client = index.context.clients.find((x) => x.patterns.some((p) => c.includes(p)));
  if (client) ctx.client = client.name;
  const provider = index.context.providers.find((x) => x.patterns.some((p) => c.includes(p)));
  if (provider) ctx.provider = provider.name;
  return ctx;
}

/** Evidence gathered per knowledge entry (by index) and per topic while a text is read. */
interface Scores {
  tallies: Map<number, Tally>;
  topics: Map<number, number>;
}

/** A character of a token (/[a-z0-9_]/): error codes are looked up as whole runs of them. */
function isTokenChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95;
}

/** The first two characters (as c0 × 128 + c1) and the lengths of the index's error codes: most tokens of a text are no code, and are not cut out to be looked up. */
const codeShapes = new WeakMap<EngineIndex, { starts: Uint8Array; min: number; max: number }>();

function codeShape(index: EngineIndex): { starts: Uint8Array; min: number; max: number } {
  let shape = codeShapes.get(index);
  if (!shape) {
    shape = { starts: new Uint8Array(128 * 128), min: Infinity, max: 0 };
    for (const code of index.errorCodes.keys()) {
      const a = code.charCodeAt(0);
      const b = code.charCodeAt(1);
      // A code of other characters than a token's is never looked up by its tokens anyway.
      if (a < 128 && b < 128) shape.starts[a * 128 + b] = 1;
      shape.min = Math.min(shape.min, code.length);
      shape.max = Math.max(shape.max, code.length);
    }
    codeShapes.set(index, shape);
  }
  return shape;
}

/** The tokens of a text (/[a-z0-9_]{2,}/g, in order) that could be error codes of the index. */
function codeTokens(index: EngineIndex, lower: string): string[] {
  const { starts, min, max } = codeShape(index);
  const out: string[] = [];
  for (let i = 0, n = lower.length; i < n; ) {
    if (!isTokenChar(lower.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    for (i++; i < n && isTokenChar(lower.charCodeAt(i)); i++);
    const length = i - start;
    if (length >= 2 && length >= min && length <= max && starts[lower.charCodeAt(start) * 128 + lower.charCodeAt(start + 1)] === 1) out.push(lower.slice(start, i));
  }
  return out;
}

/** 1–3. Structure first: error codes as whole tokens, enhanced status codes (exact before class-wide), reply codes. */
function scoreCodes(index: EngineIndex, lower: string, signals: Signals, scores: Scores): void {
  const tokens = codeTokens(index, lower);
  const seenTokens = tokens.length > 0 ? new Set<string>() : null;
  for (const token of tokens) {
    if (!index.errorCodes.has(token) || seenTokens?.has(token)) continue;
    seenTokens?.add(token);
    // A mail client's own summary code (0x800CCC78) wraps the server's reply; when the reply is there, it decides.
    const weight = CLIENT_CODE.test(token) && (signals.statusCodes.length > 0 || signals.replyCodes.length > 0) ? WEIGHTS.wrappedClientCode : WEIGHTS.errorCode;
    for (const i of index.errorCodes.get(token) ?? []) {
      const t = tally(scores.tallies, i);
      t.score += weight / (1 + t.evidence.filter((e) => e.kind === 'error-code').length);
      t.evidence.push({ kind: 'error-code', value: index.errorCodeNames.get(token) ?? token, weight });
    }
  }
  for (const sc of signals.statusCodes) {
    for (const i of index.statusExact.get(sc) ?? []) {
      const t = tally(scores.tallies, i);
      t.score += WEIGHTS.statusExact;
      t.evidence.push({ kind: 'status-code', value: sc, weight: WEIGHTS.statusExact });
    }
    for (const i of index.statusClass.get(sc.slice(2)) ?? []) {
      const t = tally(scores.tallies, i);
      if (t.evidence.some((e) => e.kind === 'status-code')) continue;
      t.score += WEIGHTS.statusClass;
      t.evidence.push({ kind: 'status-code', value: sc, weight: WEIGHTS.statusClass });
    }
  }
  // Weak alone, reply codes tip the balance between entries with other evidence.
  for (const rc of signals.replyCodes) {
    for (const i of index.replyCodes.get(rc) ?? []) {
      const t = tally(scores.tallies, i);
      if (t.evidence.some((e) => e.kind === 'reply-code')) continue;
      t.score += WEIGHTS.replyCode;
      t.evidence.push({ kind: 'reply-code', value: String(rc), weight: WEIGHTS.replyCode });
    }
  }
}

/** One part of a word combination a pattern belongs to, by number: a hit costs no lookup by the combination's key. */
interface ComboSlot {
  /** The combination's number. */
  id: number;
  /** id × maxParts + part: where partSeen notes the part. */
  at: number;
  target: Extract<PhraseTarget, { kind: 'combo' }>;
}

/** Each word combination of an index as a number, its part count, and per scan which of its parts were hit. */
interface ComboTable {
  /** By pattern: the combination parts it belongs to (empty for most patterns). */
  slots: ComboSlot[][];
  partCount: number[];
  /** Stamp of the last scan that hit part p of combination i, at i × maxParts + p. */
  partSeen: Uint32Array;
  /** Distinct parts hit of combination i in the scan of stamp `countStamp[i]`. */
  count: Int32Array;
  countStamp: Uint32Array;
  stamp: number;
}

const comboTables = new WeakMap<EngineIndex, ComboTable>();

function comboTable(index: EngineIndex): ComboTable {
  let table = comboTables.get(index);
  if (!table) {
    const ids = new Map<string, number>();
    const partCount: number[] = [];
    let maxParts = 1;
    for (const phrase of index.phrases) {
      for (const target of phrase.targets) {
        if (target.kind !== 'combo') continue;
        maxParts = Math.max(maxParts, target.part + 1);
        if (ids.has(target.key)) continue;
        ids.set(target.key, partCount.length);
        partCount.push(index.kb.entries[target.index]?.signals.combos[target.combo]?.length ?? 0);
      }
    }
    const slots = index.phrases.map((phrase) => {
      const list: ComboSlot[] = [];
      for (const target of phrase.targets) {
        const id = target.kind === 'combo' ? ids.get(target.key) : undefined;
        if (target.kind === 'combo' && id !== undefined) list.push({ id, at: id * maxParts + target.part, target });
      }
      return list;
    });
    table = { slots, partCount, partSeen: new Uint32Array(partCount.length * maxParts), count: new Int32Array(partCount.length), countStamp: new Uint32Array(partCount.length), stamp: 0 };
    comboTables.set(index, table);
  }
  return table;
}

/**
 * The combination words of one form (pairs of start, pattern) as the map scoreCombos reads — key, then part, then
 * hits in order — for the combinations with every part hit (the others never count: scoreCombos and matchedRules
 * pass them over), in the order their first word was hit, as the map filled at every hit had them.
 */
function completeCombos(index: EngineIndex, words: readonly number[]): ReadonlyMap<string, ComboHits> {
  const table = comboTable(index);
  table.stamp = (table.stamp + 1) >>> 0;
  if (table.stamp === 0) {
    table.partSeen.fill(0);
    table.countStamp.fill(0);
    table.stamp = 1;
  }
  const { slots, partSeen, count, countStamp, stamp, partCount } = table;
  for (let w = 1; w < words.length; w += 2) {
    for (const { id, at } of slots[words[w] ?? -1] ?? []) {
      if (partSeen[at] === stamp) continue;
      partSeen[at] = stamp;
      if (countStamp[id] !== stamp) {
        countStamp[id] = stamp;
        count[id] = 0;
      }
      count[id] = (count[id] ?? 0) + 1;
    }
  }
  let hits: Map<string, ComboHits> | null = null;
  for (let w = 0; w + 1 < words.length; w += 2) {
    const pattern = words[w + 1] ?? -1;
    for (const { id, target } of slots[pattern] ?? []) {
      if (countStamp[id] !== stamp || (count[id] ?? 0) < (partCount[id] ?? 0)) continue;
      hits ??= new Map();
      let combo = hits.get(target.key);
      if (!combo) {
        combo = { index: target.index, combo: target.combo, parts: new Map() };
        hits.set(target.key, combo);
      }
      const list = combo.parts.get(target.part) ?? [];
      list.push({ at: words[w] ?? 0, text: index.phrases[pattern]?.text ?? '' });
      combo.parts.set(target.part, list);
    }
  }
  return hits ?? NO_HITS;
}

/** A form without combination words: one empty map for all (never written to). */
const NO_HITS: ReadonlyMap<string, ComboHits> = new Map();

/**
 * 4. One pass of the automaton over each form of the compact text: the phrases found, and where the words of each
 * word combination stand (per form, since positions differ between forms).
 */
function scanPhrases(index: EngineIndex, forms: string[]): { found: Set<PhraseInfo>; comboHits: ReadonlyMap<string, ComboHits>[] } {
  const found = new Set<PhraseInfo>();
  const comboHits: ReadonlyMap<string, ComboHits>[] = [];
  // One handler for every form. Combination words are common words: their hits are noted as numbers (where, which
  // pattern), and their map is made afterwards for the combinations whose every part was hit, the only ones that can
  // count (making it for every combination a word belongs to was a sixth of what classify allocated).
  const words: number[] = [];
  const onHit = (start: number, patternIndex: number): void => {
    const phrase = index.phrases[patternIndex];
    if (!phrase) return;
    found.add(phrase);
    if (phrase.inCombo) words.push(start, patternIndex);
  };
  for (const text of forms) {
    words.length = 0;
    index.automaton.scan(text, onHit);
    comboHits.push(words.length === 0 ? NO_HITS : completeCombos(index, words));
  }
  return { found, comboHits };
}

function applyPhrase(scores: Scores, phrase: PhraseInfo): void {
  for (const target of phrase.targets) {
    if (target.kind === 'combo') continue;
    if (target.kind === 'topic') {
      scores.topics.set(target.index, (scores.topics.get(target.index) ?? 0) + phrase.weight);
    } else if (target.role === 'exclude') {
      tally(scores.tallies, target.index).vetoed = true;
    } else if (target.role === 'error-code') {
      const t = tally(scores.tallies, target.index);
      t.score += WEIGHTS.errorCode;
      t.evidence.push({ kind: 'error-code', value: phrase.text, weight: WEIGHTS.errorCode });
    } else {
      const t = tally(scores.tallies, target.index);
      t.phraseWeights.push(phrase.weight);
      t.evidence.push({ kind: 'phrase', value: phrase.text, weight: Math.round(phrase.weight * 100) / 100 });
    }
  }
}

/** 5. Word combinations: every part present, within a sentence or two of each other; each counts once. */
function scoreCombos(index: EngineIndex, comboHits: ReadonlyMap<string, ComboHits>[], scores: Scores): void {
  const matched = new Set<string>();
  for (const hits of comboHits) {
    for (const [key, combo] of hits) {
      const parts = index.kb.entries[combo.index]?.signals.combos[combo.combo];
      if (!parts || matched.has(key) || combo.parts.size < parts.length) continue;
      const words = closeTogether(combo.parts, parts.length);
      if (!words) continue;
      matched.add(key);
      const t = tally(scores.tallies, combo.index);
      const w = comboWeight(words);
      t.phraseWeights.push(w);
      t.evidence.push({ kind: 'phrase', value: words.join(' + '), weight: Math.round(w * 100) / 100 });
    }
  }
}

/** 7. A bare 4xx (or 4.x.x) with nothing more specific: the class's fallback entry, with little weight. */
function scoreClassFallback(index: EngineIndex, signals: Signals, scores: Scores): void {
  // Most texts have no code: that is asked first.
  if (signals.statusCodes.length === 0 && signals.replyCodes.length === 0) return;
  for (const t of scores.tallies.values()) if (t.phraseWeights.length > 0 || t.evidence.some((e) => e.kind !== 'reply-code')) return;
  // Added one by one, not spread from map()s: the code lists of a text are empty or not, of one kind of array or
  // another, and map() over them had this function compiled anew every few thousand lines of `classify --jsonl`.
  const classes = new Set<string>();
  for (const s of signals.statusCodes) classes.add(s.charAt(0));
  for (const r of signals.replyCodes) classes.add(String(r).charAt(0));
  for (const cls of classes) {
    for (const i of index.classFallback.get(cls) ?? []) {
      const t = tally(scores.tallies, i);
      t.score += WEIGHTS.classFallback;
      t.evidence.push({ kind: 'status-code', value: `${cls}.x.x`, weight: WEIGHTS.classFallback });
    }
  }
}

export interface Ranked {
  entry: KnowledgeEntry;
  score: number;
  evidence: Evidence[];
}

/** The best entry of each category, best first; vetoed entries and entries whose port condition fails drop out. */
function rank(entries: KnowledgeEntry[], signals: Signals, scores: Scores): Ranked[] {
  const ranked: Ranked[] = [];
  for (const [i, t] of scores.tallies) {
    const entry = entries[i];
    if (!entry || t.vetoed) continue;
    let score = t.score + phraseScore(t.phraseWeights);
    if (score <= 0) continue;
    const wanted = entry.signals.ports;
    if (wanted.length > 0) {
      const port = wanted.find((p) => signals.ports.includes(p));
      if (port === undefined) continue;
      score += WEIGHTS.port;
      t.evidence.push({ kind: 'port', value: String(port), weight: WEIGHTS.port });
    }
    ranked.push({ entry, score: score + entry.priority * 0.01, evidence: t.evidence });
  }
  ranked.sort((a, b) => b.score - a.score || byText(a.entry.id, b.entry.id));
  const perCategory: Ranked[] = [];
  for (const r of ranked) if (!perCategory.some((p) => p.entry.category === r.entry.category)) perCategory.push(r);
  return perCategory;
}


// Long pastes: the decisive line wins, not the most repeated one. A permanent failure (5xx, 5.x.x) outranks the
// temporary ones (4xx) and mere error words; among equals the last one, which ends the transaction, decides.
const LONG_PASTE_CHARS = 3000;
const LONG_PASTE_LINES = 30;
/** Lines kept on each side of the decisive one: multi-line replies and a client's summary around them. */
const REGION_LINES = 4;
const PERMANENT = /(?:^|[\s:(\[;'"=>-])5[0-5]\d(?:[\s-]|$)|(?:^|[^\d.])5\.\d{1,3}\.\d{1,3}(?:[^\d]|$)/;
const TEMPORARY = /(?:^|[\s:(\[;'"=>-])4[0-5]\d(?:[\s-]|$)|(?:^|[^\d.])4\.\d{1,3}\.\d{1,3}(?:[^\d]|$)/;
const FAILURE_WORDS = /error|fail|denied|reject|refus|unable|cannot|can't|could not|timed out|timeout|exception|not accepted|blocked|エラー|失敗|できな|拒否|見つから|タイムアウト/;

function severity(line: string): number {
  if (PERMANENT.test(line)) return 3;
  if (TEMPORARY.test(line)) return 2;
  return FAILURE_WORDS.test(line) ? 1 : 0;
}

/** The lines around the decisive one of a long paste, as [first, end) line numbers; null when the paste is short or names no failure. */
export function decisiveLines(lower: string): [number, number] | null {
  if (lower.length < LONG_PASTE_CHARS) return null;
  const lines = lower.split('\n');
  if (lines.length < LONG_PASTE_LINES) return null;
  let best = -1;
  let bestSeverity = 0;
  lines.forEach((line, i) => {
    const s = line.length > 2000 ? severity(line.slice(0, 2000)) : severity(line);
    if (s > 0 && s >= bestSeverity) {
      best = i;
      bestSeverity = s;
    }
  });
  return best < 0 ? null : [Math.max(0, best - REGION_LINES), best + REGION_LINES + 1];
}

function linesOf(text: string, [first, end]: [number, number]): string {
  return text.split('\n').slice(first, end).join('\n');
}

/** A paste read once: every form the rules and the model look at. */
export interface Reading {
  redacted: string;
  truncated: boolean;
  lang: Lang;
  /** Signals of the whole paste (hosts, addresses, ports for probes and context). */
  signals: Signals;
  /** Signals of the part that is scored: the decisive region of a long paste, else the whole paste. */
  scored: Signals;
  /** The scored part, lower case, process ids out. */
  lower: string;
  /** The whole paste in canonical compact form (context words). */
  wholeCompact: string;
  /** The model's features by name: only when asked for (explanations, training); classify reads `hashes` alone. */
  features: string[];
  /** The model's features as 32-bit hashes, and which of them are words or codes (not the text's shape). */
  hashes: number[];
  word: boolean[];
  /** `lower` with identifiers masked (signals.ts `maskIdentifiers`), shared by the model and the rules. */
  masked: string;
  /** The paste names something other than mail (a database, git, a web request) and nothing of mail (about.ts). */
  otherOnly: boolean;
}

/**
 * `features`: the model's features by name even without a model (training); `identifiers: false`: codes only, and the
 * features as hashes alone (classify).
 */
export interface ReadOptions extends DiagnoseOptions {
  features?: boolean;
  identifiers?: boolean;
}

export function read(index: EngineIndex, input: string, options: ReadOptions = {}): Reading {
  const norm = normalize(input);
  const redacted = redact(norm.text);
  const whole = withoutProcessIds(redacted.toLowerCase());
  const cased = withoutProcessIds(redacted);
  const region = decisiveLines(whole);
  const signals = extractSignals(cased, whole, options.identifiers === false && region === null ? 'codes' : 'all');
  const lower = region === null ? whole : linesOf(whole, region);
  const scored = region === null ? signals : extractSignals(linesOf(cased, region), lower, 'codes');
  const masked = maskIdentifiers(lower);
  let features: string[] = [];
  let hashes: number[] = [];
  let word: boolean[] = [];
  if (options.features || (index.model && options.identifiers !== false)) {
    features = featuresOf(lower, scored, index.canon, compact, masked);
    // Pushed as the hash sink pushes them: an array made by map() is of another kind (holey), and the functions that
    // read both (classify's and diagnose's, in one process) were compiled anew for the other at every change.
    for (const f of features) {
      hashes.push(featureHash(f));
      word.push(!f.startsWith('f:'));
    }
  } else if (index.model) {
    const sink = new HashSink();
    readFeatures(lower, scored, index.canon, compact, sink, masked);
    ({ hashes, word } = sink);
  }
  return {
    redacted,
    truncated: norm.truncated,
    lang: options.lang ?? detectLang(redacted),
    signals,
    scored,
    lower,
    wholeCompact: region === null ? '' : index.canon(compact(whole)),
    features,
    hashes,
    word,
    masked,
    // An enhanced status code and a mail port are mail's own, whatever else the paste names.
    otherOnly: index.about !== null && signals.statusCodes.length === 0 && scored.statusCodes.length === 0 && !signals.ports.some((p) => MAIL_PORTS.has(p)) && index.about.otherOnly(whole),
  };
}

/** What the rules and the model say of a reading, before they are combined. */
export interface Judgement {
  reading: Reading;
  /** The best entry of each category by the rules, best first (strength: 0..1 from the evidence alone). */
  rules: (Ranked & { strength: number; strong: boolean })[];
  topics: TopicHit[];
  /** The model's probability per class (empty without a model). */
  probs: Float64Array;
  prediction: Prediction | null;
}

/**
 * The phrases of a reading, found in its two compact forms: as written (multi-line reply codes joined) and with its
 * values masked (one phrase covers every instance of a message template). `c` is the first form.
 */
function scanReading(index: EngineIndex, reading: Reading): { c: string } & ReturnType<typeof scanPhrases> {
  // The masked form first: it is most often the text the model's features were read from, whose compact and canonical
  // forms are still at hand (compact and canon keep their last answer).
  const masked = index.canon(compact(maskQuoted(reading.masked)));
  const c = index.canon(compact(joinContinuations(reading.lower)));
  return { c, ...scanPhrases(index, masked === c ? [c] : [c, masked]) };
}

export function judge(index: EngineIndex, input: string, options: ReadOptions = {}): Judgement {
  const reading = read(index, input, options);
  const { lower, scored } = reading;
  const { c, found, comboHits } = scanReading(index, reading);
  const scores: Scores = { tallies: new Map(), topics: new Map() };
  scoreCodes(index, lower, scored, scores);
  for (const phrase of found) applyPhrase(scores, phrase);
  scoreCombos(index, comboHits, scores);
  scoreClassFallback(index, scored, scores);
  // Each field by name, not `...r`: in Node 20 the spread copies ended up in the old generation (measured: ~1 KB a line
  // of garbage left for a full collection, 20 MB over 20,000 lines, peak RSS of classify ~100 MB -> ~80 MB).
  const rules = rank(index.kb.entries, scored, scores).map((r) => ({
    entry: r.entry,
    score: r.score,
    evidence: r.evidence,
    strength: confidenceOf(r.score, 0),
    // A bare reply code, or a 4xx with nothing more specific, names a class of failure, not its cause.
    strong: r.evidence.some((e) => e.kind !== 'reply-code' && !(e.kind === 'status-code' && e.value.endsWith('.x.x'))),
  }));
  const topics: TopicHit[] =
    scores.topics.size === 0
      ? []
      : [...scores.topics]
          .map(([i, score]) => ({ topic: index.kb.topics[i] as Topic, score }))
          .filter((t) => t.topic !== undefined)
          .sort((a, b) => b.score - a.score);
  if (!reading.wholeCompact) reading.wholeCompact = c;
  const prediction = !index.model
    ? null
    : reading.features.length > 0
      ? predict(index.model, reading.features, true, reading.hashes)
      : predictHashes(index.model, reading.hashes, reading.word);
  // A text the model knows nothing of (empty, or all new words) is left to the rules: its priors are no evidence.
  const probs = prediction && prediction.knownCount > 0 ? prediction.probs : new Float64Array(0);
  return { reading, rules, topics, probs, prediction };
}

/** The phrase keys and combos ("entry:combo") a paste sets off: what cross-validation leaves out when a paste is held out. */
export function matchedRules(index: EngineIndex, input: string): { phrases: Set<string>; combos: Set<string> } {
  const { found, comboHits } = scanReading(index, read(index, input));
  const phrases = new Set<string>();
  for (const p of found) if (p.targets.some((t) => t.kind === 'entry' && t.role === 'phrase')) phrases.add(p.key);
  const combos = new Set<string>();
  for (const hits of comboHits) {
    for (const [key, combo] of hits) {
      const parts = index.kb.entries[combo.index]?.signals.combos[combo.combo];
      if (parts && closeTogether(combo.parts, parts.length)) combos.add(key);
    }
  }
  return { phrases, combos };
}

/** What the speak-up model reads, in this order (weights in Combination.speak.weights). */
export const SPEAK_FEATURES = ['bias', 'score', 'rule', 'model', 'chat', 'margin', 'status-code', 'reply-code', 'error-code', 'length', 'lines', 'error-head', 'other-than-mail'] as const;

export function speakFeatures(
  j: Judgement,
  best: { score: number; rule: number; model: number; margin: number },
  chat: number,
): number[] {
  const s = j.reading.scored;
  const lines = lineCount(j.reading.lower, 5);
  return [
    1,
    best.score,
    best.rule,
    best.model,
    chat,
    best.margin,
    s.statusCodes.length > 0 ? 1 : 0,
    s.replyCodes.length > 0 ? 1 : 0,
    s.errorCodes.length > 0 ? 1 : 0,
    Math.log1p(j.reading.lower.length) / 10,
    lines > 3 ? 1 : 0,
    j.probs.length > 0 ? (j.prediction?.error ?? 0.5) : 0.5,
    j.reading.otherOnly ? 1 : 0,
  ];
}

/** `text.split('\n', max).length`, without making the pieces. */
function lineCount(text: string, max: number): number {
  let n = 1;
  for (let at = text.indexOf('\n'); at >= 0 && n < max; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

export function speakProbability(weights: readonly number[], x: readonly number[]): number {
  let z = 0;
  for (let i = 0; i < x.length; i++) z += (weights[i] ?? 0) * (x[i] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

// A transcript or log whose every SMTP reply and status code says the server took the step, with words of success
// and none of failure, reports no failure: a successful swaks session, `status=sent (250 2.0.0 Ok)`, "Message accepted
// for delivery". The model knows codes mostly from failures, and would otherwise answer these with one.
const SUCCESS_WORDS = /\b(?:ok|okay|queued|accepted|sent|delivered|successful(?:ly)?|bye|ready to start tls)\b|成功|完了|送信しました|受け付けました/;
const NOT_SUCCESS = new RegExp(`${FAILURE_WORDS.source}|not |never|bounce|defer|invalid|problem|expected|but got|limit|届か|送れ|問題|応答がな|ありません`);
const SUCCESS_REPLY = new Set([220, 221, 235, 250, 251, 252, 334, 354]);
/** Words of the protocol that have the shape of an errno (E + capitals) and say nothing of a failure. */
const ACCEPTING_LINE = /(?:^|\D)(?:23[05]|25[0-2]|2\.\d{1,3}\.\d{1,3})(?:\D|$)/;
const TELLING_ACCEPTANCE = /queued|accepted|status=sent|delivered|successful/i;

/**
 * The line of a paste that shows the send went through — the last one that says queued, accepted or sent, else the last
 * with a success code — from its code on when the line is long, at most 80 characters.
 */
function acceptedLine(redacted: string): string | undefined {
  const lines = redacted.split('\n').filter((l) => ACCEPTING_LINE.test(l)).reverse();
  const line = lines.find((l) => TELLING_ACCEPTANCE.test(l)) ?? lines[0];
  if (!line) return undefined;
  let text = line.replace(/^[\s<>~=-]+/, '').trim();
  const at = text.length > 80 ? text.search(/status=|\b2[35]\d\b/) : -1;
  if (at > 0) text = text.slice(at);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** The paste reports a step the server accepted, and nothing that failed (see SUCCESS_WORDS). */
export function reportsSuccess(reading: Reading): boolean {
  const s = reading.scored;
  if (s.replyCodes.length === 0 && s.statusCodes.length === 0) return false;
  if (s.errorCodes.length > 0 || !s.replyCodes.every((c) => SUCCESS_REPLY.has(c)) || !s.statusCodes.every((c) => c.startsWith('2.'))) return false;
  return SUCCESS_WORDS.test(reading.lower) && !NOT_SUCCESS.test(reading.lower);
}

/** Without a learned model the rules decide alone, with the thresholds they always had (speak at a score of 0.5). */
export const RULES_ONLY: Combination = { ruleWeight: 1, minScore: MIN_CONFIDENCE, speak: { weights: [-1000 * RESPOND_CONFIDENCE, 1000], threshold: 0.5 } };

export interface Decision {
  category: CategoryId;
  /** Combined score of the answer, 0..1. */
  score: number;
  respond: boolean;
  /** Combined score per category, best first. */
  ranked: { category: Exclude<CategoryId, 'unknown'>; score: number }[];
  /** The paste shows the server accepting every step and nothing failing (see reportsSuccess): `unknown`, silent. */
  accepted?: true;
}

/**
 * Rules and model as one calibrated score per category: a weighted mean of the rules' strength (only where their
 * evidence is more than a bare reply code) and the model's probability, with the weight fitted by cross-validation
 * (scripts/train.ts). Whether a bot speaks up unasked is a second small model fitted the same way; a question about
 * an error stays chat unless the rules' own evidence is overwhelming (the model has seen too few such questions).
 */
export function decide(j: Judgement, classes: readonly string[], comb: Combination, isAQuestion: boolean): Decision {
  // One score per category in a plain array, sorted in place: no map, no copies (a map made, spread, mapped and sorted
  // at every paste was a quarter of what classify allocated). The rules' categories come first, then every class's.
  const ranked: { category: Exclude<CategoryId, 'unknown'>; score: number }[] = [];
  const a = j.probs.length > 0 ? comb.ruleWeight : 1;
  for (const r of j.rules) setScore(ranked, r.entry.category as Exclude<CategoryId, 'unknown'>, a * (ruleStrength(j, r.entry.category) ?? 0));
  const fromRules = ranked.length;
  for (let i = 0; i < classes.length; i++) {
    const cls = classes[i];
    if (cls === 'chat' || cls === undefined) continue;
    const k = cls as Exclude<CategoryId, 'unknown'>;
    let known = -1;
    for (let at = 0; at < fromRules && known < 0; at++) if (ranked[at]?.category === k) known = at;
    const score = (known >= 0 ? (ranked[known]?.score ?? 0) : 0) + (1 - a) * (j.probs[i] ?? 0);
    if (known >= 0) ranked[known] = { category: k, score };
    else ranked.push({ category: k, score });
  }
  // Every category once, so this order is total: any sort gives the same one. Insertion sort: some twenty items.
  for (let i = 1; i < ranked.length; i++) {
    const item = ranked[i]!;
    let at = i;
    for (; at > 0 && byScore(ranked[at - 1]!, item) > 0; at--) ranked[at] = ranked[at - 1]!;
    ranked[at] = item;
  }
  const best = ranked[0];
  if (reportsSuccess(j.reading)) return { category: 'unknown', score: 0, respond: false, ranked, accepted: true };
  if (!best || best.score < comb.minScore) return { category: 'unknown', score: 0, respond: false, ranked };
  const chat = j.probs[classes.indexOf('chat')] ?? 0;
  const rule = ruleStrength(j, best.category) ?? 0;
  const model = j.probs[classes.indexOf(best.category)] ?? 0;
  const x = speakFeatures(j, { score: best.score, rule, model, margin: best.score - (ranked[1]?.score ?? 0) }, chat);
  const respond = speakProbability(comb.speak.weights, x) >= comb.speak.threshold && (!isAQuestion || rule >= QUESTION_OVERRIDE);
  return { category: best.category, score: best.score, respond, ranked };
}

/** Best first, then by name. */
function byScore(x: { category: string; score: number }, y: { category: string; score: number }): number {
  return y.score - x.score || byText(x.category, y.category);
}

/** The strength of the rules' strong entry of a category (the last, as a map filled in rule order would keep), if any. */
function ruleStrength(j: Judgement, category: string): number | undefined {
  let strength: number | undefined;
  for (const r of j.rules) if (r.strong && r.entry.category === category) strength = r.strength;
  return strength;
}

/** A category's score, set where it is already in the list (as a map's set would), else added. */
function setScore(ranked: { category: Exclude<CategoryId, 'unknown'>; score: number }[], category: Exclude<CategoryId, 'unknown'>, score: number): void {
  const at = ranked.findIndex((x) => x.category === category);
  if (at >= 0) ranked[at] = { category, score };
  else ranked.push({ category, score });
}

/** The entry of a category closest to the paste: the rules' own when they found one, else the one whose examples share most features. */
function entryFor(index: EngineIndex, j: Judgement, category: CategoryId): { entry: KnowledgeEntry; evidence: Evidence[] } | null {
  const byRules = j.rules.find((r) => r.entry.category === category && r.strong);
  if (byRules) return { entry: byRules.entry, evidence: byRules.evidence };
  const examples = exampleIndex(index).get(category);
  if (!examples) return null;
  // Shared features per example through the postings of the paste's features: the cost is the features' postings, not
  // every example times every feature.
  const shared = new Uint16Array(examples.entries.length);
  const features = j.reading.hashes;
  const { keys, starts, ids } = examples;
  for (const f of features) {
    const k = findKey(keys, f);
    if (k < 0) continue;
    for (let p = starts[k] ?? 0, end = starts[k + 1] ?? 0; p < end; p++) {
      const e = ids[p] ?? 0;
      shared[e] = (shared[e] ?? 0) + 1;
    }
  }
  let best = -1;
  let bestOverlap = -1;
  const size = Math.max(1, features.length);
  for (let e = 0; e < examples.entries.length; e++) {
    const overlap = (shared[e] ?? 0) / Math.sqrt((examples.sizes[e] ?? 0) * size);
    if (overlap > bestOverlap) {
      best = e;
      bestOverlap = overlap;
    }
  }
  const entry = examples.entries[best];
  return entry ? { entry, evidence: [] } : null;
}

/** The entry that stands for a category when nothing more is known: the highest priority, then the first by file. */
export function defaultEntry(index: EngineIndex, category: CategoryId): KnowledgeEntry | undefined {
  let best: KnowledgeEntry | undefined;
  for (const e of index.kb.entries) if (e.category === category && (!best || e.priority > best.priority)) best = e;
  return best;
}

/**
 * Each category's entry examples as the model reads them: the example's entry and feature count, and for each feature
 * the examples that have it — as sorted typed arrays (feature hash → a run of example numbers), not a map of lists:
 * ~0.1 MB where the map took 2 MB, the whole life of a process.
 */
/** The position of a feature hash in `keys`, or -1. */
function findKey(keys: Uint32Array, f: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid] ?? 0;
    if (k === f) return mid;
    if (k < f) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

const exampleCache = new WeakMap<EngineIndex, Map<CategoryId, ExampleIndex>>();

/**
 * Made on first use, once per index — or read from what `npm run build` stored for the whole knowledge base (an index
 * with its model: the postings are of the hashes classify reads).
 */
function exampleIndex(index: EngineIndex): Map<CategoryId, ExampleIndex> {
  let cached = exampleCache.get(index);
  if (!cached && index.model && index.storedExamples) {
    cached = index.storedExamples() ?? undefined;
    if (cached) exampleCache.set(index, cached);
  }
  if (!cached) {
    cached = makeExampleIndex(index);
    exampleCache.set(index, cached);
  }
  return cached;
}

/** The postings made from the examples (what `npm run build` stores: see examples.ts). */
export function makeExampleIndex(index: EngineIndex): Map<CategoryId, ExampleIndex> {
  const byCategory = new Map<CategoryId, { entries: KnowledgeEntry[]; sizes: number[]; pairs: number[] }>();
  // With a model the features come as hashes straight from their parts (the same hashes as from their names).
  const options: ReadOptions = index.model ? { identifiers: false } : { features: true };
  for (const entry of index.kb.entries) {
    let ex = byCategory.get(entry.category);
    if (!ex) {
      ex = { entries: [], sizes: [], pairs: [] };
      byCategory.set(entry.category, ex);
    }
    for (const text of entry.examples) {
      const features = read(index, text, options).hashes;
      const e = ex.entries.length;
      ex.entries.push(entry);
      ex.sizes.push(features.length);
      for (const f of features) ex.pairs.push(f, e);
    }
  }
  const made = new Map<CategoryId, ExampleIndex>();
  for (const [category, ex] of byCategory) {
    const order = Array.from({ length: ex.pairs.length / 2 }, (_, i) => i);
    order.sort((a, b) => (ex.pairs[2 * a] ?? 0) - (ex.pairs[2 * b] ?? 0) || a - b);
    const keys: number[] = [];
    const starts: number[] = [];
    const ids = new Uint16Array(order.length);
    order.forEach((o, p) => {
      const f = ex.pairs[2 * o] ?? 0;
      if (keys.length === 0 || keys[keys.length - 1] !== f) {
        keys.push(f);
        starts.push(p);
      }
      ids[p] = ex.pairs[2 * o + 1] ?? 0;
    });
    starts.push(order.length);
    made.set(category, { entries: ex.entries, sizes: Uint16Array.from(ex.sizes), keys: Uint32Array.from(keys), starts: Uint32Array.from(starts), ids });
  }
  return made;
}

/** Longest piece of the user's text quoted as evidence. */
const EVIDENCE_MAX_CHARS = 40;

/**
 * The model's evidence in the user's own words: the places of its strongest features in the paste, merged where they
 * touch (「パスワ」「スワード」 → 「パスワード」), strongest first; words the rules already quote are left out.
 */
function modelEvidence(model: Model, j: Judgement, category: CategoryId, shown: Evidence[]): Evidence[] {
  const cls = model.classes.indexOf(category as ModelClass);
  if (cls < 0 || !j.prediction) return [];
  const lower = j.reading.lower;
  let map: { text: string; at: number[] } | undefined;
  const compactMap = (): { text: string; at: number[] } => (map ??= compactWithPositions(lower));
  const spans: { start: number; end: number; weight: number }[] = [];
  for (const c of contributions(model, j.prediction, cls).slice(0, 40)) {
    const at = locate(lower, c.name, compactMap);
    if (at) spans.push({ start: at[0], end: at[1], weight: c.weight });
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: typeof spans = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end + 1) {
      last.end = Math.max(last.end, s.end);
      last.weight += s.weight;
    } else merged.push({ ...s });
  }
  const already = shown.map((e) => compact(e.value.toLowerCase())).filter((a) => a.length > 0);
  return merged
    .map((m) => ({ text: lower.slice(m.start, m.end).trim(), weight: m.weight }))
    .filter((m) => m.text.length >= 2 && m.text.length <= EVIDENCE_MAX_CHARS && !already.some((a) => a.includes(compact(m.text)) || compact(m.text).includes(a)))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 3)
    .map((m) => ({ kind: 'model' as const, value: m.text, weight: Math.round(m.weight * 100) / 100 }));
}

function confidenceFrom(decision: Decision): number {
  const second = decision.ranked[1]?.score ?? 0;
  const margin = decision.score > 0 ? Math.max(0, Math.min(1, (decision.score - second) / decision.score + 0.5)) : 0;
  return Math.round(decision.score * margin * 1000) / 1000;
}

export function analyze(index: EngineIndex, input: string, options: DiagnoseOptions = {}): Analysis {
  const j = judge(index, input, options);
  const { reading } = j;
  const comb = index.model?.file.combination ?? RULES_ONLY;
  const decision = decide(j, index.model?.classes ?? [], comb, isQuestion(reading.redacted));
  const chosen = decision.category === 'unknown' ? null : entryFor(index, j, decision.category);
  const known = chosen !== null;
  const evidence: Evidence[] = known ? [...chosen.evidence] : [];
  if (known && index.model && j.prediction) evidence.push(...modelEvidence(index.model, j, decision.category, evidence));
  const confidence = known ? confidenceFrom(decision) : 0;
  const diagnosis: Diagnosis = {
    category: known ? decision.category : 'unknown',
    entry: known ? chosen.entry : null,
    confidence,
    respond: known && decision.respond,
    lang: reading.lang,
    evidence: evidence.sort((x, y) => y.weight - x.weight),
    alternatives: decision.ranked
      .filter((r) => r.category !== decision.category && r.score > 0)
      .slice(0, 3)
      .map((r) => {
        // An alternative is named, not explained: the rules' entry, else the category's first by priority.
        const alt = j.rules.find((x) => x.entry.category === r.category) ?? { entry: defaultEntry(index, r.category) };
        // Relative to the winner: an alternative is never surer than the answer given.
        return { category: r.category, entry: alt.entry?.id ?? '', confidence: Math.min(known ? confidence : 1, Math.round(r.score * 1000) / 1000) };
      })
      .filter((r) => r.entry !== ''),
    signals: reading.signals,
    context: extractContext(index, reading.wholeCompact, reading.signals.ports),
    redacted: reading.redacted,
    truncated: reading.truncated,
  };
  if (decision.accepted) {
    const accepted = acceptedLine(reading.redacted);
    if (accepted) diagnosis.accepted = accepted;
  }
  return { diagnosis, topics: j.topics };
}

/** The answer alone, without evidence, alternatives or context: what `classify --jsonl` prints, at the least cost. */
export function classify(index: EngineIndex, input: string): { category: CategoryId; confidence: number; respond: boolean; entry: string | null; truncated: boolean } {
  const j = judge(index, input, { identifiers: false });
  const decision = decide(j, index.model?.classes ?? [], index.model?.file.combination ?? RULES_ONLY, isQuestion(j.reading.redacted));
  const chosen = decision.category === 'unknown' ? null : entryFor(index, j, decision.category);
  return {
    category: chosen ? decision.category : 'unknown',
    confidence: chosen ? confidenceFrom(decision) : 0,
    respond: chosen !== null && decision.respond,
    entry: chosen?.entry.id ?? null,
    truncated: j.reading.truncated,
  };
}

export function diagnose(index: EngineIndex, input: string, options: DiagnoseOptions = {}): Diagnosis {
  return analyze(index, input, options).diagnosis;
}
