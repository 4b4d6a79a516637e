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

const WORD = /[a-z][a-z0-9']*|\d+/g;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u9fff々]+/g;
const KANJI = /[\u3400-\u9fff々]/;
const HAS_CJK = /[\u3040-\u30ff\u3400-\u9fff々]/;
/** Ports whose number says something about the trouble (OP25B, submission, implicit TLS). */
const TELLING_NUMBERS = new Set(['25', '465', '587', '2525']);
const REPLY_LINE = /^\s*[245]\d\d[ -]/;
const TIMEOUT = /time[ds]?[ -]?out|timeout|タイムアウト|応答がありません|応答しません/;
const MARKDOWN = /^\s*(?:#{1,6} |[-*] \[[ x]\]|\d+\. )/;
const QUESTION = /[?？]\s*$|(?:ですか|ますか|でしょうか|かな)[\s。]*$/;

const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'ions', 'ion', 'ed', 'es', 'ly', 's'];

export function stem(word: string): string {
  if (word.length <= 5) return word;
  for (const suffix of SUFFIXES) if (word.endsWith(suffix)) return word.slice(0, -suffix.length);
  return word;
}

/**
 * Where the features of a text go. Training and explanations want their names; classify only their hashes, which a
 * hash sink computes from the parts without ever making the name (the same FNV-1a over the same characters, so the
 * bucket is the one the name would have).
 */
export interface FeatureSink {
  /** The feature named `prefix + a + b + c`. */
  add(prefix: string, a: string, b?: string, c?: string): void;
}

/** Distinct feature names in order of first appearance, so that an explanation reads in text order. */
export class NameSink implements FeatureSink {
  readonly names = new Set<string>();
  add(prefix: string, a: string, b = '', c = ''): void {
    this.names.add(prefix + a + b + c);
  }
}

const FNV_OFFSET = 0x811c9dc5;

function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** Distinct features as 32-bit FNV-1a hashes (a collision of two full hashes in one text is about one in a million texts). */
export class HashSink implements FeatureSink {
  readonly hashes: number[] = [];
  /** Parallel to `hashes`: a word or code of the text rather than its shape (`f:`). */
  readonly word: boolean[] = [];
  private readonly seen = new Set<number>();
  add(prefix: string, a: string, b?: string, c?: string): void {
    let h = fnv(fnv(FNV_OFFSET, prefix), a);
    if (b) h = fnv(h, b);
    if (c) h = fnv(h, c);
    h >>>= 0;
    if (this.seen.has(h)) return;
    this.seen.add(h);
    this.hashes.push(h);
    this.word.push(!prefix.startsWith('f:'));
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
  let prev = '';
  WORD.lastIndex = 0;
  for (let w = WORD.exec(m); w !== null; w = WORD.exec(m)) {
    const word = w[0];
    if (word.charCodeAt(0) <= 57) {
      if (TELLING_NUMBERS.has(word)) sink.add('n:', word);
      prev = '';
      continue;
    }
    if (word.length < 2) continue;
    sink.add('w:', word);
    const s = stem(word);
    if (s !== word) sink.add('w:', s);
    if (prev) sink.add('b:', prev, ' ', s);
    prev = s;
  }
  // Most pastes are English: the compact Japanese form is made only when there is Japanese to read.
  if (!HAS_CJK.test(m)) return;
  const c = canon(compactText(m));
  for (const run of c.matchAll(CJK_RUN)) {
    const chars = [...run[0]];
    for (let i = 0; i < chars.length; i++) {
      const a = chars[i] ?? '';
      if (KANJI.test(a)) sink.add('j:', a);
      if (i + 1 < chars.length) sink.add('j:', a, chars[i + 1]);
      if (i + 2 < chars.length) sink.add('j:', a, chars[i + 1], chars[i + 2]);
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

/** a-z and 0-9: what a Latin word is made of in the lower-case text (NaN, outside the text, is no letter). */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
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
