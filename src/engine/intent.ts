/**
 * What a chat turn is: an error paste, a trouble told in words, a question (and about which topic), a follow-up after an
 * answer (still failing, this step done, what next, which app), thanks, a command … The engine decides what only it can
 * (a diagnosis that responds is an error paste); a small learned model decides the rest. The model is multinomial
 * logistic regression over hashed character n-grams of the canonical compact text and Latin words, trained by
 * scripts/train-intents.ts from the wordings in knowledge/intents/ and stored as knowledge/model/intents.json; a
 * second model of the same kind names a question's topic (from the topics' phrases and the questions' wordings).
 * Numbers, host names and addresses are masked before the model reads a turn: "587" or "smtp.example.jp" say
 * nothing about what the user wants. Pure: the caller reads the files.
 */
import { analyze, type Analysis } from './diagnose.js';
import { hashFeature, stem } from './features.js';
import { softmax } from './model.js';
import type { EngineIndex } from './index.js';
import { compact, normalize } from './normalize.js';
import type { Canon } from './jaforms.js';

export const INTENT_IDS = [
  'error',
  'symptom',
  'question',
  'still-failing',
  'step-done',
  'step-failed',
  'not-found',
  'next',
  'more',
  'which-app',
  'solved',
  'thanks',
  'checklist',
  'probe',
  'check',
  'help',
  'lang',
  'chitchat',
] as const;

export type IntentId = (typeof INTENT_IDS)[number];

export interface TurnReading {
  intent: IntentId;
  confidence: number;
  /** knowledge/topics id for a question, else null */
  topic: string | null;
  /** "1番は大丈夫でした" / "step 2 done" → the step number, else null */
  step: number | null;
  /**
   * The intent model's own reading of the words, when the engine's reading of an error decided the intent: what the
   * words around a known error ask ("aka.ms/… のページ見たけど分からない" → more).
   */
  said?: { intent: IntentId; confidence: number };
}

/** One softmax layer over hashed features, weights quantised to a signed byte. */
export interface SoftmaxFile {
  classes: string[];
  scale: number;
  bias: number[];
  /** Base64 of rows: bucket (uint32 LE), count (uint8), then count × (class uint8, weight int8). Buckets ascending. */
  rows: string;
}

export interface IntentModelFile {
  generator: string;
  /** SHA-256 of the wordings, topics and code the model was made from: a test fails when they changed and it did not. */
  dataHash: string;
  bits: number;
  intents: SoftmaxFile;
  topics: SoftmaxFile;
  /** Figures of the grouped cross-validation (scripts/eval-intents.ts), for the record. */
  crossValidation: Record<string, number>;
}

interface Softmax {
  classes: string[];
  scale: number;
  bias: number[];
  weights: Map<number, { cls: Uint8Array; w: Int8Array }>;
}

export interface IntentIndex {
  engine: EngineIndex;
  bits: number;
  intents: Softmax | null;
  topics: Softmax | null;
  topicIds: ReadonlySet<string>;
}

/** The topic a trouble told in words sets off: a symptom, not a question. */
export const SYMPTOM_TOPIC = 'send-trouble';

function decode(file: SoftmaxFile): Softmax {
  const bytes = Buffer.from(file.rows, 'base64');
  const weights = new Map<number, { cls: Uint8Array; w: Int8Array }>();
  for (let at = 0; at < bytes.length; ) {
    const bucket = bytes.readUInt32LE(at);
    const count = bytes.readUInt8(at + 4);
    at += 5;
    const cls = new Uint8Array(count);
    const w = new Int8Array(count);
    for (let i = 0; i < count; i++, at += 2) {
      cls[i] = bytes.readUInt8(at);
      w[i] = bytes.readInt8(at + 1);
    }
    weights.set(bucket, { cls, w });
  }
  return { classes: file.classes, scale: file.scale, bias: file.bias, weights };
}

/** The intent model of a knowledge base (or the one given: cross-validation trains one per fold). */
export function buildIntentIndex(engine: EngineIndex, model: IntentModelFile | null | undefined = engine.kb.intentModel): IntentIndex {
  return {
    engine,
    bits: model?.bits ?? 0,
    intents: model ? decode(model.intents) : null,
    topics: model ? decode(model.topics) : null,
    topicIds: new Set(engine.kb.topics.map((t) => t.id)),
  };
}

const cache = new WeakMap<EngineIndex, IntentIndex>();

/** Built once per engine index. */
export function intentIndexOf(engine: EngineIndex): IntentIndex {
  let index = cache.get(engine);
  if (!index) {
    index = buildIntentIndex(engine);
    cache.set(engine, index);
  }
  return index;
}

// What names the user's own things, masked before the model reads a turn (private-use characters survive compaction).
const URL = /\bhttps?:\/\/\S+/g;
const ADDRESS = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g;
const HOST = /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b/g;
const NUMBER = /\d+/g;

export function maskTurn(lower: string): string {
  return lower.replace(URL, ' \uE003 ').replace(ADDRESS, ' \uE002 ').replace(HOST, ' \uE001 ').replace(NUMBER, '0');
}

const WORD = /[a-z][a-z']*/g;
/** Kana that carry a verb's te-form or past. */
const INFLECTION = /[てた]/;
const QUESTION_END = /[?？]\s*$|(?:ですか|ますか|でしょうか|かな|の)[\s。]*$/;

/**
 * The features of a turn: character 1- to 3-grams of its canonical compact form (with its start and end marked, so
 * "次は" alone differs from "次は…" in a longer sentence), Latin words with a light stem, word pairs, and whether it
 * ends as a question. The same function serves training and run time.
 */
export function turnFeatures(text: string, canon: Canon): string[] {
  const { lower } = normalize(text.slice(0, 600));
  const masked = maskTurn(lower.trim());
  const out = new Set<string>();
  const c = [...`^${canon(compact(masked))}$`];
  for (let i = 0; i < c.length; i++) {
    const a = c[i] ?? '';
    if (a !== '^' && a !== '$') out.add(`c:${a}`);
    if (i + 1 < c.length) out.add(`c:${a}${c[i + 1]}`);
    if (i + 2 < c.length) out.add(`c:${a}${c[i + 1]}${c[i + 2]}`);
  }
  // The canonical form makes 〜して, 〜しています and 〜しました one word (right for errors, where tense says nothing),
  // but a request and a report differ only there: "テストして" asks, "テストしました" tells. The inflection as written
  // is kept as its own features: the raw 2- and 3-grams that hold a te- or ta-form kana.
  const raw = [...`^${compact(masked)}$`];
  for (let i = 0; i + 1 < raw.length; i++) {
    const two = `${raw[i]}${raw[i + 1]}`;
    const three = i + 2 < raw.length ? `${two}${raw[i + 2]}` : '';
    if (INFLECTION.test(two)) out.add(`r:${two}`);
    if (three && INFLECTION.test(three)) out.add(`r:${three}`);
  }
  let prev = '';
  for (const m of masked.matchAll(WORD)) {
    const w = stem(m[0].replace(/'/g, ''));
    out.add(`w:${w}`);
    if (prev) out.add(`b:${prev} ${w}`);
    prev = w;
  }
  if (QUESTION_END.test(masked)) out.add('f:question');
  out.add(`f:len${Math.min(6, Math.floor(Math.log2(1 + c.length)))}`);
  return [...out];
}

/** Probability per class. */
export function softmaxPredict(model: Softmax, features: string[], bits: number): Float64Array {
  const z = Float64Array.from(model.bias);
  const value = model.scale / Math.sqrt(Math.max(1, features.length));
  for (const f of features) {
    const row = model.weights.get(hashFeature(f, bits));
    if (!row) continue;
    for (let i = 0; i < row.cls.length; i++) {
      const k = row.cls[i] ?? 0;
      z[k] = (z[k] ?? 0) + (row.w[i] ?? 0) * value;
    }
  }
  return softmax(z);
}

/** The question-topic model's probability per topic class for a turn's text, or null when there is no such model. */
export function topicProbs(index: IntentIndex, text: string): Float64Array | null {
  return index.topics ? softmaxPredict(index.topics, turnFeatures(text, index.engine.canon), index.bits) : null;
}

/** The likeliest class and its probability (the first of equals). */
export function best(probs: Float64Array, classes: string[]): { cls: string; p: number } {
  let i = 0;
  for (let k = 1; k < probs.length; k++) if ((probs[k] ?? 0) > (probs[i] ?? 0)) i = k;
  return { cls: classes[i] ?? '', p: probs[i] ?? 0 };
}

const KANJI_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩';
// A step is named by its number with a counter (1番, 2つ目, 3番目, ステップ4, 手順5, step 6, #7, No.8), never a bare
// number: "587" is a port. "2段階" without 目 is two-step verification (2段階認証), not a step.
const STEP_JA = /(?:ステップ|手順|項目|チェック|step|#)\s*([0-9]{1,2}|[一二三四五六七八九十])(?![0-9])|(?<![0-9.])([0-9]{1,2}|[一二三四五六七八九十])\s*(?:番目?|つ目|個目|項目|ステップ目?|段階目)(?!\s*(?:ポート|port))/iu;
const STEP_EN = /\b(?:step|item|no\.?|number|#)\s*([0-9]{1,2})\b|\b(first|second|third|fourth|fifth|sixth|seventh|1st|2nd|3rd|[4-9]th)\s+(?:step|one|item|check)\b/i;
const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, '1st': 1, '2nd': 2, '3rd': 3 };

/** The step a turn names, or null. Kept apart from the model: numbers are no evidence of intent, but this one is a fact. */
export function stepOf(text: string): number | null {
  // Before NFKC, which makes ② a plain 2.
  const circled = [...text].find((ch) => CIRCLED.includes(ch));
  if (circled) return CIRCLED.indexOf(circled) + 1;
  const t = text.normalize('NFKC');
  const ja = STEP_JA.exec(t);
  const raw = ja ? (ja[1] ?? ja[2]) : undefined;
  if (raw) {
    const n = KANJI_DIGITS[raw] ?? Number(raw);
    return n >= 1 && n <= 30 ? n : null;
  }
  const en = STEP_EN.exec(t);
  if (en?.[1]) {
    const n = Number(en[1]);
    return n >= 1 && n <= 30 ? n : null;
  }
  const ord = en?.[2]?.toLowerCase();
  if (ord) return ORDINALS[ord] ?? Number(ord.replace(/\D/g, ''));
  return null;
}

/**
 * An answer that rests on the learned model's reading of plain words alone is a guess below 0.35, and below 0.5 too when
 * the words are those of the send-trouble topic (「Outlookでメールが送れなくなりました」): no diagnosis, a symptom.
 * The bot (src/bot/core.ts) and the turn reader share this bound.
 */
export function isWordsOnlyGuess(confidence: number, topic: string | null | undefined): boolean {
  return confidence < 0.35 || (confidence < 0.5 && topic === SYMPTOM_TOPIC);
}

/** How sure the intent model must be that a turn asks for a live test or a DNS check. */
const ASKED_FOR_A_TEST = 0.6;

/** How sure the intent model must be to read a turn against the engine's phrases. */
const SURE = 0.6;
/** A chat reading this sure is chat, whatever the engine's model alone guesses from the same words (its rules still win). */
export const SURE_CHAT = 0.6;

/** Below this the model's question topic is no answer; the topic's own phrases are surer when they match. */
const TOPIC_MIN = 0.35;

/** `analysis`: the engine's reading of the same text, when the caller has it already (it is not made twice). */
export function readTurn(index: IntentIndex, text: string, analysis?: Analysis): TurnReading {
  const step = stepOf(text);
  if (text.trim().length === 0) return { intent: 'chitchat', confidence: 1, topic: null, step };
  const { diagnosis, topics } = analysis ?? analyze(index.engine, text);
  // A diagnosis that responds on a code (reply, status or error code) is an error paste, whatever words come with it:
  // the engine knows errors, the intent model does not.
  const evidence = new Set(diagnosis.evidence.map((e) => e.kind));
  if (diagnosis.respond && (evidence.has('reply-code') || evidence.has('status-code') || evidence.has('error-code'))) {
    const said = index.intents ? best(softmaxPredict(index.intents, turnFeatures(text, index.engine.canon), index.bits), index.intents.classes) : undefined;
    return { intent: 'error', confidence: diagnosis.confidence, topic: null, step, ...(said ? { said: { intent: said.cls as IntentId, confidence: Math.round(said.p * 1000) / 1000 } } : {}) };
  }

  const phraseTopic = topics[0]?.topic.id ?? null;
  const features = index.intents || index.topics ? turnFeatures(text, index.engine.canon) : [];
  let intent: IntentId;
  let confidence: number;
  if (index.intents) {
    const probs = softmaxPredict(index.intents, features, index.bits);
    let b = best(probs, index.intents.classes);
    // "mail.example.jp をチェックしてほしい" asks for a test, the model sure of that but torn between the server test and
    // the DNS check ("チェック" says both): a request read first is as sure as the two readings together.
    if (b.cls === 'probe' || b.cls === 'check') {
      const both = b.p + (probs[index.intents.classes.indexOf(b.cls === 'probe' ? 'check' : 'probe')] ?? 0);
      b = { cls: b.cls, p: both };
    }
    // A live test or a DNS check nobody asked for is the worst answer there is: the model must be sure of the request.
    while ((b.cls === 'probe' || b.cls === 'check') && b.p < ASKED_FOR_A_TEST) {
      probs[index.intents.classes.indexOf(b.cls)] = 0;
      b = best(probs, index.intents.classes);
    }
    intent = b.cls as IntentId;
    confidence = b.p;
  } else {
    intent = phraseTopic === SYMPTOM_TOPIC ? 'symptom' : phraseTopic ? 'question' : 'chitchat';
    confidence = phraseTopic ? 0.5 : 0.2;
  }
  // An error's phrase without a code ("認証が必要", "relay access denied") is also said in questions and follow-ups:
  // the turn is what the model reads when it is sure of something else.
  const plainlyElse = intent !== 'error' && intent !== 'symptom' && intent !== 'chitchat' && confidence >= SURE;
  if (diagnosis.respond && evidence.has('phrase') && !plainlyElse) return { intent: 'error', confidence: diagnosis.confidence, topic: null, step };
  // The engine's model alone guessing a category from plain words: a trouble told in words when the words are weak or
  // those of the send-trouble topic (the bot's own rule), else a diagnosis worth giving — unless the turn is plainly
  // something else.
  const { signals } = diagnosis;
  const codes = signals.replyCodes.length + signals.statusCodes.length + signals.errorCodes.length > 0;
  // Talk the intent model is sure is chat ("ちなみに openssl s_client … で証明書が見られますよ") stays chat when only the
  // engine's model, no rule of it, reads an error in the words.
  const surelyChat = intent === 'chitchat' && confidence >= SURE_CHAT && diagnosis.evidence.every((e) => e.kind === 'model');
  if (diagnosis.respond && !plainlyElse && !surelyChat) {
    // A trouble the intent model surely reads as told in words ("急に送れなくなりました。パスワードは変えていません") is
    // one, whatever category the engine's model alone guesses from the same words.
    const toldInWords = intent === 'symptom' && confidence >= SURE && diagnosis.evidence.every((e) => e.kind === 'model');
    const words = !codes && intent !== 'error' && (toldInWords || isWordsOnlyGuess(diagnosis.confidence, phraseTopic));
    return { intent: words ? 'symptom' : 'error', confidence: words ? Math.round(Math.max(confidence, 0.5) * 1000) / 1000 : diagnosis.confidence, topic: null, step };
  }
  // Codes the engine could not place are still a pasted error.
  if ((intent === 'symptom' || intent === 'chitchat') && codes) intent = 'error';
  // A topic's own phrase ("OP25Bとは") is a question even when the model is unsure.
  if (phraseTopic && phraseTopic !== SYMPTOM_TOPIC && confidence < 0.5 && (intent === 'chitchat' || intent === 'symptom')) {
    intent = 'question';
    confidence = 0.5;
  }
  if (phraseTopic === SYMPTOM_TOPIC && confidence < 0.5 && intent === 'chitchat') {
    intent = 'symptom';
    confidence = 0.5;
  }
  let topic: string | null = null;
  if (intent === 'question') {
    if (phraseTopic && phraseTopic !== SYMPTOM_TOPIC) topic = phraseTopic;
    // A question about a code ("535 5.7.8って何ですか") is about that error, which the engine explains: no topic's
    // model guess (its numbers are masked, so "0 0.0.0って何" looks like a question about ports).
    else if (index.topics && !codes) {
      const b = best(softmaxPredict(index.topics, features, index.bits), index.topics.classes);
      if (b.p >= TOPIC_MIN && index.topicIds.has(b.cls)) topic = b.cls;
    }
  }
  return { intent, confidence: Math.round(confidence * 1000) / 1000, topic, step };
}
