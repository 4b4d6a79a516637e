/**
 * Compiles a knowledge base into lookup structures once, so that a diagnosis costs one pass over the text:
 * an Aho–Corasick automaton for every phrase (compact form), and maps for error, status and reply codes.
 */
import { aboutMatcher, type AboutMatcher } from './about.js';
import { Automaton, AUTOMATON_TABLES, type AutomatonTables } from './automaton.js';
import { EXAMPLE_TABLES, type ExampleIndex } from './examples.js';
import type { CategoryId, KnowledgeBase, KnowledgeEntry, Topic } from './types.js';
import { compileJaForms, type Canon } from './jaforms.js';
import { loadModel, type Model, type ModelFile } from './model.js';
import { compact } from './normalize.js';

export type PhraseTarget =
  | { kind: 'entry'; index: number; role: 'phrase' | 'error-code' | 'exclude' }
  | { kind: 'topic'; index: number }
  /** One alternative of one part of a word combination; `key` names the combination ("entry:combo"). */
  | { kind: 'combo'; index: number; combo: number; part: number; key: string };

export interface PhraseInfo {
  /** The phrase as written in the knowledge base (shown as evidence). */
  text: string;
  /** Its canonical compact form: the key it is matched by. */
  key: string;
  weight: number;
  targets: PhraseTarget[];
  /** Some target is part of a word combination (most phrases are not: their hits need no bookkeeping). */
  inCombo: boolean;
}

export interface EngineIndex {
  kb: KnowledgeBase;
  /** Japanese spellings and inflections to one form; applied to every compact text before matching. */
  canon: Canon;
  automaton: Automaton;
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
  /** The learned classifier, when the knowledge base has one (knowledge/model/classifier.json). */
  model: Model | null;
  /** The entry examples' postings `npm run build` stored for this knowledge base (examples.ts), when there are any. */
  storedExamples?: () => Map<CategoryId, ExampleIndex> | null;
  /** Whether a text is about something other than mail (knowledge/about.yaml), when the knowledge base says. */
  about: AboutMatcher | null;
  /** The context vocabulary in compact form. */
  context: {
    clients: { name: string; patterns: string[] }[];
    providers: { name: string; patterns: string[] }[];
    recently: string[];
  };
}

const CJK = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

/** Longer phrases say more; a Japanese character says about as much as two Latin ones. */
export function phraseWeight(c: string): number {
  let units = 0;
  for (const ch of c) units += CJK.test(ch) ? 2 : 1;
  return 1.2 + 0.06 * Math.min(units, 30);
}

function push<K>(map: Map<K, number[]>, key: K, index: number): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(index)) list.push(index);
  } else map.set(key, [index]);
}

/**
 * Where a knowledge base read from the snapshot hands over its stored phrase keys, once (see buildIndex): a function
 * that returns them the first time and forgets them, so that they are not kept beside the index.
 */
export const PHRASE_KEYS = Symbol.for('smtp-doctor.kb.phraseKeys');

export interface IndexOptions {
  /**
   * Filled with every phrase's canonical compact key, by the phrase as written: what the snapshot stores as
   * `phraseKeys`. The index keeps none: they only save computing the keys at start, and both maps kept resident were
   * ~1 MB of the heap of every command.
   */
  keys?: Map<string, string>;
  /** The model to use instead of the knowledge base's own (cross-validation trains one per fold); null for rules alone. */
  model?: ModelFile | null;
  /** Phrase keys and combos ("entry:combo") left out, to measure the rules as if they had not been written for a text. */
  without?: { phrases: ReadonlySet<string>; combos: ReadonlySet<string> };
}

export function buildIndex(kb: KnowledgeBase, options: IndexOptions = {}): EngineIndex {
  const canon = compileJaForms(kb.jaForms);
  const phraseKeys = options.keys ?? new Map<string, string>();
  // A snapshot's keys are handed over once; a second index of the same knowledge base computes them (same keys).
  const stored = kb.phraseKeys ?? (kb as KnowledgeBase & { [PHRASE_KEYS]?: () => Record<string, string> | undefined })[PHRASE_KEYS]?.();
  const keyOf = (text: string): string => {
    let key = phraseKeys.get(text) ?? stored?.[text];
    key ??= canon(compact(text.normalize('NFKC').toLowerCase()));
    phraseKeys.set(text, key);
    return key;
  };
  const byCompact = new Map<string, PhraseInfo>();
  const addPhrase = (text: string, target: PhraseTarget): void => {
    const c = keyOf(text);
    if (c.length < 2) return;
    if (options.without && target.kind === 'entry' && target.role === 'phrase' && options.without.phrases.has(c)) return;
    if (options.without && target.kind === 'combo' && options.without.combos.has(`${target.index}:${target.combo}`)) return;
    let info = byCompact.get(c);
    if (!info) {
      info = { text, key: c, weight: phraseWeight(c), targets: [], inCombo: false };
      byCompact.set(c, info);
    }
    info.targets.push(target);
    if (target.kind === 'combo') info.inCombo = true;
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
        for (const a of alternatives) addPhrase(a, { kind: 'combo', index, combo, part, key: `${index}:${combo}` });
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

  const phrases = [...byCompact.values()];
  const modelFile = options.model === undefined ? kb.model : options.model;
  // The tables `npm run build` stored for these very phrases (snapshot.ts), unless some are left out (cross-validation).
  const tables = options.without ? null : ((kb as KnowledgeBase & { [AUTOMATON_TABLES]?: () => AutomatonTables | null })[AUTOMATON_TABLES]?.() ?? null);
  const automaton = new Automaton(tables && tables.patterns === byCompact.size ? tables : [...byCompact.keys()]);
  const compactAll = (xs: string[]): string[] => xs.map(keyOf).filter(Boolean);
  const named = (xs: { name: string; patterns: string[] }[]) => xs.map((x) => ({ name: x.name, patterns: compactAll(x.patterns) }));
  const context = {
    clients: named(kb.context.clients),
    providers: named(kb.context.providers),
    recently: compactAll([...kb.context.recently.ja, ...kb.context.recently.en]),
  };
  const storedExamples = options.without ? undefined : (kb as KnowledgeBase & { [EXAMPLE_TABLES]?: () => Map<CategoryId, ExampleIndex> | null })[EXAMPLE_TABLES];
  return { kb, canon, automaton, phrases, errorCodes, errorCodeNames, statusExact, statusClass, replyCodes, classFallback, context, about: kb.about ? aboutMatcher(kb.about) : null, model: modelFile ? loadModel(modelFile) : null, ...(storedExamples ? { storedExamples } : {}) };
}
