/**
 * The engine: normalise → redact → extract signals → rank knowledge entries → diagnosis. Pure and deterministic:
 * the same text and index give the same answer, with no I/O and no state kept between calls.
 */
import Fuse from 'fuse.js';
import { phraseWeight, trigrams, type EngineIndex, type PhraseInfo } from './index.js';
import { compact, detectLang, normalize, spaced } from './normalize.js';
import { redact } from './redact.js';
import { extractSignals, maskValues } from './signals.js';
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
  /** Fuzzy matches count for less than exact ones. */
  fuzzyFactor: 0.7,
} as const;

const CLIENT_CODE = /^0x[0-9a-f]{8}$/;

/** Below this confidence the answer is `unknown`. */
export const MIN_CONFIDENCE = 0.35;
/** A bot watching a channel speaks up unasked only at or above this. */
export const RESPOND_CONFIDENCE = 0.5;
/** Evidence this strong is an error paste even when the message ends with a question. */
const QUESTION_OVERRIDE = 0.85;
/** Fuzzy matching runs on short texts only: its cost grows with the length of the text. */
const FUZZY_MAX_CHARS = 400;
const FUZZY_SEGMENT_CHARS = 64;
const FUZZY_THRESHOLD = 0.25;
/** Share of a phrase's trigrams the text must contain before fuse.js is asked to compare them. */
const FUZZY_MIN_GRAM_SHARE = 0.5;

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

/**
 * Multi-line SMTP replies repeat their codes on every line ("550-5.7.1 … not authorized to\n550-5.7.1 send email …"),
 * which would cut phrases in two; phrases are matched with the repeats taken out.
 */
function joinContinuations(lower: string): string {
  const first = /(?:^|\s)([245]\d\d[- ](?:[245]\.\d{1,3}\.\d{1,3}\s)?)/.exec(lower);
  if (!first?.[1]) return lower;
  const prefix = first[1].slice(0, 3);
  const repeat = new RegExp(`(\\s)${prefix}[- ](?:[245]\\.\\d{1,3}\\.\\d{1,3}\\s+)?`, 'g');
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

function isQuestion(text: string): boolean {
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

function splitSegments(lower: string): string[] {
  const out: string[] = [];
  for (const part of lower.split(/[\n。．!?！？;]+|\.(?:\s|$)/)) {
    const s = spaced(part);
    if (s.length < 6) continue;
    for (let i = 0; i < s.length; i += FUZZY_SEGMENT_CHARS) out.push(s.slice(i, i + FUZZY_SEGMENT_CHARS));
  }
  return out.slice(0, 12);
}

function fuzzyMatches(index: EngineIndex, lower: string, c: string, exact: Set<PhraseInfo>): { phrase: PhraseInfo; score: number }[] {
  const textGrams = new Set(trigrams(c));
  const candidates = index.fuzzyPhrases.filter((phrase) => {
    if (exact.has(phrase) || phrase.grams.length === 0) return false;
    let shared = 0;
    for (const g of phrase.grams) if (textGrams.has(g)) shared++;
    return shared / phrase.grams.length >= FUZZY_MIN_GRAM_SHARE;
  });
  if (candidates.length === 0) return [];
  const segments = splitSegments(lower);
  if (segments.length === 0) return [];
  const fuse = new Fuse(segments, { includeScore: true, ignoreLocation: true, threshold: FUZZY_THRESHOLD, minMatchCharLength: 4 });
  const out: { phrase: PhraseInfo; score: number }[] = [];
  for (const phrase of candidates) {
    const best = fuse.search(phrase.fuzzy, { limit: 1 })[0];
    if (best && best.score !== undefined && best.score <= FUZZY_THRESHOLD) out.push({ phrase, score: best.score });
  }
  return out;
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
  /** The text has words that say "error" in either language: fuzzy matching is worth its cost. */
  hinted: boolean;
}

/** 1–3. Structure first: error codes as whole tokens, enhanced status codes (exact before class-wide), reply codes. */
function scoreCodes(index: EngineIndex, lower: string, signals: Signals, scores: Scores): void {
  const seenTokens = new Set<string>();
  for (const token of lower.split(/[^a-z0-9_]+/)) {
    if (token.length < 2 || seenTokens.has(token)) continue;
    seenTokens.add(token);
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

/**
 * 4. One pass of the automaton over each form of the compact text: the phrases found, and where the words of each
 * word combination stand (per form, since positions differ between forms).
 */
function scanPhrases(index: EngineIndex, forms: string[]): { found: Set<PhraseInfo>; comboHits: Map<string, ComboHits>[] } {
  const found = new Set<PhraseInfo>();
  const comboHits: Map<string, ComboHits>[] = [];
  for (const text of forms) {
    const hits = new Map<string, ComboHits>();
    for (const hit of index.automaton.iterate(text)) {
      const phrase = index.phrases[hit.patternIndex];
      if (!phrase) continue;
      found.add(phrase);
      for (const target of phrase.targets) {
        if (target.kind !== 'combo') continue;
        const key = `${target.index}:${target.combo}`;
        let combo = hits.get(key);
        if (!combo) {
          combo = { index: target.index, combo: target.combo, parts: new Map() };
          hits.set(key, combo);
        }
        const list = combo.parts.get(target.part) ?? [];
        list.push({ at: hit.start, text: phrase.text });
        combo.parts.set(target.part, list);
      }
    }
    comboHits.push(hits);
  }
  return { found, comboHits };
}

function applyPhrase(scores: Scores, phrase: PhraseInfo, factor: number, kind: 'phrase' | 'fuzzy'): void {
  for (const target of phrase.targets) {
    if (target.kind === 'combo') continue;
    if (target.kind === 'hint') {
      scores.hinted = true;
    } else if (target.kind === 'topic') {
      scores.topics.set(target.index, (scores.topics.get(target.index) ?? 0) + phrase.weight * factor);
    } else if (target.role === 'exclude') {
      tally(scores.tallies, target.index).vetoed = true;
    } else if (target.role === 'error-code') {
      const t = tally(scores.tallies, target.index);
      t.score += WEIGHTS.errorCode;
      t.evidence.push({ kind: 'error-code', value: phrase.text, weight: WEIGHTS.errorCode });
    } else {
      const t = tally(scores.tallies, target.index);
      // Fuzzy matching stands in for missing exact phrases; it never adds to an entry that has them.
      if (kind === 'fuzzy' && t.evidence.some((e) => e.kind === 'phrase')) continue;
      const w = phrase.weight * factor;
      t.phraseWeights.push(w);
      t.evidence.push({ kind, value: phrase.text, weight: Math.round(w * 100) / 100 });
    }
  }
}

/** 5. Word combinations: every part present, within a sentence or two of each other; each counts once. */
function scoreCombos(index: EngineIndex, comboHits: Map<string, ComboHits>[], scores: Scores): void {
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
  const specific = [...scores.tallies.values()].some((t) => t.phraseWeights.length > 0 || t.evidence.some((e) => e.kind !== 'reply-code'));
  if (specific) return;
  const classes = new Set([...signals.statusCodes.map((s) => s.charAt(0)), ...signals.replyCodes.map((r) => String(r).charAt(0))]);
  for (const cls of classes) {
    for (const i of index.classFallback.get(cls) ?? []) {
      const t = tally(scores.tallies, i);
      t.score += WEIGHTS.classFallback;
      t.evidence.push({ kind: 'status-code', value: `${cls}.x.x`, weight: WEIGHTS.classFallback });
    }
  }
}

interface Ranked {
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
  ranked.sort((a, b) => b.score - a.score || a.entry.id.localeCompare(b.entry.id));
  const perCategory: Ranked[] = [];
  for (const r of ranked) if (!perCategory.some((p) => p.entry.category === r.entry.category)) perCategory.push(r);
  return perCategory;
}

export function analyze(index: EngineIndex, input: string, options: DiagnoseOptions = {}): Analysis {
  const norm = normalize(input);
  const redacted = redact(norm.text);
  const lower = redacted.toLowerCase();
  const c = compact(joinContinuations(lower));
  const masked = compact(maskValues(lower));
  const signals = extractSignals(redacted, lower);
  const lang = options.lang ?? detectLang(redacted);
  const scores: Scores = { tallies: new Map(), topics: new Map(), hinted: signals.errorCodes.length > 0 || signals.statusCodes.length > 0 };

  scoreCodes(index, lower, signals, scores);
  const { found, comboHits } = scanPhrases(index, masked === c ? [c] : [c, masked]);
  for (const phrase of found) applyPhrase(scores, phrase, 1, 'phrase');
  scoreCombos(index, comboHits, scores);
  // 6. Fuzzy phrases, for short texts whose exact evidence is weak.
  const exactBest = Math.max(0, ...[...scores.tallies.values()].map((t) => t.score + phraseScore(t.phraseWeights)));
  if (scores.hinted && exactBest < 3 && redacted.length <= FUZZY_MAX_CHARS) {
    for (const { phrase, score } of fuzzyMatches(index, lower, c, found)) applyPhrase(scores, phrase, WEIGHTS.fuzzyFactor * (1 - score), 'fuzzy');
  }
  scoreClassFallback(index, signals, scores);

  const perCategory = rank(index.kb.entries, signals, scores);
  const best = perCategory[0];
  const confidence = best ? confidenceOf(best.score, perCategory[1]?.score ?? 0) : 0;
  // Whether this is an error at all depends on the evidence, not on how close the second category is.
  const strength = best ? confidenceOf(best.score, 0) : 0;
  const strong = best?.evidence.some((e) => e.kind !== 'reply-code') ?? false;
  const known = best !== undefined && strength >= MIN_CONFIDENCE && strong;

  const topics = [...scores.topics]
    .map(([i, score]) => ({ topic: index.kb.topics[i] as Topic, score }))
    .filter((t) => t.topic !== undefined)
    .sort((a, b) => b.score - a.score);

  const diagnosis: Diagnosis = {
    category: known ? best.entry.category : 'unknown',
    entry: known ? best.entry : null,
    confidence: known ? confidence : 0,
    // A question about a code stays chat; a paste that merely ends with a question has much stronger evidence.
    respond: known && strength >= RESPOND_CONFIDENCE && (strength >= QUESTION_OVERRIDE || !isQuestion(redacted)),
    lang,
    evidence: known ? best.evidence.sort((a, b) => b.weight - a.weight) : [],
    alternatives: perCategory.slice(known ? 1 : 0, known ? 4 : 3).map((r) => ({
      category: r.entry.category as CategoryId,
      entry: r.entry.id,
      // Relative to the winner: an alternative is never surer than the answer given.
      confidence: Math.min(known ? confidence : 1, Math.round(confidenceOf(r.score, 0) * Math.min(1, r.score / (best?.score ?? r.score)) * 1000) / 1000),
    })),
    signals,
    context: extractContext(index, c, signals.ports),
    redacted,
    truncated: norm.truncated,
  };
  return { diagnosis, topics };
}

export function diagnose(index: EngineIndex, input: string, options: DiagnoseOptions = {}): Diagnosis {
  return analyze(index, input, options).diagnosis;
}
