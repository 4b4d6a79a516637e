/**
 * Compiles a knowledge base into lookup structures once, so that a diagnosis costs one pass over the text:
 * an Aho–Corasick automaton for every phrase (compact form), and maps for error, status and reply codes.
 */
import AhoCorasick from 'modern-ahocorasick';
import type { KnowledgeBase, KnowledgeEntry, Topic } from './types.js';
import { compact, spaced } from './normalize.js';

export type PhraseTarget =
  | { kind: 'entry'; index: number; role: 'phrase' | 'error-code' | 'exclude' }
  | { kind: 'topic'; index: number }
  /** One alternative of one part of a word combination. */
  | { kind: 'combo'; index: number; combo: number; part: number }
  | { kind: 'hint' };

export interface PhraseInfo {
  /** The phrase as written in the knowledge base (shown as evidence). */
  text: string;
  /** Its spaced lower-case form, for fuzzy matching. */
  fuzzy: string;
  /** Distinct trigrams of its compact form: a cheap test of whether fuzzy matching it is worth the cost. */
  grams: string[];
  weight: number;
  targets: PhraseTarget[];
}

export interface EngineIndex {
  kb: KnowledgeBase;
  automaton: AhoCorasick;
  /** Parallel to the automaton's patterns. */
  phrases: PhraseInfo[];
  errorCodes: Map<string, number[]>;
  /** Lower-case token → the code as the knowledge base writes it (shown as evidence). */
  errorCodeNames: Map<string, string>;
  statusExact: Map<string, number[]>;
  statusClass: Map<string, number[]>;
  replyCodes: Map<number, number[]>;
  /** "4" → entries that are the fallback for any 4xx / 4.x.x. */
  classFallback: Map<string, number[]>;
  /** Phrases long enough to be worth fuzzy matching. */
  fuzzyPhrases: PhraseInfo[];
  /** The context vocabulary in compact form. */
  context: {
    clients: { name: string; patterns: string[] }[];
    providers: { name: string; patterns: string[] }[];
    recently: string[];
  };
}

/** Words that say "this is an error report" in either language; they decide whether fuzzy matching is worth its cost. */
const HINTS = [
  'error', 'failed', 'failure', 'denied', 'rejected', 'refused', 'unable', 'cannot', 'can\'t', 'could not', 'not accepted',
  'unknown', 'invalid', 'timed out', 'timeout', 'blocked', 'smtp', 'exceeded', 'not allowed', 'unavailable',
  'エラー', '失敗', 'できません', 'できない', '拒否', '見つかりません', 'タイムアウト', '接続', '認証', '送信', '無効', '超え',
];

const CJK = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

/** Longer phrases say more; a Japanese character says about as much as two Latin ones. */
export function phraseWeight(c: string): number {
  let units = 0;
  for (const ch of c) units += CJK.test(ch) ? 2 : 1;
  return 1.2 + 0.06 * Math.min(units, 30);
}

export function trigrams(c: string): string[] {
  const chars = [...c];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(''));
  return [...out];
}

function push<K>(map: Map<K, number[]>, key: K, index: number): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(index)) list.push(index);
  } else map.set(key, [index]);
}

export function buildIndex(kb: KnowledgeBase): EngineIndex {
  const byCompact = new Map<string, PhraseInfo>();
  const addPhrase = (text: string, target: PhraseTarget): void => {
    const lower = text.normalize('NFKC').toLowerCase();
    const c = compact(lower);
    if (c.length < 2) return;
    let info = byCompact.get(c);
    if (!info) {
      info = { text, fuzzy: spaced(lower), grams: trigrams(c), weight: phraseWeight(c), targets: [] };
      byCompact.set(c, info);
    }
    info.targets.push(target);
  };

  const errorCodes = new Map<string, number[]>();
  const errorCodeNames = new Map<string, string>();
  const statusExact = new Map<string, number[]>();
  const statusClass = new Map<string, number[]>();
  const replyCodes = new Map<number, number[]>();
  const classFallback = new Map<string, number[]>();

  kb.entries.forEach((entry: KnowledgeEntry, index) => {
    const s = entry.signals;
    for (const p of [...s.phrases.ja, ...s.phrases.en]) addPhrase(p, { kind: 'entry', index, role: 'phrase' });
    for (const p of s.exclude) addPhrase(p, { kind: 'entry', index, role: 'exclude' });
    s.combos.forEach((parts, combo) =>
      parts.forEach((alternatives, part) => {
        for (const a of alternatives) addPhrase(a, { kind: 'combo', index, combo, part });
      }),
    );
    for (const code of s.errorCodes) {
      const lower = code.normalize('NFKC').toLowerCase();
      // Single tokens are looked up by token; codes with spaces or punctuation ("WinError 10061") go to the automaton.
      if (/^[a-z0-9_]+$/.test(lower)) {
        push(errorCodes, lower, index);
        if (!errorCodeNames.has(lower)) errorCodeNames.set(lower, code);
      }
      else addPhrase(code, { kind: 'entry', index, role: 'error-code' });
    }
    for (const sc of s.statusCodes) {
      if (sc.endsWith('.x.x')) push(classFallback, sc.slice(0, 1), index);
      else if (sc.startsWith('x.')) push(statusClass, sc.slice(2), index);
      else push(statusExact, sc, index);
    }
    for (const rc of s.replyCodes) push(replyCodes, rc, index);
  });
  kb.topics.forEach((topic: Topic, index) => {
    for (const p of [...topic.phrases.ja, ...topic.phrases.en]) addPhrase(p, { kind: 'topic', index });
  });
  for (const h of HINTS) addPhrase(h, { kind: 'hint' });

  const phrases = [...byCompact.values()];
  const automaton = new AhoCorasick([...byCompact.keys()]);
  const fuzzyPhrases = phrases.filter((p) => p.fuzzy.length >= 10 && p.targets.some((t) => t.kind === 'entry' && t.role === 'phrase'));
  const compactAll = (xs: string[]): string[] => xs.map((x) => compact(x.normalize('NFKC').toLowerCase())).filter(Boolean);
  const named = (xs: { name: string; patterns: string[] }[]) => xs.map((x) => ({ name: x.name, patterns: compactAll(x.patterns) }));
  const context = {
    clients: named(kb.context.clients),
    providers: named(kb.context.providers),
    recently: compactAll([...kb.context.recently.ja, ...kb.context.recently.en]),
  };
  return { kb, automaton, phrases, errorCodes, errorCodeNames, statusExact, statusClass, replyCodes, classFallback, fuzzyPhrases, context };
}
