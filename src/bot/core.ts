/**
 * The platform-neutral bot: decides what to do with a message (stay silent, diagnose, show the checklist, run a
 * probe, help) and builds the reply. Adapters only translate platform events into `Incoming` and replies into
 * platform formats. Language overrides, checklist progress and reply pacing live in the state store (src/bot/state.ts),
 * so that they survive a restart and are shared by every instance on one store.
 */
import { analyze, type Analysis } from '../engine/diagnose.js';
import type { EngineIndex } from '../engine/index.js';
import { pick, t } from '../engine/i18n.js';
import { detectLang, normalize } from '../engine/normalize.js';
import type { CategoryId, Diagnosis, Lang } from '../engine/types.js';
import type { ConversationActionId, Reply } from '../render/model.js';
import { MemoryStore } from '../state/memory.js';
import { Feedback, type FeedbackLabel } from './feedback.js';
import { ChannelPacer } from './pace.js';
import { isJsonObject, withLock, type Json, type StateStore } from './state.js';
import { checklistReply, diagnosisReply, helpReply, symptomReply, topicReply, unknownReply } from './replies.js';
import { selectorsFromHeaders, withoutDkimSignatures } from '../probe/check/dkim.js';
import { best, intentIndexOf, isWordsOnlyGuess, readTurn, SYMPTOM_TOPIC, topicProbs, type IntentId, type TurnReading } from '../engine/intent.js';
import { askedInWords, mentionedClients, mentionedProviders } from '../engine/mentions.js';
import { learn, mentionIndexOf, readConversation, writeConversation } from './conversation.js';
import { askedAsQuestion, asksSurely, hasCodes, quotedCommand, takeTurn, type TurnInfo } from './dialogue.js';
import { t as say } from '../engine/i18n.js';

export interface Incoming {
  text: string;
  /** A channel the bot watches, or a direct conversation with it. */
  place: 'channel' | 'direct';
  /** The bot was mentioned or called (mention, slash command, button): it always answers. */
  addressed: boolean;
  userId: string;
  channelId: string;
  /** The platform's idea of the user's language (Discord locale), used when the text does not tell. */
  locale?: Lang;
  /** A chat platform ("slack", "discord"): its diagnoses get 👍 / 👎 and what it did not understand is kept. */
  platform?: string;
  /**
   * The conversation the message belongs to (a thread, a reply chain, a DM, a terminal session): what was said and
   * learnt there shapes the answer. Without one, the message is answered on its own, in full.
   */
  conversation?: string;
}

export interface ProbeRequest {
  target: string;
  ports: number[];
  lang: Lang;
  userId: string;
}

/** A sender-side DNS check (src/probe/check): a domain, an address or an IP. */
export interface CheckRequest {
  target: string;
  lang: Lang;
  userId: string;
  /** The message, for the selector of a DKIM-Signature header in it. */
  text?: string;
}

export type Outcome =
  | { type: 'silent'; reason: 'not-an-error' | 'empty' | 'throttled' }
  /**
   * `delayMs`: an unasked reply waits for its turn in the channel's queue (`Bot.waitTurn`) before it is sent.
   * `unknown`: the bot was asked and did not understand (the unknown rate on /metrics).
   */
  | { type: 'reply'; reply: Reply; diagnosis?: Diagnosis; delayMs?: number; unknown?: true; turn?: TurnInfo }
  | { type: 'probe'; request: ProbeRequest }
  | { type: 'check'; request: CheckRequest };

export interface BotOptions {
  /**
   * Least time between two unasked replies in one channel: later ones queue (the platform's pace, about one message
   * a second per channel), none is dropped.
   */
  channelReplyIntervalMs?: number;
  /** One unasked reply per user and channel in this time: a person pasting the same log again is not answered twice. */
  userReplyIntervalMs?: number;
  defaultLang?: Lang;
  /** Where state lives; a fresh in-memory store when none is given. */
  store?: StateStore;
  now?: () => number;
}

const INTENT_MAX_CHARS = 200;
/** How sure the intent model must be of a one-off request (a test, the checklist, the help) to act on it. */
const ONE_OFF_REQUEST = 0.6;
const LANG_COMMAND = /^(?:lang(?:uage)?|言語)\s*(?:[:=]\s*)?(ja|en|japanese|english|日本語|英語)$/i;
/** "check smtp.example.jp" names a server to connect to; "check example.jp" a sending domain. */
const SERVER_NAME = /^(smtp|mail|mx|submission|out|outbound|imap|pop3?)[0-9-]*\./i;

/**
 * An answer that rests on the learned model's reading of plain words alone (no code, no rule evidence) and is a guess
 * (isWordsOnlyGuess) is no diagnosis: the checklist narrowed by what the words tell, or the topic, or "send the exact
 * text" — and silence when nobody asked.
 */
function toldInWords(analysis: Analysis, reading?: TurnReading): boolean {
  const d = analysis.diagnosis;
  if (!d.evidence.every((e) => e.kind === 'model')) return false;
  // The turn reader took the words for a trouble told in them (intent.ts): the model's category is a guess.
  return reading?.intent === 'symptom' || isWordsOnlyGuess(d.confidence, analysis.topics[0]?.topic.id);
}

/** What pressing a conversation's button says. */
const PRESSED: Record<ConversationActionId, IntentId> = { more: 'more', 'next-cause': 'still-failing', 'step-done': 'step-done', 'step-failed': 'step-failed' };

/** The language a "language" message names, if it names one. */
function chosenLang(text: string): Lang | undefined {
  const m = LANG_COMMAND.exec(text);
  if (m) return /^(ja|japanese|日本語)$/i.test(m[1] ?? '') ? 'ja' : 'en';
  if (/日本語|japanese/i.test(text)) return 'ja';
  if (/英語|english/i.test(text)) return 'en';
  return undefined;
}

/** Progress and choices a user may come back to: kept for half a year after the last change. */
const USER_STATE_TTL_MS = 180 * 24 * 3600_000;

/** A sentence the user wrote in English (not a pasted server reply, not a one-word "thanks"): it is answered in English. */
function writtenInEnglish(text: string): boolean {
  if (/\b[245][0-5]\d\b|\b[245]\.\d{1,3}\.\d{1,3}\b|\b(?:E[A-Z]{3,}|0x[0-9a-f]{8})\b/i.test(text)) return false;
  return (text.match(/\b[a-z]{2,}\b/gi) ?? []).length >= 3 && text.length <= 300;
}

/** Sentence ends: a turn that thanks and then asks is read sentence by sentence. */
const SENTENCE = /(?<=[。！？!?])\s*|(?<=\.)\s+|\n+/;
/** How sure the reading of a thanks in a "done" turn must be to make the turn a close. */
const SURE_CLOSING = 0.8;
/** How surely the last clause of a turn must read as a close for the turn to close on it, whatever comes before. */
const SURE_LAST_CLAUSE = 0.7;
/** How surely a sentence after a thanks must read as a trouble or a request to be what the turn is about. */
const SURE_AFTER_CLOSING = 0.5;
/** What a sentence after a thanks may be, for it to be what the turn is about: something asked or still wrong. */
const AFTER_CLOSING: ReadonlySet<IntentId> = new Set(['question', 'more', 'still-failing', 'step-failed', 'symptom', 'not-found', 'checklist', 'probe', 'check']);
/** What a sentence after a close may tell of what had failed before the fix, when the whole turn surely closes. */
const FAILED_BEFORE: ReadonlySet<IntentId> = new Set(['still-failing', 'step-failed', 'symptom']);
/** How surely a whole turn must read as a close for trouble told after its close to be what failed before the fix. */
const SURE_WHOLE_CLOSING = 0.8;

/**
 * A turn read as thanks or "it works", with more sentences after its last closing one: those sentences, their own
 * analysis and reading, when they ask something or tell that something is still wrong ("ありがとうございます。証明書の
 * エラーってどういう意味ですか", "works now, thanks! one more thing: what's DKIM?"). Undefined when the turn only closes.
 * `whole`: the analysis of the whole turn, which the caller has made already.
 */
function afterClosing(index: EngineIndex, text: string, whole: Analysis, reading: TurnReading, lang: Lang, inChecklist: boolean): { text: string; analysis: Analysis; reading: TurnReading } | undefined {
  const done = reading.intent === 'step-done' && !inChecklist;
  if (reading.intent !== 'solved' && reading.intent !== 'thanks' && !done) return undefined;
  const sentences = text.split(SENTENCE).map((x) => x.trim()).filter((x) => x !== '');
  if (sentences.length < 2) return undefined;
  const intents = intentIndexOf(index);
  const readings = sentences.map((x) => readTurn(intents, x));
  let last = -1;
  readings.forEach((r, i) => {
    if (r.intent === 'solved' || r.intent === 'thanks') last = i;
  });
  // "できました。助かりました" after a fix: done, with thanks that say it worked — a close, when nothing in it asks more
  // or says it still fails. In the checklist "done, thanks" is a step done: the list goes on.
  if (done) {
    const thanks = readings.find((r) => (r.intent === 'solved' || r.intent === 'thanks') && r.confidence >= SURE_CLOSING);
    if (!thanks || readings.some((r) => AFTER_CLOSING.has(r.intent))) return undefined;
    return { text, analysis: whole, reading: { ...reading, intent: 'solved', confidence: thanks.confidence } };
  }
  const rest = sentences.slice(last + 1).join(' ');
  if (last < 0 || rest === '') return undefined;
  const analysis = analyze(index, rest, { lang });
  const after = readTurn(intents, rest, analysis);
  // "送れた！なんで？", "works now! why though?": asking why after saying it works asks about the fix, not the
  // trouble — the turn closes it (the checklist does not go on).
  const closed = readings[last];
  if (after.intent === 'more' && closed?.intent === 'solved' && closed.confidence >= SURE_CLOSING) return { text, analysis: whole, reading: { ...reading, intent: 'solved', confidence: closed.confidence } };
  // What follows a thanks must be said: a statement that reads faintly as a question ("メールサーバの設定を確認してみます",
  // "…が原因でした") or as a trouble tells what the user will do or what the cause was — the turn still closes.
  const said = after.intent === 'question' ? asksSurely(after, rest) || askedInWords(index.kb.context, rest) : after.confidence >= SURE_AFTER_CLOSING;
  // "Moved it to 587 and it sends again. 465 never worked.": a turn that surely closes as a whole, where what follows
  // the close reads as trouble but shows no error of its own, tells what failed before the fix — the turn closes.
  if (FAILED_BEFORE.has(after.intent) && reading.confidence >= SURE_WHOLE_CLOSING && !analysis.diagnosis.evidence.some((e) => e.kind !== 'model')) return undefined;
  return AFTER_CLOSING.has(after.intent) && said ? { text: rest, analysis, reading: after } : undefined;
}

/** Follow-ups a question about a topic may be read as, faintly: "can't find it", "tell me more". */
const ASKED_AS_FOLLOW_UP: ReadonlySet<IntentId> = new Set(['not-found', 'more']);
/** Below this a "can't find it" or "tell me more" reading of a turn asked as a question is no surer than its topic. */
const FAINT_FOLLOW_UP = 0.7;
/** How sure the question-topic model must be of a topic to read such a turn as a question about it. */
const SURE_ASKED_TOPIC = 0.8;

/**
 * A turn asked as a question ("Do I have to create an app password for it?", "それってOP25Bっていうやつですか？") that
 * the intent model reads only faintly as "can't find it" or "tell me more", while the question-topic model is sure of
 * its topic: a question about that topic. A surely read "I can't find the app password page" stays what it is.
 */
function askedAboutTopic(index: EngineIndex, text: string, reading: TurnReading, d: Diagnosis): TurnReading {
  if (!ASKED_AS_FOLLOW_UP.has(reading.intent) || reading.confidence >= FAINT_FOLLOW_UP) return reading;
  if (hasCodes(d) || !askedAsQuestion(index.kb.context, text)) return reading;
  const intents = intentIndexOf(index);
  const probs = topicProbs(intents, text);
  if (!probs || !intents.topics) return reading;
  const { cls: topic, p } = best(probs, intents.topics.classes);
  if (!topic || p < SURE_ASKED_TOPIC || !intents.topicIds.has(topic) || topic === SYMPTOM_TOPIC) return reading;
  return { ...reading, intent: 'question', topic };
}

/** The topic a question about the outgoing server's values is answered with, and what a topic needs for it. */
const SETTINGS_TOPIC = 'server-settings';
/** The provider fact that is the server's values, and the others a topic about them may also need (its help page). */
const SERVER_FACT = 'smtp';
const SERVER_FACTS: ReadonlySet<string> = new Set([SERVER_FACT, 'username', 'help']);
/** How much of the question-topic model's belief must lie on topics about the server's values, none of them alone sure. */
const SURE_SETTINGS = 0.5;

/**
 * A question surely asked with no topic of its own ("送信サーバーのホスト名とポート、SSLはどうすればいいですか？"),
 * in a conversation whose provider is known, where the question-topic model is torn between topics that need only the
 * provider's server values (ports, encryption, the server settings): a question about the server settings — answered
 * with that provider's facts.
 */
function askedForSettings(index: EngineIndex, text: string, reading: TurnReading, provider: string | undefined): TurnReading {
  if (reading.intent !== 'question' || reading.topic !== null || provider === undefined || !asksSurely(reading, text)) return reading;
  const intents = intentIndexOf(index);
  const probs = intents.topicIds.has(SETTINGS_TOPIC) ? topicProbs(intents, text) : null;
  if (!probs || !intents.topics) return reading;
  const needs = (x: (typeof index.kb.topics)[number]): string[] => x.uses?.provider ?? [];
  const serverTopics = new Set(index.kb.topics.filter((x) => needs(x).includes(SERVER_FACT) && needs(x).every((f) => SERVER_FACTS.has(f))).map((x) => x.id));
  let mass = 0;
  intents.topics.classes.forEach((cls, i) => {
    if (serverTopics.has(cls)) mass += probs[i] ?? 0;
  });
  // The likeliest topic must itself be one of them: a question about DNS that half reads as OP25B is not about these.
  return serverTopics.has(best(probs, intents.topics.classes).cls) && mass >= SURE_SETTINGS ? { ...reading, topic: SETTINGS_TOPIC } : reading;
}

/** Sentence ends and the commas between clauses: "アプリパスワードを入れたら、届くようになりました" is two. */
const CLAUSE = /(?<=[。！？!?、，,])\s*|(?<=\.)\s+|\n+/;

/**
 * A turn of several sentences or clauses whose last one surely closes ("Found the cause: the firewall blocked 465.
 * This can be closed.", "アプリパスワードを入れたら、スキャンが届くようになりました"): what comes before tells the cause
 * that was fixed, not a new error. "Fixed the host, now I get: self signed certificate" ends with the error: no close.
 */
function closesAtEnd(index: EngineIndex, text: string, reading: TurnReading): boolean {
  if (reading.intent !== 'solved' && reading.intent !== 'thanks') return false;
  const sentences = text.split(CLAUSE).map((x) => x.trim()).filter((x) => x !== '');
  const last = sentences[sentences.length - 1];
  if (sentences.length < 2 || last === undefined) return false;
  const r = readTurn(intentIndexOf(index), last);
  if ((r.intent !== 'solved' && r.intent !== 'thanks') || r.confidence < SURE_LAST_CLAUSE) return false;
  // The last clause itself an error the rules know ("now I get: self signed certificate …") closes nothing.
  const d = analyze(index, last).diagnosis;
  return !(d.respond && d.evidence.some((e) => e.kind !== 'model'));
}

export class Bot {
  readonly store: StateStore;
  readonly feedback: Feedback;
  private readonly now: () => number;
  private readonly pacer: ChannelPacer;

  constructor(
    readonly index: EngineIndex,
    private readonly options: BotOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.store = options.store ?? new MemoryStore(this.now);
    this.pacer = new ChannelPacer(options.channelReplyIntervalMs ?? 0, this.now);
    this.feedback = new Feedback(this.store, this.now);
  }

  /** The labels a user can pick after 👎: each category by its first entry's title, then "none of these". */
  feedbackChoices(lang: Lang): { value: FeedbackLabel; label: string }[] {
    const choices: { value: FeedbackLabel; label: string }[] = [];
    for (const e of this.kb.entries) {
      if (!choices.some((c) => c.value === e.category)) choices.push({ value: e.category, label: pick(e.title, lang) });
    }
    choices.push({ value: 'none', label: t(this.kb.ui, 'bot.feedback.none', lang) });
    return choices;
  }

  /** Waits until an unasked reply may go to its channel; asked replies (no `delayMs`) go at once. */
  async waitTurn(channelId: string, outcome: Outcome): Promise<void> {
    if (outcome.type === 'reply' && outcome.delayMs !== undefined) await this.pacer.wait(channelId, outcome.delayMs);
  }

  get kb() {
    return this.index.kb;
  }

  /**
   * Language for a reply: the user's override; else Japanese for Japanese text; else English for a sentence written in
   * English; else the conversation's language, the user's own platform locale (a Japanese user pasting an English
   * server reply reads Japanese best), the configured default (SMTP_DOCTOR_LANG), in that order; else English.
   */
  async langFor(userId: string, text: string, locale?: Lang, conversation?: Lang): Promise<Lang> {
    const override = await this.langChoice(userId);
    if (override) return override;
    if (detectLang(text) === 'ja') return 'ja';
    if (writtenInEnglish(text)) return 'en';
    return conversation ?? locale ?? this.options.defaultLang ?? 'en';
  }

  /** The user's own choice: a language, or undefined to follow the language they write in. */
  async setLang(userId: string, lang: Lang | undefined): Promise<void> {
    if (lang) await this.store.set(`lang:${userId}`, lang, USER_STATE_TTL_MS);
    else await this.store.delete(`lang:${userId}`);
  }

  async langChoice(userId: string): Promise<Lang | undefined> {
    const chosen = await this.store.get(`lang:${userId}`);
    return chosen === 'ja' || chosen === 'en' ? chosen : undefined;
  }

  async handle(msg: Incoming): Promise<Outcome> {
    const text = normalize(msg.text).text.trim();
    if (msg.conversation !== undefined) return this.turn(msg, msg.conversation, text);
    if (!text) return msg.addressed ? this.reply(helpReply(this.kb, await this.langFor(msg.userId, '', msg.locale))) : { type: 'silent', reason: 'empty' };
    const lang = await this.langFor(msg.userId, text, msg.locale);
    const analysis = analyze(this.index, text, { lang });
    const d = analysis.diagnosis;
    const asked = msg.addressed || msg.place === 'direct';

    // Asked in a few words that only the model reads as an error ("mail.example.co.jp:465 に接続できるか試して" → can't
    // connect), what the words ask for comes first; answerAsked still gives the diagnosis when they ask for nothing.
    const wordsOnly = asked && text.length <= INTENT_MAX_CHARS && d.evidence.every((e) => e.kind === 'model');
    if (d.respond && !toldInWords(analysis) && !wordsOnly) {
      if (asked) return this.reply(await this.rateable(diagnosisReply(this.kb, d, lang), d, msg), d);
      const delayMs = await this.turnInChannel(msg.channelId, msg.userId);
      if (delayMs === undefined) return { type: 'silent', reason: 'throttled' };
      return { type: 'reply', reply: await this.rateable(diagnosisReply(this.kb, d, lang), d, msg), diagnosis: d, delayMs };
    }
    if (!asked) return { type: 'silent', reason: 'not-an-error' };
    return this.answerAsked(msg, text, lang, analysis);
  }

  private async answerAsked(msg: Incoming, text: string, lang: Lang, analysis: Analysis): Promise<Outcome> {
    const d = analysis.diagnosis;
    // A pasted DKIM-Signature header names the selector a check should look up (the check service reads it from the
    // text); what the user wrote around it says what they want, and a header alone asks about its own d= domain.
    const dkim = selectorsFromHeaders(text);
    const said = dkim.length > 0 ? withoutDkimSignatures(text) : text;
    const words = said === text ? d : analyze(this.index, said, { lang }).diagnosis;
    const short = said.length <= INTENT_MAX_CHARS;
    const pasted = words.signals.statusCodes.length > 0 || words.signals.errorCodes.length > 0;

    const langCommand = LANG_COMMAND.exec(text);
    if (langCommand) {
      const chosen: Lang = /^(ja|japanese|日本語)$/i.test(langCommand[1] ?? '') ? 'ja' : 'en';
      await this.setLang(msg.userId, chosen);
      return this.reply(helpReply(this.kb, chosen));
    }
    if (short && !pasted) {
      const target = words.signals.addresses.find((a) => a.includes('@')) ?? words.signals.hosts[0] ?? words.signals.addresses[0] ?? dkim[0]?.domain;
      // What the turn asks for is the intent model's reading (knowledge/intents/), as in a conversation: a check word
      // in a report, a tip or a quoted command ("昨日 smtp.example.jp をテストしたら通りました", "設定を確認してみました
      // が…") is no request, and a test runs only when the turn asks for one.
      const reading = readTurn(intentIndexOf(this.index), said, said === text ? analysis : undefined);
      const asksForTest = (reading.intent === 'probe' || reading.intent === 'check') && reading.confidence >= ONE_OFF_REQUEST && !(target && quotedCommand(said, target));
      // A DNS check is for a domain, an address or an IP; a mail server's name or a port asks for the server probe.
      const wantsCheck = (asksForTest && reading.intent === 'check') || (dkim.length > 0 && !said);
      if (target && wantsCheck && words.signals.ports.length === 0 && !SERVER_NAME.test(target)) {
        return { type: 'check', request: { target, lang, userId: msg.userId, text } };
      }
      if (target && asksForTest) {
        return { type: 'probe', request: { target, ports: words.signals.ports, lang, userId: msg.userId } };
      }
      if (reading.intent === 'checklist' && reading.confidence >= ONE_OFF_REQUEST) {
        return this.reply(checklistReply(this.kb, lang, { done: await this.checklistDone(msg.userId) }));
      }
      if (text.length <= 60 && reading.intent === 'help' && reading.confidence >= ONE_OFF_REQUEST) return this.reply(helpReply(this.kb, lang));
    }
    if (d.entry && !toldInWords(analysis)) return this.reply(await this.rateable(diagnosisReply(this.kb, d, lang), d, msg), d);
    const topic = analysis.topics[0]?.topic;
    if (topic?.id === SYMPTOM_TOPIC) return this.reply(symptomReply(this.kb, d, lang), d);
    if (topic) return this.reply(topicReply(topic, lang));
    if (msg.platform) await this.feedback.unknown(d, msg.platform);
    return { type: 'reply', reply: unknownReply(this.kb, lang), unknown: true };
  }

  /**
   * A conversation's button ("more", "next cause", "done", "didn't help") pressed: the same turn as the words typed,
   * in the conversation the button belongs to.
   */
  async press(msg: Incoming & { conversation: string }, action: ConversationActionId): Promise<Outcome> {
    return this.turn({ ...msg, addressed: true }, msg.conversation, '', PRESSED[action]);
  }

  /** One turn of a conversation, under the conversation's lock: two messages in one thread are answered in order. */
  private async turn(msg: Incoming, key: string, text: string, pressed?: IntentId): Promise<Outcome> {
    return withLock(this.store, `conversation:${key}`, async () => {
      const raw = await this.conversation(key);
      const known = Object.keys(raw).length > 0;
      const state = readConversation(raw);
      const asked = msg.addressed || msg.place === 'direct';
      if (!text && !pressed) return asked ? this.reply(helpReply(this.kb, await this.langFor(msg.userId, '', msg.locale, state.lang))) : { type: 'silent', reason: 'empty' };
      const lang = await this.langFor(msg.userId, text, msg.locale, state.lang);
      const whole = analyze(this.index, text, { lang });
      const wholeReading: TurnReading = pressed ? { intent: pressed, confidence: 1, topic: null, step: null } : readTurn(intentIndexOf(this.index), text, whole);
      // "直りました、ありがとうございます。ところで証明書の警告って何ですか": the thanks closes the old trouble, and what
      // comes after it is what this turn asks. What the whole turn tells (a port, an app) is still learnt below.
      const tail = pressed ? undefined : afterClosing(this.index, text, whole, wholeReading, lang, state.focus === 'checklist');
      const said = tail?.text ?? text;
      const analysis = tail?.analysis ?? whole;
      const reading = pressed ? (tail?.reading ?? wholeReading) : askedAboutTopic(this.index, said, tail?.reading ?? wholeReading, (tail?.analysis ?? whole).diagnosis);
      const d = analysis.diagnosis;
      const langCommand = LANG_COMMAND.exec(text);
      if (reading.intent === 'lang' || langCommand) {
        const chosen = chosenLang(text);
        if (chosen && (asked || known)) {
          await this.setLang(msg.userId, chosen);
          await this.setConversation(key, writeConversation({ ...state, lang: chosen }));
          const r = helpReply(this.kb, chosen);
          return { type: 'reply', reply: { ...r, title: say(this.kb.ui, `talk.lang.set.${chosen}`, chosen) }, turn: { kind: 'help' } };
        }
      }
      const namesProvider = mentionedProviders(mentionIndexOf(this.kb), text).length > 0;
      const namesClient = mentionedClients(mentionIndexOf(this.kb), text).length > 0;
      // A question about a setting ("SSL/TLSって何？") names it without saying it is the user's; with a port it does.
      const asksAbout = asksSurely(reading, text) && reading.topic !== null && d.context.ports.length === 0 && d.signals.ports.length === 0;
      const learnt = learn(this.kb, { ...state, lang }, text, whole.diagnosis, { encryption: !asksAbout });
      const toldSetting = learnt.port !== state.port || learnt.encryption !== state.encryption;
      const otherPerson = state.asker !== undefined && state.asker !== msg.userId;
      const closing = !tail && !pressed && closesAtEnd(this.index, text, reading);
      const result = takeTurn({ kb: this.kb, text: said, lang, analysis, reading: pressed ? reading : askedForSettings(this.index, said, reading, learnt.provider), asked, known, guess: toldInWords(analysis, reading), conversation: key, state: learnt, namesProvider, namesClient, toldSetting, otherPerson, closesAtEnd: closing });
      if (result.type === 'silent') {
        // Nothing said: a channel message that was not for the bot leaves no trace of a conversation.
        if (known) await this.setConversation(key, writeConversation(learnt));
        return { type: 'silent', reason: 'not-an-error' };
      }
      learnt.asker ??= msg.userId;
      await this.setConversation(key, writeConversation(learnt));
      if (result.type === 'probe') return { type: 'probe', request: { target: result.target, ports: result.ports, lang, userId: msg.userId } };
      if (result.type === 'check') return { type: 'check', request: { target: result.target, lang, userId: msg.userId, text } };
      const reply = result.diagnosis ? await this.rateable(result.reply, result.diagnosis, msg) : result.reply;
      const out: Outcome = { type: 'reply', reply, turn: result.turn };
      if (result.diagnosis) out.diagnosis = result.diagnosis;
      if (result.unknown) {
        out.unknown = true;
        if (msg.platform) await this.feedback.unknown(d, msg.platform);
      }
      // An unasked answer to a new paste waits its turn in the channel; a follow-up in a thread the bot is in does not.
      if (!asked && !known) {
        const delayMs = await this.turnInChannel(msg.channelId, msg.userId);
        if (delayMs === undefined) return { type: 'silent', reason: 'throttled' };
        out.delayMs = delayMs;
      }
      return out;
    });
  }

  /** A diagnosis on a chat platform gets 👍 / 👎, which refer to it by a pending feedback id. */
  private async rateable(reply: Reply, d: Diagnosis, msg: Incoming): Promise<Reply> {
    if (!msg.platform) return reply;
    const id = await this.feedback.pending(d, msg.platform);
    const ui = this.kb.ui;
    return {
      ...reply,
      actions: [
        ...reply.actions,
        { id: 'feedback-up', label: t(ui, 'bot.action.feedback-up', reply.lang), value: id },
        { id: 'feedback-down', label: t(ui, 'bot.action.feedback-down', reply.lang), value: id },
      ],
    };
  }

  /** The checklist, with this user's progress; `focus` puts a diagnosis's first step forward. */
  async checklist(userId: string, lang: Lang, focus?: CategoryId): Promise<Reply> {
    return checklistReply(this.kb, lang, { done: await this.checklistDone(userId), focus });
  }

  /**
   * Checks a step off (or on again) for a user and returns the updated checklist. Unknown step ids are ignored.
   * Under the user's lock: two quick ticks (or two instances) must not overwrite each other's step.
   */
  async toggleStep(userId: string, stepId: string, done: boolean, lang: Lang): Promise<Reply> {
    if (this.kb.checklist.some((s) => s.id === stepId)) {
      await withLock(this.store, `checklist:${userId}`, async () => {
        const set = await this.checklistDone(userId);
        if (done) set.add(stepId);
        else set.delete(stepId);
        await this.store.set(`checklist:${userId}`, [...set], USER_STATE_TTL_MS);
      });
    }
    return this.checklist(userId, lang);
  }

  /** What is known about one conversation (a thread, a DM): a JSON object, or an empty one. */
  async conversation(key: string): Promise<{ [key: string]: Json }> {
    const value = await this.store.get(`conversation:${key}`);
    return isJsonObject(value) ? value : {};
  }

  async setConversation(key: string, value: { [key: string]: Json }, ttlMs = USER_STATE_TTL_MS): Promise<void> {
    await this.store.set(`conversation:${key}`, value, ttlMs);
  }

  /** Read, change and write one conversation's state under its lock: two messages in one thread cannot lose an update. */
  async updateConversation(key: string, change: (state: { [key: string]: Json }) => { [key: string]: Json }, ttlMs = USER_STATE_TTL_MS): Promise<{ [key: string]: Json }> {
    return withLock(this.store, `conversation:${key}`, async () => {
      const next = change(await this.conversation(key));
      await this.setConversation(key, next, ttlMs);
      return next;
    });
  }

  /** Another name for a conversation (a platform's message id that a reply may point to). */
  async linkConversation(alias: string, key: string): Promise<void> {
    await this.store.set(`conversation-alias:${alias}`, key, USER_STATE_TTL_MS);
  }

  async linkedConversation(alias: string): Promise<string | undefined> {
    const key = await this.store.get(`conversation-alias:${alias}`);
    return typeof key === 'string' ? key : undefined;
  }

  private async checklistDone(userId: string): Promise<Set<string>> {
    const stored = await this.store.get(`checklist:${userId}`);
    return new Set(Array.isArray(stored) ? stored.filter((s): s is string => typeof s === 'string') : []);
  }

  /**
   * Fair pacing of unasked replies: one per user and channel per `userReplyIntervalMs` (a repeat by the same person
   * is skipped), and the channel's replies spaced `channelReplyIntervalMs` apart in arrival order — a queue, so a
   * different person's error always gets its turn. Returns how long this reply waits, or undefined to skip it.
   */
  private async turnInChannel(channelId: string, userId: string): Promise<number | undefined> {
    const perUser = this.options.userReplyIntervalMs ?? 0;
    if (perUser > 0 && !(await this.store.setIfAbsent(`pace:user:${channelId}:${userId}`, 1, perUser))) return undefined;
    const interval = this.options.channelReplyIntervalMs ?? 0;
    if (interval <= 0) return 0;
    const key = `pace:channel:${channelId}`;
    return withLock(this.store, key, async () => {
      const now = this.now();
      const next = await this.store.get(key);
      const slot = Math.max(now, typeof next === 'number' ? next : 0);
      await this.store.set(key, slot + interval, slot + interval - now + 1000);
      return slot - now;
    });
  }

  private reply(reply: Reply, diagnosis?: Diagnosis): Outcome {
    return diagnosis ? { type: 'reply', reply, diagnosis } : { type: 'reply', reply };
  }
}
