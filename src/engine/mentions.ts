/**
 * Which providers and mail apps a text mentions: a server name (`smtp.ocn.ne.jp:587`), a mail address
 * (`@docomo.ne.jp`) or the words people use (`ドコモ`, `サンダーバード`). Pure: the patterns come from knowledge/.
 */
import type { MailClient, Provider } from './facts.js';
import type { ContextVocabulary } from './types.js';
import { compact, detectLang, normalize } from './normalize.js';
import { escapeRegExp, PRINTABLE_ASCII } from './regexp.js';

export type MentionKind = 'host' | 'domain' | 'word';

export interface Mention<T> {
  item: T;
  /** How it was recognised: a server name, a mail-address domain, or a word. */
  via: MentionKind;
  /** What was matched in the text. */
  match: string;
}

const HOST_TOKEN = /(@?)((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})(?![a-z0-9-])/g;
const URL = /\bhttps?:\/\/\S+/g;

/** `*.example.jp`: one or more labels in front; `sv*.example.jp`: letters, digits or dashes inside a label. */
export function hostPatternRegExp(pattern: string): RegExp {
  const body = pattern.startsWith('*.') ? pattern.slice(2) : pattern;
  const inner = body.split('*').map(escapeRegExp).join('[a-z0-9-]+');
  return new RegExp(`^${pattern.startsWith('*.') ? '(?:[a-z0-9-]+\\.)+' : ''}${inner}$`);
}

interface WordMatcher {
  word: string;
  /** Longer words are more specific: "outlook for mac" outranks "outlook". */
  weight: number;
  test(lower: string, compacted: string): boolean;
}

/** ASCII words must stand alone (`au` is not in `because`); other words are found anywhere in the compact form. */
function wordMatcher(word: string): WordMatcher {
  const lower = normalize(word).lower.trim();
  const c = compact(lower);
  if (PRINTABLE_ASCII.test(lower)) {
    const re = new RegExp(`(?<![a-z0-9])${lower.split(/\s+/).map(escapeRegExp).join('\\s*')}(?![a-z0-9])`);
    return { word, weight: c.length, test: (l) => re.test(l) };
  }
  return { word, weight: c.length, test: (_l, comp) => c.length > 0 && comp.includes(c) };
}

interface Prepared<T> {
  item: T;
  hosts: RegExp[];
  domains: RegExp[];
  words: WordMatcher[];
  /** Words that count only in a text of that language. */
  langWords?: { ja: WordMatcher[]; en: WordMatcher[] };
  /** Phrases taken out of the text before its words are looked for. */
  not?: { ascii: RegExp[]; other: string[] };
}

/** "microsoft outlook" and "マイクロソフトのoutlook": ASCII phrases as whole words, others in the compact form. */
function notPhrases(phrases: string[]): { ascii: RegExp[]; other: string[] } {
  const ascii: RegExp[] = [];
  const other: string[] = [];
  for (const phrase of phrases) {
    const lower = normalize(phrase).lower.trim();
    if (PRINTABLE_ASCII.test(lower)) ascii.push(new RegExp(`(?<![a-z0-9])${lower.split(/\s+/).map(escapeRegExp).join('\\s*')}(?![a-z0-9])`, 'g'));
    else other.push(compact(lower));
  }
  return { ascii, other };
}

export interface MentionIndex {
  providers: Prepared<Provider>[];
  clients: Prepared<MailClient>[];
}

export function buildMentionIndex(providers: Provider[], clients: MailClient[]): MentionIndex {
  return {
    providers: providers.map((p) => ({
      item: p,
      hosts: p.detect.hosts.map(hostPatternRegExp),
      domains: p.detect.domains.map(hostPatternRegExp),
      words: p.detect.words.map(wordMatcher),
      ...(p.detect.langWords ? { langWords: { ja: p.detect.langWords.ja.map(wordMatcher), en: p.detect.langWords.en.map(wordMatcher) } } : {}),
      ...((p.detect.not?.length ?? 0) > 0 ? { not: notPhrases(p.detect.not ?? []) } : {}),
    })),
    clients: clients.map((c) => ({ item: c, hosts: [], domains: [], words: c.detect.words.map(wordMatcher) })),
  };
}

function scan<T>(prepared: Prepared<T>[], text: string): Mention<T>[] {
  const { lower } = normalize(text);
  const found: (Mention<T> & { rank: number })[] = [];
  const seen = new Set<T>();
  const add = (item: T, via: MentionKind, match: string, rank: number) => {
    if (seen.has(item)) return;
    seen.add(item);
    found.push({ item, via, match, rank });
  };
  // A help link's host counts: Gmail's 535 reply carries support.google.com.
  const tokens = [...lower.matchAll(HOST_TOKEN)].map((m) => ({ at: m[1] === '@', name: m[2] ?? '' }));
  // A server name says more than an address, and an address more than a word; longer words say more than short ones.
  for (const t of tokens) {
    if (t.at) continue;
    for (const p of prepared) if (p.hosts.some((re) => re.test(t.name))) add(p.item, 'host', t.name, 3000);
  }
  for (const t of tokens) {
    for (const p of prepared) if (p.domains.some((re) => re.test(t.name))) add(p.item, 'domain', t.name, 2000);
  }
  // Words are looked for with server names, addresses and links taken out: `smtp-mail.outlook.com` is not the Outlook app.
  const prose = lower.replace(URL, ' ').replace(/[a-z0-9._%+-]*@?(?:[a-z0-9-]+\.)+[a-z]{2,63}(?![a-z0-9-])/g, ' ');
  const compacted = compact(prose);
  const lang = prepared.some((p) => p.langWords) ? detectLang(text) : undefined;
  const byWord: { item: T; word: WordMatcher }[] = [];
  for (const p of prepared) {
    let [pr, comp] = [prose, compacted];
    if (p.not) {
      for (const re of p.not.ascii) pr = pr.replace(re, ' ');
      comp = compact(pr);
      for (const o of p.not.other) comp = comp.split(o).join('\uE000');
    }
    const words = lang && p.langWords ? [...p.words, ...p.langWords[lang]] : p.words;
    for (const w of words) if (w.test(pr, comp)) byWord.push({ item: p.item, word: w });
  }
  // The longest word an item matched is the one reported for it.
  byWord.sort((a, b) => b.word.weight - a.word.weight);
  for (const { item, word } of byWord) add(item, 'word', word.word, 1000 + word.weight);
  return found.sort((a, b) => b.rank - a.rank).map(({ item, via, match }) => ({ item, via, match }));
}

/** Providers the text mentions, the most telling first. */
export function mentionedProviders(index: MentionIndex, text: string): Mention<Provider>[] {
  return scan(index.providers, text);
}

/** Mail apps the text mentions, the most specific first (`Outlook for Mac` before `Outlook`). */
export function mentionedClients(index: MentionIndex, text: string): Mention<MailClient>[] {
  return scan(index.clients, text);
}

export type SecurityMode = 'ssl' | 'starttls' | 'none';

const encryptionMatchers = new WeakMap<object, Record<SecurityMode, WordMatcher[]>>();

/**
 * How the text says the connection is secured, from the words of knowledge/context.yaml `encryption`: "none" when its
 * words are there (they include the negations, "SSLを使っていない"); else SSL/TLS or STARTTLS when only one of them is
 * named; nothing when both are (a comparison, "SSLとSTARTTLSの違い") or neither.
 */
export function mentionedEncryption(vocab: ContextVocabulary, text: string): SecurityMode | undefined {
  const words = vocab.encryption;
  if (!words) return undefined;
  let m = encryptionMatchers.get(words);
  if (!m) {
    const of = (mode: SecurityMode) => [...words[mode].ja, ...words[mode].en].map(wordMatcher);
    m = { ssl: of('ssl'), starttls: of('starttls'), none: of('none') };
    encryptionMatchers.set(words, m);
  }
  const { lower } = normalize(text);
  // Host names and links say nothing of the user's setting (smtps.example.jp, …/ssl-settings).
  const prose = lower.replace(URL, ' ').replace(/[a-z0-9._%+-]*@?(?:[a-z0-9-]+\.)+[a-z]{2,63}(?![a-z0-9-])/g, ' ');
  const compacted = compact(prose);
  const says = (mode: SecurityMode) => (m as Record<SecurityMode, WordMatcher[]>)[mode].some((w) => w.test(prose, compacted));
  if (says('none')) return 'none';
  const ssl = says('ssl');
  const starttls = says('starttls');
  return ssl === starttls ? undefined : ssl ? 'ssl' : 'starttls';
}

const bounceMatchers = new WeakMap<object, WordMatcher[]>();

/** Whether the words tell that a bounce came back (knowledge/context.yaml `bounced`), not how the app is set up. */
export function mentionedBounce(vocab: ContextVocabulary, text: string): boolean {
  const words = vocab.bounced;
  if (!words) return false;
  let m = bounceMatchers.get(words);
  if (!m) {
    m = [...words.ja, ...words.en].map(wordMatcher);
    bounceMatchers.set(words, m);
  }
  const { lower } = normalize(text);
  const compacted = compact(lower);
  return m.some((w) => w.test(lower, compacted));
}

const toldMatchers = new WeakMap<object, { id: string; words: WordMatcher[]; not: WordMatcher[] }[]>();

/**
 * The facts a turn tells in passing by its words (knowledge/context.yaml `told`): "受信はできます", "I run Norton".
 * A fact's `not` words in the same turn ("ウイルス対策ソフトは入れていません", "no antivirus") take it back.
 */
export function mentionedTold(vocab: ContextVocabulary, text: string): string[] {
  const facts = vocab.told;
  if (!facts || facts.length === 0) return [];
  let m = toldMatchers.get(facts);
  if (!m) {
    m = facts.map((f) => ({ id: f.id, words: [...f.words.ja, ...f.words.en].map(wordMatcher), not: [...f.not.ja, ...f.not.en].map(wordMatcher) }));
    toldMatchers.set(facts, m);
  }
  const { lower } = normalize(text);
  const compacted = compact(lower);
  return m.filter((f) => f.words.some((w) => w.test(lower, compacted)) && !f.not.some((w) => w.test(lower, compacted))).map((f) => f.id);
}

/**
 * Whether a turn asks without a question mark (knowledge/context.yaml `asking`): it opens with an English question
 * word ("whats the diff between 25 and 587") or has a Japanese asking word in it ("465と587の違い", "って何").
 */
export function askedInWords(vocab: ContextVocabulary, text: string): boolean {
  const words = vocab.asking;
  if (!words) return false;
  const t = text.normalize('NFKC').trim();
  const first = /^[a-z]+/i.exec(t)?.[0].toLowerCase();
  return (first !== undefined && words.opening.includes(first)) || words.anywhere.some((w) => t.includes(w));
}

/**
 * A port and an encryption that do not go together (knowledge/context.yaml `portSecurity`): the encryption to use
 * instead, or undefined when they fit or the port is not listed.
 */
export function securityMismatch(vocab: ContextVocabulary, port: number, told: SecurityMode): SecurityMode | undefined {
  const fits = vocab.portSecurity?.[String(port)];
  if (!fits || fits.includes(told)) return undefined;
  return fits[0];
}
