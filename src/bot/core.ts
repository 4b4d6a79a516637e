/**
 * The platform-neutral bot: decides what to do with a message (stay silent, diagnose, show the checklist, run a
 * probe, help) and builds the reply. Adapters only translate platform events into `Incoming` and replies into
 * platform formats. State kept here is per process: language overrides, checklist progress, channel throttling.
 */
import { analyze, type Analysis } from '../engine/diagnose.js';
import type { EngineIndex } from '../engine/index.js';
import { compact, detectLang, normalize } from '../engine/normalize.js';
import type { CategoryId, Diagnosis, Lang } from '../engine/types.js';
import type { Reply } from '../render/model.js';
import { checklistReply, diagnosisReply, helpReply, symptomReply, topicReply, unknownReply } from './replies.js';

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
  | { type: 'reply'; reply: Reply; diagnosis?: Diagnosis }
  | { type: 'probe'; request: ProbeRequest }
  | { type: 'check'; request: CheckRequest };

export interface BotOptions {
  /** Minimum time between two unasked replies in one channel. */
  channelReplyIntervalMs?: number;
  defaultLang?: Lang;
  now?: () => number;
}

/** The symptom topic: a trouble described in words rather than an error text. */
const SYMPTOM_TOPIC = 'send-trouble';
const INTENT_MAX_CHARS = 200;
const LANG_COMMAND = /^(?:lang(?:uage)?|言語)\s*(?:[:=]\s*)?(ja|en|japanese|english|日本語|英語)$/i;
/** "check smtp.example.jp" names a server to connect to; "check example.jp" a sending domain. */
const SERVER_NAME = /^(smtp|mail|mx|submission|out|outbound|imap|pop3?)[0-9-]*\./i;

/** Below this, an answer that rests on the learned model's reading of plain words alone is a guess, not a diagnosis. */
const WORDS_ONLY_CONFIDENCE = 0.35;

/**
 * A trouble told in words (「Outlookでメールが送れなくなりました」): no code and no rule evidence, only the model's
 * guess from the words. It gets the checklist narrowed by what the words tell, and silence when nobody asked.
 */
function toldInWords(d: Diagnosis): boolean {
  return d.confidence < WORDS_ONLY_CONFIDENCE && d.evidence.every((e) => e.kind === 'model');
}

function hasWord(lower: string, c: string, word: string): boolean {
  const w = word.toLowerCase();
  if (/^[a-z' ]+$/.test(w)) return new RegExp(`(^|[^a-z])${w.replace(/ /g, '\\s+')}([^a-z]|$)`).test(lower);
  return c.includes(compact(w));
}

export class Bot {
  private readonly langs = new Map<string, Lang>();
  private readonly checklists = new Map<string, Set<string>>();
  private readonly lastChannelReply = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    readonly index: EngineIndex,
    private readonly options: BotOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  get kb() {
    return this.index.kb;
  }

  /**
   * Language for a reply: the user's override; else Japanese for Japanese text; else the user's own platform locale
   * (a Japanese user pasting an English server reply reads Japanese best); else English for English text; else the default.
   */
  langFor(userId: string, text: string, locale?: Lang): Lang {
    const override = this.langs.get(userId);
    if (override) return override;
    if (detectLang(text) === 'ja') return 'ja';
    if (locale) return locale;
    if (text.trim() && /[a-z]{3}/i.test(text)) return 'en';
    return this.options.defaultLang ?? 'en';
  }

  setLang(userId: string, lang: Lang): void {
    this.langs.set(userId, lang);
  }

  handle(msg: Incoming): Outcome {
    const text = normalize(msg.text).text.trim();
    if (!text) return msg.addressed ? this.reply(helpReply(this.kb, this.langFor(msg.userId, '', msg.locale))) : { type: 'silent', reason: 'empty' };
    const lang = this.langFor(msg.userId, text, msg.locale);
    const analysis = analyze(this.index, text, { lang });
    const d = analysis.diagnosis;
    const asked = msg.addressed || msg.place === 'direct';

    if (d.respond && !toldInWords(d)) {
      if (!asked && !this.mayReplyUnasked(msg.channelId)) return { type: 'silent', reason: 'throttled' };
      return this.reply(diagnosisReply(this.kb, d, lang), d);
    }
    if (!asked) return { type: 'silent', reason: 'not-an-error' };
    return this.answerAsked(msg, text, lang, analysis);
  }

  private answerAsked(msg: Incoming, text: string, lang: Lang, analysis: Analysis): Outcome {
    const d = analysis.diagnosis;
    const lower = text.toLowerCase();
    const c = compact(lower);
    const short = text.length <= INTENT_MAX_CHARS;
    const intents = this.kb.intents;
    const pasted = d.signals.statusCodes.length > 0 || d.signals.errorCodes.length > 0;

    const langCommand = LANG_COMMAND.exec(text);
    if (langCommand) {
      const chosen: Lang = /^(ja|japanese|日本語)$/i.test(langCommand[1] ?? '') ? 'ja' : 'en';
      this.setLang(msg.userId, chosen);
      return this.reply(helpReply(this.kb, chosen));
    }
    if (short && !pasted) {
      const target = d.signals.addresses.find((a) => a.includes('@')) ?? d.signals.hosts[0] ?? d.signals.addresses[0];
      const wantsProbe = intents.probe.some((w) => hasWord(lower, c, w));
      if (target && d.signals.ports.length === 0 && (intents.check ?? []).some((w) => hasWord(lower, c, w)) && !(wantsProbe && SERVER_NAME.test(target))) {
        return { type: 'check', request: { target, lang, userId: msg.userId, text } };
      }
      if (target && wantsProbe) {
        return { type: 'probe', request: { target, ports: d.signals.ports, lang, userId: msg.userId } };
      }
      if (intents.checklist.some((w) => hasWord(lower, c, w))) {
        return this.reply(checklistReply(this.kb, lang, { done: this.checklistDone(msg.userId) }));
      }
      if (text.length <= 60 && intents.help.some((w) => hasWord(lower, c, w))) return this.reply(helpReply(this.kb, lang));
    }
    if (d.entry && !toldInWords(d)) return this.reply(diagnosisReply(this.kb, d, lang), d);
    const topic = analysis.topics[0]?.topic;
    if (topic?.id === SYMPTOM_TOPIC) return this.reply(symptomReply(this.kb, d, lang), d);
    if (topic) return this.reply(topicReply(topic, lang));
    return this.reply(unknownReply(this.kb, lang));
  }

  /** The checklist, with this user's progress; `focus` puts a diagnosis's first step forward. */
  checklist(userId: string, lang: Lang, focus?: CategoryId): Reply {
    return checklistReply(this.kb, lang, { done: this.checklistDone(userId), focus });
  }

  /** Checks a step off (or on again) for a user and returns the updated checklist. Unknown step ids are ignored. */
  toggleStep(userId: string, stepId: string, done: boolean, lang: Lang): Reply {
    if (this.kb.checklist.some((s) => s.id === stepId)) {
      let set = this.checklists.get(userId);
      if (!set) {
        set = new Set();
        this.checklists.set(userId, set);
      }
      if (done) set.add(stepId);
      else set.delete(stepId);
    }
    return this.checklist(userId, lang);
  }

  private checklistDone(userId: string): Set<string> {
    return this.checklists.get(userId) ?? new Set();
  }

  private mayReplyUnasked(channelId: string): boolean {
    const interval = this.options.channelReplyIntervalMs ?? 0;
    const now = this.now();
    const last = this.lastChannelReply.get(channelId);
    if (last !== undefined && now - last < interval) return false;
    this.lastChannelReply.set(channelId, now);
    return true;
  }

  private reply(reply: Reply, diagnosis?: Diagnosis): Outcome {
    return diagnosis ? { type: 'reply', reply, diagnosis } : { type: 'reply', reply };
  }
}
