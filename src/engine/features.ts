/**
 * What the learned model reads of a paste: the codes as tokens (reply, enhanced status, error codes), Latin words and
 * word pairs (with a light stem, so "connecting" and "connection" share one), and for Japanese, character bi- and
 * trigrams of the canonical compact form (no segmenter needed; 「ログインに失敗した」 and 「ログインできない」 share
 * ログイン). Host names, addresses and IPs are taken out first: they name the user's servers, not the error.
 * The same code runs in training (scripts/train.ts) and at run time, so the two can never read a text differently.
 */
import type { Canon } from './jaforms.js';
import { maskIdentifiers } from './signals.js';
import type { Signals } from './types.js';

/** The model reads at most this much of a paste; a long log is first cut to its decisive part (see diagnose.ts). */
export const MODEL_MAX_CHARS = 4000;

const HAS_CJK = /[\u3040-\u30ff\u3400-\u9fff々]/;
/**
 * Ports only mail is sent on: their number says something about the trouble (OP25B, submission, implicit TLS), and a
 * paste that names one is about mail (see diagnose.ts).
 */
export const MAIL_PORTS: ReadonlySet<number> = new Set([25, 465, 587, 2525]);
const TELLING_NUMBERS = new Set([...MAIL_PORTS].map(String));
const REPLY_LINE = /^\s*[245]\d\d[ -]/;
const TIMEOUT = /time[ds]?[ -]?out|timeout|タイムアウト|応答がありません|応答しません/;
const MARKDOWN = /^\s*(?:#{1,6} |[-*] \[[ x]\]|\d+\. )/;
const QUESTION = /[?？]\s*$|(?:ですか|ますか|でしょうか|かな)[\s。]*$/;

const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'ions', 'ion', 'ed', 'es', 'ly', 's'];

export function stem(word: string): string {
  return word.slice(0, stemEnd(word, 0, word.length));
}

/** Where the stem of the word text[start, end) ends: `stem` without making the word. */
function stemEnd(text: string, start: number, end: number): number {
  if (end - start <= 5) return end;
  for (const suffix of SUFFIXES) if (endsWithAt(text, end, suffix)) return end - suffix.length;
  return end;
}

function endsWithAt(text: string, end: number, suffix: string): boolean {
  for (let i = suffix.length - 1, j = end - 1; i >= 0; i--, j--) if (text.charCodeAt(j) !== suffix.charCodeAt(i)) return false;
  return true;
}

/**
 * The letters of a word, read by code: a word costs no match object. Lower-case Latin with its accented letters, Greek,
 * Cyrillic, Hebrew, Arabic and Hangul: "conexão", "Verbindung fehlgeschlagen", "соединение" and "연결" are words of their
 * own and not cut at the first letter outside a-z.
 */
function isLetter(code: number): boolean {
  if (code < 128) return code >= 97 && code <= 122;
  return (
    (code >= 0xdf && code <= 0x24f && code !== 0xf7) ||
    (code >= 0x3ac && code <= 0x3ce) ||
    (code >= 0x430 && code <= 0x45f) ||
    (code >= 0x5d0 && code <= 0x5ea) ||
    (code >= 0x620 && code <= 0x64a) ||
    (code >= 0xac00 && code <= 0xd7a3)
  );
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isWordTail(code: number): boolean {
  return isLetter(code) || isDigit(code) || code === 39;
}

/** Kana and CJK ideographs (and 々): what the character n-grams are made of. */
function isCjk(code: number): boolean {
  return (code >= 0x3040 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x9fff) || code === 0x3005;
}

function isKanji(code: number): boolean {
  return (code >= 0x3400 && code <= 0x9fff) || code === 0x3005;
}

/**
 * Where the features of a text go. Training and explanations want their names; classify only their hashes, which a
 * hash sink computes from the parts without ever making the name (the same FNV-1a over the same characters, so the
 * bucket is the one the name would have).
 */
export interface FeatureSink {
  /** The feature named `prefix + a + b + c`. */
  add(prefix: string, a: string, b?: string, c?: string): void;
  /** The feature named `prefix + text.slice(start, end)`: words and n-grams are read in place, not cut out first. */
  span(prefix: string, text: string, start: number, end: number): void;
  /** The feature named `prefix + text.slice(a, aEnd) + sep + text.slice(b, bEnd)` (a word pair). */
  spans(prefix: string, text: string, a: number, aEnd: number, sep: string, b: number, bEnd: number): void;
}

/** Distinct feature names in order of first appearance, so that an explanation reads in text order. */
export class NameSink implements FeatureSink {
  readonly names = new Set<string>();
  add(prefix: string, a: string, b = '', c = ''): void {
    this.names.add(prefix + a + b + c);
  }
  span(prefix: string, text: string, start: number, end: number): void {
    this.names.add(prefix + text.slice(start, end));
  }
  spans(prefix: string, text: string, a: number, aEnd: number, sep: string, b: number, bEnd: number): void {
    this.names.add(prefix + text.slice(a, aEnd) + sep + text.slice(b, bEnd));
  }
}

const FNV_OFFSET = 0x811c9dc5;

function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function fnvSpan(h: number, s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** FNV-1a state after each feature prefix ('w:', 'j:' …): a handful of constants, hashed once, not at every feature. */
const prefixStates = new Map<string, number>();

function prefixState(prefix: string): number {
  let h = prefixStates.get(prefix);
  if (h === undefined) {
    h = fnv(FNV_OFFSET, prefix);
    prefixStates.set(prefix, h);
  }
  return h;
}

/**
 * The hashes a sink has seen, as an open-addressing table of signed 32-bit hashes shared by every sink (classify reads
 * one text at a time): a Set per text cost more than hashing the features, in its own growth and garbage. A slot is
 * taken when its stamp is the current sink's; a new sink takes a new stamp, so nothing is cleared between texts.
 */
let seenKeys = new Int32Array(1024);
let seenStamps = new Uint32Array(1024);
let seenStamp = 0;
let seenOwner: HashSink | null = null;

/** Distinct features as 32-bit FNV-1a hashes (a collision of two full hashes in one text is about one in a million texts). */
export class HashSink implements FeatureSink {
  readonly hashes: number[] = [];
  /** Parallel to `hashes`: a word or code of the text rather than its shape (`f:`). */
  readonly word: boolean[] = [];
  private stamp = 0;
  add(prefix: string, a: string, b?: string, c?: string): void {
    let h = fnv(prefixState(prefix), a);
    if (b) h = fnv(h, b);
    if (c) h = fnv(h, c);
    this.keep(h, prefix);
  }

  span(prefix: string, text: string, start: number, end: number): void {
    this.keep(fnvSpan(prefixState(prefix), text, start, end), prefix);
  }

  spans(prefix: string, text: string, a: number, aEnd: number, sep: string, b: number, bEnd: number): void {
    this.keep(fnvSpan(fnv(fnvSpan(prefixState(prefix), text, a, aEnd), sep), text, b, bEnd), prefix);
  }

  private keep(h: number, prefix: string): void {
    if (!this.claim(h | 0)) return;
    this.hashes.push(h >>> 0);
    this.word.push(!prefix.startsWith('f:'));
  }

  /** True when `key` is new to this sink (and now marked seen). */
  private claim(key: number): boolean {
    if (seenOwner !== this) this.takeTable();
    // At most half full: grow before the table could fill.
    if (this.hashes.length * 2 >= seenKeys.length) this.growTable();
    const mask = seenKeys.length - 1;
    for (let s = Math.imul(key, 0x9e3779b1) >>> 0 & mask; ; s = (s + 1) & mask) {
      if (seenStamps[s] !== this.stamp) {
        seenStamps[s] = this.stamp;
        seenKeys[s] = key;
        return true;
      }
      if (seenKeys[s] === key) return false;
    }
  }

  /** The shared table for this sink, refilled from its own hashes when another sink used it in between. */
  private takeTable(): void {
    seenOwner = this;
    seenStamp = (seenStamp + 1) >>> 0;
    if (seenStamp === 0) {
      seenStamps.fill(0);
      seenStamp = 1;
    }
    this.stamp = seenStamp;
    this.refill();
  }

  private growTable(): void {
    seenKeys = new Int32Array(seenKeys.length * 2);
    seenStamps = new Uint32Array(seenKeys.length);
    this.refill();
  }

  private refill(): void {
    const mask = seenKeys.length - 1;
    for (const h of this.hashes) {
      const key = h | 0;
      let s = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
      while (seenStamps[s] === this.stamp) s = (s + 1) & mask;
      seenStamps[s] = this.stamp;
      seenKeys[s] = key;
    }
  }
}

/**
 * The features of a text into `sink`. `masked`: the text with identifiers masked, when the caller has it already
 * (it must be `maskIdentifiers` of the same text).
 */
export function readFeatures(lower: string, signals: Signals, canon: Canon, compactText: (s: string) => string, sink: FeatureSink, masked?: string): void {
  for (const rc of signals.replyCodes) {
    const code = String(rc);
    sink.add('rc:', code);
    sink.add('rc:', code.charAt(0), 'xx');
  }
  for (const sc of signals.statusCodes) {
    sink.add('sc:', sc);
    sink.add('sc:x', sc.slice(1));
  }
  for (const ec of signals.errorCodes) sink.add('ec:', ec.toLowerCase());
  // `203.0.113.5:25` loses its number with the address; the port itself still tells (OP25B) — the more so together
  // with a timeout: a linear model needs the pair as a feature of its own to weigh it.
  const timeout = signals.ports.length > 0 && TIMEOUT.test(lower);
  for (const port of signals.ports) {
    const p = String(port);
    if (!TELLING_NUMBERS.has(p)) continue;
    sink.add('n:', p);
    for (const ec of signals.errorCodes) sink.add('x:', ec.toLowerCase(), '@', p);
    if (timeout) sink.add('x:timeout@', p);
  }

  // The shape of a message tells a paste from talk about mail: a reply line, a log line, a question, a to-do list.
  const lines = lower.split('\n', 40);
  sink.add('f:lines', lines.length === 1 ? '1' : lines.length <= 3 ? '2-3' : lines.length <= 10 ? '4-10' : '11+');
  if (lines.some((l) => REPLY_LINE.test(l))) sink.add('f:', 'reply-line');
  if (lines.some((l) => MARKDOWN.test(l))) sink.add('f:', 'markdown');
  if (QUESTION.test(lower.length > 200 ? lower.slice(-200) : lower)) sink.add('f:', 'question');

  const text = lower.length > MODEL_MAX_CHARS ? `${lower.slice(0, MODEL_MAX_CHARS / 2)}\n${lower.slice(-MODEL_MAX_CHARS / 2)}` : lower;
  const m = masked !== undefined && text === lower ? masked : maskIdentifiers(text);
  // Words (a letter and letters, digits or ', or digits alone), read in place by character code.
  let prev = -1;
  let prevEnd = -1;
  for (let i = 0, n = m.length; i < n; ) {
    const code = m.charCodeAt(i);
    const letter = isLetter(code);
    if (!letter && !isDigit(code)) {
      i++;
      continue;
    }
    const start = i;
    for (i++; i < n && (letter ? isWordTail(m.charCodeAt(i)) : isDigit(m.charCodeAt(i))); i++);
    if (!letter) {
      if (i - start >= 2 && i - start <= 4 && TELLING_NUMBERS.has(m.slice(start, i))) sink.span('n:', m, start, i);
      prev = -1;
      continue;
    }
    if (i - start < 2) continue;
    sink.span('w:', m, start, i);
    const s = stemEnd(m, start, i);
    if (s !== i) sink.span('w:', m, start, s);
    if (prev >= 0) sink.spans('b:', m, prev, prevEnd, ' ', start, s);
    prev = start;
    prevEnd = s;
  }
  // Most pastes are English: the compact Japanese form is made only when there is Japanese to read.
  if (!HAS_CJK.test(m)) return;
  const c = canon(compactText(m));
  // Character uni- (kanji only), bi- and trigrams within each run of kana and kanji.
  for (let i = 0, n = c.length; i < n; ) {
    if (!isCjk(c.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && isCjk(c.charCodeAt(end))) end++;
    for (; i < end; i++) {
      if (isKanji(c.charCodeAt(i))) sink.span('j:', c, i, i + 1);
      if (i + 1 < end) sink.span('j:', c, i, i + 2);
      if (i + 2 < end) sink.span('j:', c, i, i + 3);
    }
  }
}

/** Distinct feature names of a text; the order is that of first appearance, so an explanation reads in text order. */
export function featuresOf(lower: string, signals: Signals, canon: Canon, compactText: (s: string) => string, masked?: string): string[] {
  const sink = new NameSink();
  readFeatures(lower, signals, canon, compactText, sink, masked);
  return [...sink.names];
}

/** 32-bit FNV-1a of a feature name: `hashFeature` before the model's bits are taken. */
export function featureHash(name: string): number {
  return fnv(FNV_OFFSET, name) >>> 0;
}

/** FNV-1a, 32 bits: a feature's bucket in the model's table. */
export function hashFeature(name: string, bits: number): number {
  return featureHash(name) & ((1 << bits) - 1);
}

const NOT_COMPACT_CHAR = /[\s\p{P}\p{S}ー－～〜・]/u;

/**
 * Where a feature stands in the text it was read from, as [start, end) — whole words for Latin text, the characters of
 * a Japanese n-gram — so that the evidence quotes the user's own words, not the model's forms. Null for codes, word
 * pairs (the codes are shown by the rules; pairs by their words).
 */
export function locate(lower: string, name: string, compactMap: () => { text: string; at: number[] }): [number, number] | null {
  const value = name.slice(name.indexOf(':') + 1);
  if (name.startsWith('w:')) {
    for (let i = lower.indexOf(value); i >= 0; i = lower.indexOf(value, i + 1)) {
      if (!isWordChar(lower.charCodeAt(i - 1)) && !isWordChar(lower.charCodeAt(i + value.length))) return [i, i + value.length];
    }
    return null;
  }
  if (name.startsWith('j:')) {
    const map = compactMap();
    const i = map.text.indexOf(value);
    if (i < 0) return null;
    return [map.at[i] ?? 0, (map.at[i + [...value].length - 1] ?? 0) + 1];
  }
  return null;
}

/** What a word is made of in the lower-case text (NaN, outside the text, is no letter). */
function isWordChar(code: number): boolean {
  return isLetter(code) || isDigit(code);
}

/** The compact form of a text with, for each of its characters, its position in the text. */
export function compactWithPositions(lower: string): { text: string; at: number[] } {
  let text = '';
  const at: number[] = [];
  for (let i = 0; i < lower.length; i++) {
    const ch = lower.charAt(i);
    if (NOT_COMPACT_CHAR.test(ch)) continue;
    text += ch;
    at.push(i);
  }
  return { text, at };
}
