/**
 * One turn of a conversation: what the user's message is (src/engine/intent.ts reads it), what is already known in
 * this conversation (src/bot/conversation.ts), and the reply that moves it on — a short first diagnosis, the next
 * cause when the first did not help, the checklist one step at a time, the user's app's menus, a question's answer
 * with the provider's own facts, a short close. A live test starts only on an explicit request that names a mail
 * server (or asks to test the one named earlier in the conversation).
 */
import { isQuestion, type Analysis } from '../engine/diagnose.js';
import { pick, t } from '../engine/i18n.js';
import { SURE_CHAT, type IntentId, type TurnReading } from '../engine/intent.js';
import type { CategoryId, ChecklistStep, ContextVocabulary, Diagnosis, KnowledgeBase, KnowledgeEntry, Lang, Topic, ToldFact } from '../engine/types.js';
import type { Reply } from '../render/model.js';
import { renderText } from '../render/text.js';
import { askedInWords, mentionedBounce, mentionedEncryption, mentionedProviders, mentionedTold } from '../engine/mentions.js';
import { fingerprint, isServerName, mentionIndexOf, namedHosts, toldFacts, toldFactsOf, type Conversation } from './conversation.js';
import { checklistReply, helpReply, ownWords, unknownReply } from './replies.js';
import {
  answerReply,
  bounceToldReply,
  checklistFinishedReply,
  checklistStepReply,
  clientReply,
  detailReply,
  mismatchKey,
  mismatchOf,
  mismatchReply,
  moreStepsReply,
  nextCauseReply,
  notFoundAgainReply,
  notFoundReply,
  optionNamed,
  optionOfReply,
  outOfIdeasReply,
  providerFacts,
  SIGN_IN_FACTS,
  shortDiagnosisReply,
  simpleReply,
  symptomFirstReply,
} from './talk.js';

export type TurnKind = 'diagnosis' | 'symptom' | 'answer' | 'followup' | 'checklist' | 'probe' | 'closing' | 'help' | 'silence';

/** What a turn was, for the record of the conversation and for `converse --jsonl`. */
export interface TurnInfo {
  kind: TurnKind;
  topic?: string;
  entry?: string;
  category?: CategoryId;
}

export type TurnResult =
  /** `unknown`: asked, and nothing in the message was understood (the unknown rate on /metrics). */
  | { type: 'reply'; reply: Reply; turn: TurnInfo; diagnosis?: Diagnosis; unknown?: true }
  | { type: 'probe'; target: string; ports: number[] }
  | { type: 'check'; target: string }
  | { type: 'silent' };

/** Intents that answer what the bot said last: in a thread the bot is already in, they need no mention. */
const FOLLOW_UPS: ReadonlySet<IntentId> = new Set(['still-failing', 'step-done', 'step-failed', 'not-found', 'next', 'more', 'which-app', 'solved', 'thanks']);
/** Below this the reading of a turn nobody addressed to the bot is not acted on. */
const UNASKED_CONFIDENCE = 0.6;
/** Below this a follow-up reading of a turn is taken for chat. */
const FOLLOW_UP_CONFIDENCE = 0.5;
const CLOSING_CONFIDENCE = 0.6;
/**
 * Less sure, a close still ends a conversation the bot has spoken in when the engine reads no trouble in the words:
 * "put the new password in, it sends now" tells what was done before saying it works, and reads less surely for it.
 */
const CLOSING_IN_CONVERSATION = 0.4;
/** A close the engine reads as an error too (its model guessing from the words): it must be this sure. */
const CLOSING_OVER_ERROR = 0.9;
/** How sure the reading of a test request must be to run it, when the engine also reads an error in the same words, and to offer it. */
const RUN_REQUEST = 0.75;
const REQUEST_MAX_CHARS = 80;
const RUN_OVER_ERROR = 0.99;
const OFFER_REQUEST = 0.8;
/** Asking which server to test sends no packet: a request less sure than an offer still gets the question. */
const ASK_SERVER = 0.6;
/** Below this a question reading of a statement is no question: see asksSurely. */
const SURE_QUESTION = 0.6;
/** Below this, a question read as "tell me more" in the checklist asks something of its own. */
const SURE_MORE = 0.8;
/** Below this, a reading of a question in the middle of a trouble as a request for the bot's help text is not taken. */
const SURE_HELP = 0.7;
/** A follow-up read this surely is one, even when its words are also an error's phrase. */
const SURE_FOLLOW_UP = 0.9;
/** A question read this surely, with its topic, is answered from the topic even when its words name an error. */
const SURE_TOPIC = 0.9;
/** The least confidence of an alternative reading worth offering as the next cause. */
const ALTERNATIVE_CONFIDENCE = 0.25;

export interface TurnInput {
  kb: KnowledgeBase;
  text: string;
  lang: Lang;
  analysis: Analysis;
  reading: TurnReading;
  /** Addressed to the bot (a mention, a DM, the terminal). */
  asked: boolean;
  /** The bot has spoken in this conversation before. */
  known: boolean;
  /** The diagnosis is a guess from plain words (see Bot): not a diagnosis to give. */
  guess: boolean;
  conversation: string;
  state: Conversation;
  /** This message names a provider, or a mail app (not only an earlier one). */
  namesProvider: boolean;
  namesClient: boolean;
  /** This message told a setting the conversation did not know yet: a port or an encryption. */
  toldSetting?: boolean;
  /** Someone other than the person the bot has been helping in this conversation wrote it. */
  otherPerson?: boolean;
  /** The turn has several sentences and its last one surely closes: an error's words before it tell the fixed cause. */
  closesAtEnd?: boolean;
}

/** The paste has a reply code, an enhanced status code or an error code. */
export function hasCodes(d: Diagnosis): boolean {
  return d.signals.statusCodes.length + d.signals.replyCodes.length + d.signals.errorCodes.length > 0;
}

function entryById(kb: KnowledgeBase, id: string | undefined): KnowledgeEntry | undefined {
  return id ? kb.entries.find((e) => e.id === id) : undefined;
}

/** Records a reply as said; returns false (and records nothing) when exactly this was said before. */
function fresh(c: Conversation, reply: Reply): boolean {
  const f = fingerprint(renderText(reply));
  if (c.said.includes(f)) return false;
  c.said.push(f);
  return true;
}

const reply = (r: Reply, turn: TurnInfo, diagnosis?: Diagnosis): TurnResult => (diagnosis ? { type: 'reply', reply: r, turn, diagnosis } : { type: 'reply', reply: r, turn });

/**
 * The checklist step to look at next, among those still open: the one a category points to, else one a told fact
 * points to, else the sign-in check for a provider with its own way of signing in, else the first.
 */
function nextStep(kb: KnowledgeBase, c: Conversation, focus?: CategoryId): ChecklistStep | undefined {
  const open = openSteps(kb, c);
  return (focus ? open.find((s) => s.categories.includes(focus)) : undefined) ?? pointedStep(kb, c, open) ?? requiredStep(kb, c, open) ?? open[0];
}

/**
 * The sign-in check, when the user's provider makes a mail app sign in its own way (Gmail's and iCloud's app passwords,
 * an access switch to turn on): for a trouble told in words with that provider, the likeliest cause.
 */
function requiredStep(kb: KnowledgeBase, c: Conversation, open: ChecklistStep[]): ChecklistStep | undefined {
  const provider = kb.providers.find((p) => p.id === c.provider);
  if (!provider?.setup.some((s) => (SIGN_IN_FACTS as readonly string[]).includes(s.kind))) return undefined;
  return open.find((s) => s.categories.includes('auth-failed'));
}

/** Checklist steps not yet shown or done, nor ruled out by what the user told ("受信はできます": the device is online). */
function openSteps(kb: KnowledgeBase, c: Conversation): ChecklistStep[] {
  const ruledOut = new Set(toldFacts(kb, c).flatMap((f) => f.rulesOut));
  return kb.checklist.filter((s) => !c.checklistShown.includes(s.id) && !c.checklistDone.includes(s.id) && !ruledOut.has(s.id));
}

/** Whether a checklist step has something of the user's app or provider to show (a menu path, a server, a sign-in fact). */
function stepFitsTo(kb: KnowledgeBase, step: ChecklistStep, c: Conversation, lang: Lang): boolean {
  const r = checklistStepReply(kb, step, lang, c, '');
  return r.sections.some((s) => s.style === 'bullets') || r.summary !== pick(step.howto, lang);
}

/** The open step a told fact points to ("I run Norton": the security software check), if any. */
function pointedStep(kb: KnowledgeBase, c: Conversation, open: ChecklistStep[]): ChecklistStep | undefined {
  const pointed = new Set(toldFacts(kb, c).flatMap((f) => f.steps));
  return open.find((s) => pointed.has(s.id));
}

function showStep(input: TurnInput, c: Conversation, step: ChecklistStep, kind: TurnKind, intro?: string): TurnResult {
  c.checklistShown.push(step.id);
  c.checklistAt = step.id;
  c.focus = 'checklist';
  const r = checklistStepReply(input.kb, step, input.lang, c, input.conversation, intro);
  fresh(c, r);
  return reply(r, { kind });
}

const providersNamed = new WeakMap<KnowledgeEntry, string[]>();

/** The providers an entry is about (Microsoft 365's SMTP AUTH switch, Gmail's app passwords), from its own words. */
function providersOf(kb: KnowledgeBase, entry: KnowledgeEntry): string[] {
  let ids = providersNamed.get(entry);
  if (!ids) {
    const words = [entry.title, entry.summary, ...entry.causes].map((x) => `${x.ja}\n${x.en}`).join('\n');
    ids = mentionedProviders(mentionIndexOf(kb), words).map((m) => m.item.id);
    providersNamed.set(entry, ids);
  }
  return ids;
}

/**
 * Causes to offer after the first did not help, most likely first: the other entries of the same category (those
 * about the user's provider first, none about another provider), then the engine's other readings of the paste.
 */
function nextCauses(kb: KnowledgeBase, c: Conversation): string[] {
  const current = entryById(kb, c.entry);
  const fits = (e: KnowledgeEntry): boolean => {
    const about = providersOf(kb, e);
    return about.length === 0 || (c.provider !== undefined && about.includes(c.provider));
  };
  const pointed = pointedCauses(kb, c, toldFacts(kb, c));
  const same = current
    ? kb.entries
        .filter((e) => e.category === current.category && e.id !== current.id && fits(e))
        .sort((a, b) => Number(providersOf(kb, b).includes(c.provider ?? '')) - Number(providersOf(kb, a).includes(c.provider ?? '')) || b.priority - a.priority)
        .map((e) => e.id)
    : [];
  return [...new Set([...pointed, ...same, ...c.alternatives])];
}

/**
 * Causes told facts make likely (a firewall after "I run Norton", OP25B on port 25) after the diagnosis under
 * discussion: a fact's causes of its category; where it has none, all of them after a category the fact lists.
 */
function pointedCauses(kb: KnowledgeBase, c: Conversation, facts: readonly ToldFact[]): string[] {
  const current = entryById(kb, c.entry);
  if (!current) return [];
  return facts.flatMap((f) => {
    const ids = f.entries.filter((id) => id !== current.id);
    const own = ids.filter((id) => entryById(kb, id)?.category === current.category);
    return own.length > 0 ? own : f.after.includes(current.category as Exclude<CategoryId, 'unknown'>) ? ids : [];
  });
}

/** The facts this turn tells: by its words, or by a port it names ("ポートは25になってた"). */
function toldNow(input: TurnInput, d: Diagnosis): ToldFact[] {
  return toldFactsOf(input.kb, mentionedTold(input.kb.context, input.text), [...d.signals.ports, ...d.context.ports]);
}

/** A cause offered as the next likely one: the search goes on from it. Undefined when exactly this was said before. */
function likelyCause(input: TurnInput, c: Conversation, entry: KnowledgeEntry): TurnResult | undefined {
  const { reply: r, stepsShown } = nextCauseReply(input.kb, entry, input.lang, c, input.conversation);
  if (!fresh(c, r)) return undefined;
  c.entry = entry.id;
  c.category = entry.category;
  c.stepsShown = stepsShown;
  c.focus = 'diagnosis';
  return reply(r, { kind: 'followup', entry: entry.id, category: entry.category });
}

/** The first of these causes not given yet in the conversation, offered as the next likely one (each tried is given). */
function firstLikelyCause(input: TurnInput, c: Conversation, ids: readonly string[]): TurnResult | undefined {
  for (const id of ids) {
    if (c.given.includes(id)) continue;
    const entry = entryById(input.kb, id);
    if (!entry) continue;
    c.given.push(id);
    const told = likelyCause(input, c, entry);
    if (told) return told;
  }
  return undefined;
}

/** "Still failing": the next likely cause not yet given, then the steps not yet shown, then the checklist, then "out of ideas". */
function stillFailing(input: TurnInput, c: Conversation): TurnResult {
  const { kb, lang } = input;
  const cause = firstLikelyCause(input, c, nextCauses(kb, c));
  if (cause) return cause;
  const current = entryById(kb, c.entry);
  if (current && c.stepsShown < current.steps.length) return moreSteps(input, c, current);
  const step = nextStep(kb, c, c.category);
  if (step) return showStep(input, c, step, 'followup');
  c.focus = 'closed';
  return reply(outOfIdeasReply(kb, lang, c), { kind: 'followup' });
}

function moreSteps(input: TurnInput, c: Conversation, entry: KnowledgeEntry): TurnResult {
  const r = moreStepsReply(input.kb, entry, c.stepsShown, input.lang, c, input.conversation);
  c.stepsShown = Math.min(entry.steps.length, c.stepsShown + 3);
  fresh(c, r);
  return reply(r, { kind: 'followup', entry: entry.id, category: entry.category });
}

/**
 * A step number in the turn names a checklist step — unless a diagnosis's own steps are what the bot showed last:
 * "did step 1, no change" right after a diagnosis is about its first step, not the checklist's.
 */
function checklistStepNamed(input: TurnInput, c: Conversation): boolean {
  return input.reading.step !== null && c.focus !== 'diagnosis';
}

/** A checklist step answered (done, or did not help): the next one, or the end of the list. */
function stepAnswered(input: TurnInput, c: Conversation, done: boolean, kind: TurnKind = 'checklist'): TurnResult {
  const { kb } = input;
  const named = input.reading.step !== null ? kb.checklist[input.reading.step - 1] : undefined;
  const answered = named ?? kb.checklist.find((s) => s.id === c.checklistAt);
  if (answered) {
    if (done && !c.checklistDone.includes(answered.id)) c.checklistDone.push(answered.id);
    if (!c.checklistShown.includes(answered.id)) c.checklistShown.push(answered.id);
  }
  // A step the user named by its number goes on in the list's order from there; otherwise the search began at the
  // likeliest step (a told fact, the provider's sign-in) and goes on with the first one not yet looked at.
  const after = answered && named ? kb.checklist.indexOf(answered) : -1;
  const open = openSteps(kb, c);
  const step = pointedStep(kb, c, open) ?? open.find((s) => kb.checklist.indexOf(s) > after) ?? open[0];
  if (step) return showStep(input, c, step, kind);
  c.focus = 'closed';
  return reply(checklistFinishedReply(kb, input.lang), { kind });
}

/**
 * What a turn that answers a checklist step is: going through the checklist when the user asked for it; a follow-up
 * when the checklist is only where the bot's search went — after a trouble told in words ("まだダメです", "i use 587 but
 * not working", "確認しましたが問題ないそうです", more of the trouble in other words after the first check the bot gave),
 * as after a diagnosis whose causes ran out. Three people labelling real threads apart from us (dialogues-5, -6 and -7)
 * called those turns follow-ups, never checklist steps.
 */
function searchKind(c: Conversation): TurnKind {
  return c.checklistAsked ? 'checklist' : 'followup';
}

/** The bot has spoken in this conversation and it is not closed: what the user says now goes on with it. */
function goesOn(input: TurnInput, c: Conversation): boolean {
  return input.known && c.focus !== undefined && c.focus !== 'closed';
}

/** The question a trouble told in words most needs answered: which app, then which provider, then the exact text. */
function oneQuestionKey(c: Conversation): string {
  if (!c.client) return 'talk.ask.app';
  if (!c.provider) return 'talk.ask.provider';
  return 'talk.ask.error';
}

function oneQuestion(kb: KnowledgeBase, c: Conversation, lang: Lang): string {
  return t(kb.ui, oneQuestionKey(c), lang);
}

/**
 * A trouble told in words: the checklist step to start with, and the one question that would narrow it most. Told
 * after the bot has answered ("To be specific: I can read mail but not send it", the settings pasted), it goes on with
 * the conversation, a follow-up; at the start, or after a close, it is a trouble of its own.
 */
function symptom(input: TurnInput, c: Conversation, focus?: CategoryId, kind?: TurnKind): TurnResult | undefined {
  kind ??= goesOn(input, c) ? 'followup' : 'symptom';
  if (mentionedBounce(input.kb.context, input.text)) {
    const r = bounceToldReply(input.kb, input.lang, c);
    if (fresh(c, r)) {
      c.focus = 'answer';
      return reply(r, { kind });
    }
  }
  const step = nextStep(input.kb, c, focus);
  if (!step) return undefined;
  c.checklistShown.push(step.id);
  c.checklistAt = step.id;
  c.focus = 'checklist';
  const r = symptomFirstReply(input.kb, step, input.lang, c, input.conversation, oneQuestion(input.kb, c, input.lang));
  fresh(c, r);
  return reply(r, { kind });
}

function diagnosis(input: TurnInput, c: Conversation, d: Diagnosis): TurnResult {
  const entry = d.entry as KnowledgeEntry;
  const probeHost = c.server;
  const { reply: r, stepsShown } = shortDiagnosisReply(input.kb, d, input.lang, c, input.conversation, probeHost);
  c.entry = entry.id;
  c.category = d.category;
  // The engine's other readings, when it gave them some weight: a faint one is no likely cause.
  c.alternatives = d.alternatives.filter((a) => a.confidence >= ALTERNATIVE_CONFIDENCE && a.entry !== entry.id).map((a) => a.entry);
  c.evidence = ownWords(d.redacted, d.evidence);
  c.given = [...new Set([...c.given, entry.id])];
  c.stepsShown = stepsShown;
  c.error = d.redacted;
  c.diagnosed = entry.id;
  c.focus = 'diagnosis';
  fresh(c, r);
  return reply(r, { kind: 'diagnosis', entry: entry.id, category: d.category }, d);
}

/** Replies to "I can't find it": they keep the option they are about, whatever other settings their words name. */
const notFoundReplies = new WeakSet<Reply>();

/**
 * "I can't find that option" after an answer or a diagnosis: the option the turn names, else the one the last reply
 * told the user to find, else the one of the entry or topic under discussion, else the app's outgoing server settings
 * — where it is for their provider and app, and what must be true before it shows. Undefined when exactly this was
 * said before (the user still cannot find it): then it is a step that did not work.
 */
function notFound(input: TurnInput, c: Conversation): TurnResult | undefined {
  const { kb, lang } = input;
  const options = kb.options ?? [];
  const topic = c.topics[c.topics.length - 1];
  const option =
    optionNamed(kb, input.text, c.provider) ??
    options.find((o) => o.id === c.option) ??
    options.find((o) => c.entry !== undefined && o.entries.includes(c.entry)) ??
    options.find((o) => topic !== undefined && o.topics.includes(topic)) ??
    options[options.length - 1];
  if (!option) return undefined;
  // Still not there after the first answer: what the screen shows instead, and the provider's own help.
  for (const r of [notFoundReply(kb, option, c, lang), notFoundAgainReply(kb, option, c, lang)]) {
    if (!fresh(c, r)) continue;
    c.option = option.id;
    c.lookingFor = option.id;
    notFoundReplies.add(r);
    return reply(r, { kind: 'followup' });
  }
  return undefined;
}

/** Turns that are no trouble report: a told setting in them is not answered with the fix for it. */
const NOT_A_REPORT: ReadonlySet<IntentId> = new Set(['solved', 'thanks', 'probe', 'check', 'lang', 'help', 'checklist']);

/**
 * A port and an encryption that do not go together, this turn telling one of them ("SSLにチェック入れてます" after
 * "587です", "I use SSL on port 587"): the likely fault, pointed out once, with what to change in the user's own app.
 */
function toldMismatch(input: TurnInput, c: Conversation, intent: IntentId): TurnResult | undefined {
  const { kb, lang } = input;
  const d = input.analysis.diagnosis;
  if (NOT_A_REPORT.has(intent)) return undefined;
  // A question as sure as a topic's own answer, asked as one ("so it's 587 for TLS and 465 for SSL, right?"), asks
  // about the pairing: it is answered, not taken for the user's setting.
  if (intent === 'question' && input.reading.topic !== null && input.reading.confidence >= SURE_TOPIC && askedAsQuestion(kb.context, input.text)) return undefined;
  const tells = d.context.ports.length > 0 || d.signals.ports.length > 0 || mentionedEncryption(kb.context, input.text) !== undefined;
  const m = tells ? mismatchOf(kb, c) : undefined;
  if (!m || c.said.includes(mismatchKey(m))) return undefined;
  const entry = entryById(kb, kb.context.mismatchEntry);
  const category: CategoryId = entry?.category ?? 'tls-mismatch';
  const kind: TurnKind = input.known && c.focus !== undefined ? 'followup' : 'symptom';
  const r = mismatchReply(kb, m, category, lang, c, input.conversation);
  if (entry) {
    c.entry = entry.id;
    c.category = entry.category;
    c.given = [...new Set([...c.given, entry.id])];
    // Its own first step is the one just given: "done" goes on from the second.
    c.stepsShown = 1;
  }
  c.focus = 'diagnosis';
  fresh(c, r);
  const turn: TurnInfo = { kind, category };
  if (entry) turn.entry = entry.id;
  return reply(r, turn);
}

function topicOf(input: TurnInput): Topic | undefined {
  const id = input.reading.topic ?? input.analysis.topics.find((x) => x.topic.id !== 'send-trouble')?.topic.id;
  return id ? input.kb.topics.find((x) => x.id === id) : undefined;
}

/** Right after an answer, the user's provider named in this turn: the same topic again, with that provider's facts. */
function answerForProvider(input: TurnInput, c: Conversation): TurnResult | undefined {
  const { kb } = input;
  const topic = c.focus === 'answer' ? kb.topics.find((x) => x.id === c.topics[c.topics.length - 1]) : undefined;
  const provider = input.namesProvider ? kb.providers.find((x) => x.id === c.provider) : undefined;
  if (!topic || !provider) return undefined;
  const r = answerReply(kb, topic, provider, kb.clients.find((x) => x.id === c.client), input.lang);
  fresh(c, r);
  return reply(r, { kind: 'answer', topic: topic.id });
}

/**
 * The topic a question that names none goes on from ("and 2525?", "TLSのときは？" right after an answer about ports or
 * encryption): that answer's topic. Only for a question surely asked as one.
 */
function topicGoneOnFrom(input: TurnInput, c: Conversation): Topic | undefined {
  if (!input.known || c.focus !== 'answer') return undefined;
  if (!(input.reading.intent === 'question' && (input.reading.confidence >= SURE_QUESTION || askedAsQuestion(input.kb.context, input.text)))) return undefined;
  return input.kb.topics.find((x) => x.id === c.topics[c.topics.length - 1]);
}

function question(input: TurnInput, c: Conversation, mentionedProvider: boolean): TurnResult | undefined {
  const { kb, lang } = input;
  const topic = topicOf(input) ?? topicGoneOnFrom(input, c);
  // A provider's facts belong in the answer when the question names it, or the topic is about settings it has.
  const wantsProvider = mentionedProvider || (topic?.uses?.provider.length ?? 0) > 0;
  const provider = wantsProvider ? kb.providers.find((p) => p.id === c.provider) : undefined;
  if (!topic && !provider) return undefined;
  if (topic && !c.topics.includes(topic.id)) c.topics.push(topic.id);
  c.focus = 'answer';
  const r = answerReply(kb, topic, provider, kb.clients.find((x) => x.id === c.client), lang);
  fresh(c, r);
  const turn: TurnInfo = { kind: 'answer' };
  if (topic) turn.topic = topic.id;
  return reply(r, turn);
}

/** Quoted spans: 「…」, "…", “…”, `…`. */
const QUOTED = /「[^」]*」|"[^"]*"|“[^”]*”|`[^`]*`/g;

/**
 * Whether the target is named only in a quoted command ("「smtp.example.jp をテストして」と書けばいい？"): quotes that
 * hold words besides the host, with words around them. `test "smtp.example.com"` only quotes the name.
 */
export function quotedCommand(text: string, target: string): boolean {
  const host = target.split(':')[0]?.toLowerCase() ?? '';
  const lower = text.toLowerCase();
  const commands = [...lower.matchAll(QUOTED)].map((m) => m[0]).filter((q) => q.includes(host) && q.replace(host, '').replace(/[\s"「」“”`:0-9]/g, '').length > 0);
  const outside = lower.replace(QUOTED, ' ');
  return commands.length > 0 && !outside.includes(host) && outside.replace(/[\s。、.,!?！？]/g, '').length > 0;
}

/** A port a request names in words ("on 587", "port 465", "465番", "ポート587"), besides the ones the engine read. */
const REQUEST_PORT = /(?:\bon|\bport|ポート|:)\s*(\d{2,5})\b|(\d{2,5})\s*番/gi;

function requestPorts(text: string, d: Diagnosis): number[] {
  const ports = new Set(d.signals.ports);
  for (const m of text.normalize('NFKC').matchAll(REQUEST_PORT)) {
    const port = Number(m[1] ?? m[2]);
    if (port > 0 && port < 65536) ports.add(port);
  }
  return [...ports];
}

function probeTarget(input: TurnInput, c: Conversation): string | undefined {
  const d = input.analysis.diagnosis;
  const named = namedHosts(input.text, d);
  const address = d.signals.addresses.find((a) => a.includes('@'));
  return named.find((h) => isServerName(input.kb, h)) ?? named[0] ?? address ?? c.server;
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

/** Words of a sentence, not one bare token ("/no/such/file.txt", "ok"): only those can tell more of a trouble. */
function inWords(text: string): boolean {
  const t = text.trim();
  return /\s/.test(t) || JAPANESE.test(t);
}

/**
 * Decides the reply to one turn and updates what is known (`state`, changed in place), with the setting the reply
 * tells the user to find (knowledge/options.yaml): what a following "I can't find it" is about.
 */
export function takeTurn(input: TurnInput): TurnResult {
  const c = input.state;
  // The "which server?" question is answered by the very next turn only.
  const askedServer = c.askedServer === true;
  delete c.askedServer;
  // Only the turn right after a test may ask for it again on another port.
  const probed = c.probed;
  delete c.probed;
  const before = new Set(c.said);
  const decided = decide(input, askedServer, probed);
  if (decided.type === 'probe') c.probed = hostOf(decided.target);
  const result = decided.type === 'reply' ? unrepeated(input, decided, before) : decided;
  if (result.type === 'reply' && !notFoundReplies.has(result.reply)) {
    const option = optionOfReply(input.kb, result.reply, result.turn, input.state.provider);
    if (option) input.state.option = option.id;
    else delete input.state.option;
    delete input.state.lookingFor;
  }
  return result;
}

/**
 * No reply is given twice in one conversation, whichever way the turn was decided ("haha ok" after the chat reply, a
 * second question the same topic answers): what was said above is pointed to instead, or a short acknowledgement.
 * A diagnosis is for a paste, each its own; and a message addressed to the bot is always answered (a DM where every
 * paste is one conversation), so once the pointers are used up the reply itself is given again.
 */
function unrepeated(input: TurnInput, result: TurnResult & { type: 'reply' }, before: ReadonlySet<string>): TurnResult {
  const c = input.state;
  const f = fingerprint(renderText(result.reply));
  if (!before.has(f) || result.turn.kind === 'diagnosis') {
    if (!c.said.includes(f)) c.said.push(f);
    return result;
  }
  // Chat and thanks said again get "whenever you're ready" or "OK", never "my reply above covers that".
  const order = result.turn.kind === 'help' || result.turn.kind === 'closing' ? ['chat', 'ok'] : ['answer', 'chat', 'ok'];
  for (const key of order) {
    const r = simpleReply(input.kb, input.lang, `talk.again.${key}.title`, `talk.again.${key}.summary`);
    const g = fingerprint(renderText(r));
    if (c.said.includes(g)) continue;
    c.said.push(g);
    return { type: 'reply', reply: r, turn: result.turn };
  }
  return result;
}

/** Ends with a question mark: a question, however it is worded. */
const ASKS = /[?？]\s*$/;
/** A question mark that ends a sentence inside the turn ("and 2525? my host mentions it"), not one inside a link. */
const ASKS_IN = /[?？](?:\s|$)/;
/** A turn asked as a question, by its form: a question mark, an interrogative, a request to be told. */
export function askedAsQuestion(vocab: ContextVocabulary, text: string): boolean {
  const t = text.trim();
  // ASKS_IN also finds a mark at the very end (ASKS).
  return isQuestion(t) || ASKS_IN.test(t) || askedInWords(vocab, t);
}

/** A Japanese sentence that ends in a predicate that tells ("…を使っています", "…にしてます", "…でした"). */
const JA_TELLS = /(?:です|ます|ました|でした|ません|ている|てる|ていた|ない|った|した|だ)[\s。．.!！]*$/;
/** An English sentence with a verb that tells what is ("host is …", "I'm sending through …", "we use …"). */
const EN_TELLS = /\b(?:is|are|was|were|am|i'm|it's|we're|use|uses|using|have|has|set|configured|send|sending|sends)\b/i;

/** A wish at the end of a turn ("…を作りたいです"), or a turn that opens with one and tells no failure ("I want to set up SPF"). */
const JA_WISH = /たい(?:です|んです|のです)?[\s。．.!！]*$/;
const EN_WISH = /^(?:i|we)\s+(?:really\s+)?(?:want|would like|'d like|need)\s+to\b(?!.*\b(?:but|fails?|failed|failing|errors?|won't|can't|cannot|doesn't|isn't)\b)/i;
function wish(text: string): boolean {
  const t = text.trim();
  return JA_WISH.test(t) || EN_WISH.test(t);
}

/**
 * A turn said as a statement, by its form: not asked as a question, and with a predicate that tells something — a
 * bare topic named without one ("アプリパスワードの作り方", "difference between 465 and 587") may still ask about it.
 */
function toldAsStatement(vocab: ContextVocabulary, text: string): boolean {
  const t = text.trim();
  if (askedAsQuestion(vocab, t)) return false;
  return JAPANESE.test(t) ? t.split(/\n/).every((line) => line.trim() === '' || JA_TELLS.test(line.trim())) : EN_TELLS.test(t);
}

/**
 * A question the intent model is sure of, or one asked as a question. A statement that names a setting
 * ("暗号化はSTARTTLSにしています") reads faintly as a question about its topic; it tells the setting.
 */
export function asksSurely(reading: TurnReading, text: string): boolean {
  return reading.intent === 'question' && (reading.confidence >= SURE_QUESTION || isQuestion(text));
}

/** The host of a test's target ("smtp.example.jp:587" → "smtp.example.jp"; an IPv6 address stays whole). */
const hostOf = (target: string): string => (/^[^:]+:\d+$/.test(target) ? (target.split(':')[0] ?? target) : target);

/** Turns that tell what happened (a report) rather than ask for something: never a test, even with a port in them. */
const REPORTS: ReadonlySet<IntentId> = new Set(['still-failing', 'step-done', 'step-failed', 'not-found', 'solved', 'thanks', 'symptom', 'error', 'help', 'lang', 'checklist']);
/** Intents that ask for something: right after a test, with only a port named, the same test on that port. */
const ASKS_AGAIN: ReadonlySet<IntentId> = new Set(['probe', 'check', 'next', 'more']);

/**
 * Below this a question's reading is unsure: right after a test, with only a port named, it asks for the test again;
 * right after a diagnosis, a statement so read goes on from the diagnosis.
 */
const UNSURE_QUESTION = 0.5;
const BARE_PORT = /(?<![\d.:])(\d{2,5})(?![\d.])/g;
/** A turn that is only a port and "too" / "then?" ("465番も", "じゃあ587は？", "2525 too"). */
const PORT_ONLY = /^(?:じゃあ|では|and|now|what about)?\s*(?:ポート)?\s*\d{2,5}\s*(?:番(?:ポート)?)?\s*(?:も|は|でも|too|as well)?\s*[?？]?$/i;

/**
 * Right after a test, a short turn that names a port and no server ("同じサーバーの465番も", "now 465 on that same host",
 * "and 2525?") asks for the same test on that port. A report with a port in it ("587にしたけどダメ") is no request, nor
 * a question about the port itself ("465って何？", a topic the answers know).
 */
function probeAgain(input: TurnInput, probed: string | undefined, intent: IntentId): TurnResult | undefined {
  const d = input.analysis.diagnosis;
  if (!probed || hasCodes(d) || input.text.length > REQUEST_MAX_CHARS || namedHosts(input.text, d).length > 0) return undefined;
  // "465番も", "587も": only a port, with "too" — read faintly as a step done ("2番も"), but a step has no such number.
  const portOnly = PORT_ONLY.test(input.text.normalize('NFKC').trim()) && input.reading.step === null;
  if (REPORTS.has(intent) && !portOnly) return undefined;
  // A question the reading is unsure of ("same server, port 2525 too?" half reads as one about ports) asks for the test.
  const unsureQuestion = intent === 'question' && (input.reading.topic === null || input.reading.confidence < UNSURE_QUESTION);
  const asks = portOnly || ASKS_AGAIN.has(intent) || unsureQuestion || (ASKS.test(input.text.trim()) && (intent === 'chitchat' || intent === 'which-app'));
  if (!asks) return undefined;
  // No server named and a test just run: a bare number is the port ("587も", "and 2525?").
  const bare = [...input.text.normalize('NFKC').matchAll(BARE_PORT)].map((m) => Number(m[1])).filter((p) => p > 0 && p < 65536);
  const ports = [...new Set([...requestPorts(input.text, d), ...d.context.ports, ...bare])];
  return ports.length > 0 ? { type: 'probe', target: probed, ports } : undefined;
}

/** How sure a follow-up reading must be for an unplaced code-shaped word in it to be a word (see decide). */
const SURE_WORD_NOT_CODE = 0.8;

/**
 * Only an all-caps word shaped like an error code ("ESET", "EDION": a product's or a shop's name) that the engine
 * places nowhere: no reply code, no status code, no error code it knows.
 */
function unplacedCodeOnly(d: Diagnosis): boolean {
  return d.signals.replyCodes.length + d.signals.statusCodes.length === 0 && d.signals.errorCodes.length > 0 && !d.evidence.some((e) => e.kind === 'error-code');
}

function decide(input: TurnInput, askedServer = false, probed?: string): TurnResult {
  const { kb, lang, analysis, reading, asked, known } = input;
  const c = input.state;
  const d = analysis.diagnosis;
  // In a turn surely read as a follow-up ("ウイルス対策ソフトは入れてます。ESETです"), such a word is a name, not a paste.
  const codes = hasCodes(d) && !(known && unplacedCodeOnly(d) && FOLLOW_UPS.has(reading.intent) && reading.confidence >= SURE_WORD_NOT_CODE);
  // Asked about a pasted error that shows a code, even the model's guess at its cause is worth giving; unasked in a
  // channel, a guess stays silent.
  const usable = !input.guess || codes;
  const mentionedProvider = input.namesProvider;
  let intent = reading.intent;
  const closes = intent === 'solved' || intent === 'thanks';
  // Only the rules' own evidence (a code, an error's phrase) makes a turn a paste: the model's reading of plain words
  // ("starttls vs ssl", "アプリパスワードにしても送れない", "差出人のアドレスを直したらいけました") is what the turn says it is.
  const ruleEvidence = d.evidence.some((e) => e.kind !== 'model');
  // When the rules would answer the words as an error ("TLS コネクションが突然閉じられました"), only a sure close is one (the
  // model's guess at plain words is no such error: "アプリパスワードを入れたら送れました" names the fix);
  // in a conversation, a close with no trouble read in its words may be less sure.
  const causeTold = closes && input.closesAtEnd === true && !codes;
  // A turn that tells a setting the conversation did not know ("I'm sending through <service> on port 587 with secure
  // set to true") reads faintly as a close for its verbs alone: it must be as sure as any close.
  // So must a turn that ends in a question mark ("so will it sort itself out if I just wait?"): it asks, it closes nothing.
  // A turn whose last clause surely closes ("…を追加して、再起動したら失敗しなくなりました") closes a conversation the bot
  // is in, however faintly its whole reads as a close for the steps told before that clause.
  const closingFloor =
    d.respond && ruleEvidence && !causeTold
      ? CLOSING_OVER_ERROR
      : causeTold && goesOn(input, c)
        ? 0
        : goesOn(input, c) && !codes && !ruleEvidence && input.toldSetting !== true && !ASKS.test(input.text.trim())
          ? CLOSING_IN_CONVERSATION
          : CLOSING_CONFIDENCE;
  // Before the bot has said anything, "still fails" is the trouble itself ("ページを見ながら設定したけど送れない"), even
  // read faintly: there is nothing yet to follow up on.
  if (intent === 'still-failing' && !known) intent = 'symptom';
  // In the middle of a trouble, a question read only faintly as one about the bot itself ("how do I get out of the
  // sandbox?" → "how do I use this?") asks about the trouble: the bot's introduction would answer nothing.
  if (intent === 'help' && goesOn(input, c) && c.focus !== 'answer' && reading.confidence < SURE_HELP && askedAsQuestion(kb.context, input.text)) intent = 'question';
  // In the checklist, a question read less than surely as "tell me more" ("相手にどんな設定をしてもらえば届くように
  // なりますか？", "しばらく待てば直るものですか？") asks about the trouble, not for the whole list again.
  if (intent === 'more' && c.focus === 'checklist' && reading.confidence < SURE_MORE && askedAsQuestion(kb.context, input.text)) intent = 'question';
  // A faint reading is no follow-up: "/no/such/file.txt" is not "still failing" because nothing else fits better.
  if (FOLLOW_UPS.has(intent) && !closes && reading.confidence < FOLLOW_UP_CONFIDENCE) intent = 'chitchat';
  // Closing a conversation on a misreading loses it: "TLS コネクションが突然閉じられました" is no "solved".
  // Nothing to close or thank for before the bot has said anything: a first "yo" or "了解" is a greeting or chat.
  // A first message that works only in part ("telnet to 25 times out, 587 works") tells a trouble the engine reads.
  if (closes && !known && d.respond) intent = 'symptom';
  if ((intent === 'solved' || intent === 'thanks') && (reading.confidence < closingFloor || !known)) intent = 'chitchat';
  // After a diagnosis, a trouble told again in words ("まだ送れません") is the same trouble still there.
  // Not when only the engine's faint guess made it a symptom: "/no/such/file.txt" tells no trouble. Words do, even when
  // the engine also guesses at them ("it does the same on my home connection").
  if (intent === 'symptom' && known && c.entry && !codes && c.focus !== 'closed' && (!input.guess || inWords(input.text))) intent = 'still-failing';
  // A first message that names the app and reads as some trouble ("iPhoneで使ってるけど送信だけできない") answers no
  // question the bot asked: it is the trouble, told with the app.
  // A question that names the app ("アプリパスワードって何ですか？Gmailを使っています") stays a question.
  if (intent === 'which-app' && !known && d.entry && !codes && !isQuestion(input.text) && !topicOf(input)) intent = 'symptom';

  // In a channel, a message nobody addressed to the bot is answered only when it is an error paste, or a clear
  // follow-up, by the person it has been helping, in a conversation the bot is already part of.
  if (!asked) {
    const paste = d.respond && !input.guess;
    if (paste) return diagnosis(input, c, d);
    if (!known || input.otherPerson === true || reading.confidence < UNASKED_CONFIDENCE || !(FOLLOW_UPS.has(intent) || intent === 'question' || intent === 'probe')) return { type: 'silent' };
  }

  // An error the engine would answer unasked (not a question: the engine tells those apart) is diagnosed, even when
  // its words read like a question or a follow-up — unless it is the error under discussion, still there.
  const surelyChat = reading.intent === 'chitchat' && reading.confidence >= SURE_CHAT;
  const freshError = d.respond && usable && ruleEvidence && d.entry !== null && d.entry.id !== c.entry;

  // "Which server should I test?" answered: a server named in a short turn that pastes no error completes the request.
  // A question that names a server ("smtp.example.jp でいいの？") asks about it: it is no answer to "which one?".
  if (askedServer && !codes && !(d.respond && ruleEvidence) && input.text.length <= REQUEST_MAX_CHARS && intent !== 'question' && !ASKS.test(input.text.trim())) {
    const named = namedHosts(input.text, d);
    const target = named.find((h) => isServerName(kb, h)) ?? named[0];
    if (target && !quotedCommand(input.text, target)) return { type: 'probe', target, ports: requestPorts(input.text, d) };
  }

  const again = probeAgain(input, probed, intent);
  if (again) return again;

  // A question a topic surely answers ("my ISP blocks port 25? what does that mean") asks about the thing, even when
  // its words are an error's phrase; with a code in it, it asks about that error, which the diagnosis explains. Words
  // alone ("アプリパスワードがないです" after an app-password answer) are no new error when the turn is surely a
  // follow-up: a code is. A close that goes on with another error's words ("fixed the host, now I get: self signed
  // certificate …") closes nothing.
  const topicQuestion = intent === 'question' && reading.topic !== null && reading.confidence >= SURE_TOPIC && !codes;
  const surelyFollowUp = reading.confidence >= SURE_FOLLOW_UP && !closes;
  if (freshError && !causeTold && ((intent === 'question' && !topicQuestion) || FOLLOW_UPS.has(intent)) && (codes || !surelyFollowUp)) return diagnosis(input, c, d);

  if (!codes && !(d.respond && ruleEvidence)) {
    const told = toldMismatch(input, c, intent);
    if (told) return told;
  }

  // A bounce told in words is the trouble, whatever else the words name ("ドコモの友達に送るとメールが戻ってくる").
  const mayTellTrouble = intent === 'chitchat' || intent === 'symptom' || intent === 'error' || (intent === 'which-app' && c.focus !== 'checklist') || (intent === 'question' && !topicOf(input));
  if (mayTellTrouble && !codes && !(d.respond && ruleEvidence) && mentionedBounce(kb.context, input.text)) {
    const bounce = symptom(input, c);
    if (bounce) return bounce;
  }

  // A follow-up that tells a fact pointing to a cause not yet given ("ポートは25になってた" after a connection error,
  // "ウイルスバスター入れてます"): that cause, whatever the turn reads as besides — done, didn't help, what next.
  if (FOLLOW_UPS.has(intent) && !codes && c.focus === 'diagnosis' && !closes) {
    const cause = firstLikelyCause(input, c, pointedCauses(kb, c, toldNow(input, d)));
    if (cause) return cause;
  }

  if (FOLLOW_UPS.has(intent) && !codes) {
    switch (intent) {
      case 'solved':
      case 'thanks': {
        const solved = intent === 'solved';
        c.focus = 'closed';
        return reply(simpleReply(kb, lang, solved ? 'talk.closing.solved.title' : 'talk.closing.thanks.title', solved ? 'talk.closing.solved.summary' : 'talk.closing.thanks.summary'), { kind: 'closing' });
      }
      case 'which-app': {
        // "Gmailの場合は？", "うちはロリポップです" after an answer: the same question, for that provider.
        const again = input.namesClient ? undefined : answerForProvider(input, c);
        if (again) return again;
        // "Outlookです", "Gmailです" answer the question asked with a checklist step: that step again, for their app and
        // provider — or, when the step has nothing of theirs to add (the network check), the likeliest next one.
        const at = kb.checklist.find((x) => x.id === c.checklistAt);
        const step = at && !stepFitsTo(kb, at, c, lang) ? (nextStep(kb, c) ?? at) : at;
        if (c.focus === 'checklist' && step && (input.namesClient || input.namesProvider)) {
          if (step !== at) {
            c.checklistShown.push(step.id);
            c.checklistAt = step.id;
          }
          const client = input.namesClient ? kb.clients.find((x) => x.id === c.client) : undefined;
          const provider = kb.providers.find((x) => x.id === c.provider);
          const intro = client
            ? t(kb.ui, 'talk.noted.client', lang, { client: pick(client.names, lang) })
            : provider
              ? t(kb.ui, 'talk.noted.provider', lang, { provider: pick(provider.names, lang) })
              : undefined;
          const r = checklistStepReply(kb, step, lang, c, input.conversation, intro);
          fresh(c, r);
          return reply(r, { kind: 'followup' });
        }
        const provider = kb.providers.find((x) => x.id === c.provider);
        if (!input.namesClient && input.namesProvider && provider) {
          const r = answerReply(kb, undefined, provider, undefined, lang);
          fresh(c, r);
          return reply(r, { kind: 'followup' });
        }
        const client = kb.clients.find((x) => x.id === c.client);
        if (!client) return reply(simpleReply(kb, lang, 'talk.ask.app.title', 'talk.ask.app'), { kind: 'followup' });
        const r = clientReply(kb, client, c.category, lang);
        // "Yahoo!メールをOutlookで送るには": the provider's server goes with the app's menus.
        const named = input.namesProvider ? kb.providers.find((x) => x.id === c.provider) : undefined;
        if (named) r.sections.unshift({ heading: '', style: 'bullets', items: providerFacts(kb, named, lang, ['smtp', 'username', 'enable-access', 'enable-smtp-auth']) });
        fresh(c, r);
        return reply(r, { kind: 'followup' });
      }
      case 'more': {
        const entry = entryById(kb, c.entry);
        if (entry) {
          const r = detailReply(kb, entry, lang, c, input.conversation);
          fresh(c, r);
          return reply(r, { kind: 'followup', entry: entry.id, category: entry.category });
        }
        if (c.focus === 'checklist') return reply(checklistReply(kb, lang, { done: new Set(c.checklistDone) }), { kind: 'checklist' });
        // "I read the page but it's confusing" after an answer: that topic again, with what is now known of the
        // provider and the app (said once; then a pointer to it and a request for the exact words on the screen).
        const answered = c.focus === 'answer' ? kb.topics.find((x) => x.id === c.topics[c.topics.length - 1]) : undefined;
        if (answered) {
          const r = answerReply(kb, answered, kb.providers.find((x) => x.id === c.provider), kb.clients.find((x) => x.id === c.client), lang);
          fresh(c, r);
          return reply(r, { kind: 'answer', topic: answered.id });
        }
        // "証明書のエラーってどういう意味ですか" with nothing under discussion: what that trouble is, when the words name one.
        if (d.entry && ruleEvidence && !codes) {
          const r = detailReply(kb, d.entry, lang, c, input.conversation);
          if (fresh(c, r)) {
            c.focus = 'answer';
            return reply(r, { kind: 'answer', entry: d.entry.id, category: d.category });
          }
        }
        break;
      }
      case 'not-found': {
        // In the checklist a step whose menu is not there is a step that did not work: the list goes on.
        if (c.focus === 'checklist' || checklistStepNamed(input, c)) return stepAnswered(input, c, false, searchKind(c));
        const found = notFound(input, c);
        if (found) return found;
        if (c.entry) return stillFailing(input, c);
        return stepAnswered(input, c, false);
      }
      case 'step-done':
      case 'step-failed':
      case 'next': {
        // Right after an answer, a turn that names the user's provider ("ドメインはXで取ってます") tells whose settings the
        // answer is for, whatever else it reads as: the same topic again, with that provider's facts.
        const forProvider = c.focus === 'answer' && !input.namesClient ? answerForProvider(input, c) : undefined;
        if (forProvider) return forProvider;
        if (c.focus === 'checklist' || checklistStepNamed(input, c) || !c.entry) {
          return stepAnswered(input, c, intent === 'step-done', searchKind(c));
        }
        // After a diagnosis, "done" asks for the rest of its steps; "next" and "didn't help" for the next cause.
        const entry = entryById(kb, c.entry);
        if (intent === 'step-done' && entry && c.stepsShown < entry.steps.length) return moreSteps(input, c, entry);
        return stillFailing(input, c);
      }
      case 'still-failing':
        // Right after "I can't find it" was answered, "still not there" / "まだダメ" is still about that setting.
        if (c.lookingFor && c.focus !== 'checklist') {
          const again = notFound(input, c);
          if (again) return again;
        }
        if (c.focus === 'checklist' && c.checklistAt) return stepAnswered(input, c, false, searchKind(c));
        if (c.entry) return stillFailing(input, c);
        break;
    }
  }

  if (intent === 'lang') {
    // Handled by the Bot (it keeps the user's choice); reaching here means the language was not named.
    return reply(helpReply(kb, lang), { kind: 'help' });
  }

  // A turn that tells a setting and is not asked as a question ("I'm using SMTP_SSL on 587", "the port is 25") tells it,
  // however much its words look like a question about that setting; only a reading as sure as a topic's own answer
  // makes it one.
  const tellsSetting = input.toldSetting || d.context.ports.length > 0 || d.signals.ports.length > 0 || mentionedEncryption(kb.context, input.text) !== undefined;
  if (intent === 'question' && tellsSetting && !askedAsQuestion(input.kb.context, input.text) && reading.confidence < SURE_TOPIC) intent = 'chitchat';
  // In the middle of a trouble, a turn said as a statement ("送信の設定はPOP before SMTPにしています", "host is
  // smtp.example.com, port 587, tls") tells what the user has — however surely the intent model reads a question about
  // the topic its words name: it goes on with the trouble, it asks nothing.
  if (intent === 'question' && goesOn(input, c) && c.focus !== 'answer' && !codes && toldAsStatement(input.kb.context, input.text)) intent = 'chitchat';
  // At the start, such a statement ("複合機からMicrosoft 365で送るように設定したいのですが、テスト送信が失敗します") tells a
  // trouble, unless the question reading is as sure as a topic's own answer. A wish ("アプリパスワードを作りたいです", "I want to set up SPF for my domain") asks how, as a question does.
  if (intent === 'question' && !goesOn(input, c) && !codes && reading.confidence < SURE_TOPIC && toldAsStatement(input.kb.context, input.text) && !wish(input.text)) intent = 'symptom';
  // Right after a diagnosis, a statement read faintly as a question ("ウェブメールには同じパスワードで入れます" → app
  // passwords) tells more of the trouble: no topic's own phrase in it, no question asked, it goes on from the diagnosis.
  if (intent === 'question' && known && c.entry && c.focus === 'diagnosis' && reading.confidence < UNSURE_QUESTION && !asksSurely(reading, input.text) && !askedAsQuestion(input.kb.context, input.text) && !analysis.topics.some((x) => x.topic.id !== 'send-trouble')) intent = 'chitchat';
  if (intent === 'question' && !codes) {
    const answered = question(input, c, mentionedProvider);
    if (answered) return answered;
    // A question no topic answers, told with the facts of a trouble (a port, an app, a provider): the trouble is the point.
    if (d.context.ports.length > 0 || d.context.client !== undefined || d.context.provider !== undefined || d.context.sinceRecently) intent = 'symptom';
    // Asked after a test or while a trouble is being looked into, with no diagnosis under discussion ("ということは
    // パソコン側の問題？" after a test that reached the server): a guess at the cause — the search goes on from it.
    else if (asked && known && !c.entry && (c.focus === undefined || c.focus === 'checklist')) {
      const told = symptom(input, c, undefined, 'followup');
      if (told) return told;
    }
  }

  // A live test or a DNS check runs only on a request the reading is sure of, and surer still when the engine reads
  // an error in the same words ("smtp.example.jpに接続しました！"); a pasted error that names its server (a code, an
  // error's own phrase) is never one. Less sure, the test is offered as a button — an offer sends no packet.
  if ((intent === 'probe' || intent === 'check') && !codes && !(d.respond && ruleEvidence)) {
    const target = probeTarget(input, c);
    // The model's guess from plain words ("test the connection to …" → can't connect) is no error read in the turn.
    const readsError = d.respond && !input.guess;
    // A request to test is a short message; a long one that reads like one quotes a command or explains a setting. A
    // request in quotes ("「smtp.example.jp をテストして」と書けばいい？") is one the user asks about, not one they make.
    const sure = input.text.length <= REQUEST_MAX_CHARS && reading.confidence >= (readsError ? RUN_OVER_ERROR : RUN_REQUEST) && !(target && quotedCommand(input.text, target));
    if (target && sure) return intent === 'probe' ? { type: 'probe', target, ports: requestPorts(input.text, d) } : { type: 'check', target };
    if (!target && reading.confidence >= ASK_SERVER) {
      c.askedServer = true;
      return reply(simpleReply(kb, lang, 'talk.ask.server.title', 'talk.ask.server.summary'), { kind: 'followup' });
    }
    if (target && !(readsError && d.entry) && reading.confidence >= OFFER_REQUEST) {
      const offer = simpleReply(kb, lang, 'talk.offer.title', 'talk.offer.summary', { target });
      offer.actions.push({ id: intent === 'probe' ? 'run-probe' : 'run-check', label: t(kb.ui, intent === 'probe' ? 'talk.action.test' : 'check.action.run', lang), value: target });
      if (intent === 'probe' && isServerName(kb, target)) c.server = target;
      return reply(offer, { kind: 'followup' });
    }
  }

  // Only a setting told ("ポートは587にしてます", "暗号化はSTARTTLSにしています"): it is kept, and the search goes on from
  // it — the next cause of the trouble under discussion, or the first check for a trouble told in words. The model's
  // reading of those words as an error (STARTTLS → a TLS problem) is no new diagnosis.
  if (input.toldSetting && !codes && !ruleEvidence && (intent === 'chitchat' || intent === 'error')) {
    if (c.entry && c.focus !== 'closed') return stillFailing(input, c);
    const told = symptom(input, c);
    if (told) return told;
  }

  // Right after a diagnosis, words that are neither sure chat nor a question a topic answers tell more of the same
  // trouble ("the same from home too", "no antivirus here", "I'm on SSL with 587"): the search goes on from them, as
  // "still failing" does — not the bot's introduction, nor a new diagnosis from the model's guess at plain words.
  // So too after a question answered in the middle of it ("how many can I send a day?" then "I only sent a few today"),
  // unless the turn names a provider or an app: that says whose settings the answer is for.
  const troubleOpen = c.focus === 'diagnosis' || (c.focus === 'answer' && c.diagnosed !== undefined && !input.namesProvider && !input.namesClient);
  // The engine's model alone reading an error in such words ("差出人とユーザー名をそろえました", "the provider says our IP
  // was listed, waiting for it to clear") is no new paste either: it tells what was done or found about this trouble.
  if (asked && known && c.entry && troubleOpen && !codes && !ruleEvidence && !surelyChat && inWords(input.text) && (intent === 'chitchat' || intent === 'error' || (intent === 'question' && !topicOf(input)))) {
    return stillFailing(input, c);
  }
  // The trouble under discussion named again in words or by its help link, with no code pasted ("I read
  // aka.ms/… and don't get it"): no second diagnosis of it — more of it when that is what the words ask, else the
  // search goes on.
  if (asked && known && c.entry && c.focus === 'diagnosis' && !codes && d.entry?.id === c.entry && !d.signals.replyCodes.length && !d.signals.statusCodes.length && inWords(input.text)) {
    const entry = entryById(kb, c.entry);
    if (entry && reading.said?.intent === 'more') {
      const r = detailReply(kb, entry, lang, c, input.conversation);
      if (fresh(c, r)) return reply(r, { kind: 'followup', entry: entry.id, category: entry.category });
    }
    return stillFailing(input, c);
  }
  // In the checklist, such words ("エラーは出ずに送信中のまま止まってます"), and the trouble told again surely, answer the
  // step shown: it did not fix it. A provider or an app named, or a plan ("相手に聞いてみます"), is not.
  const faintTrouble = reading.intent === 'still-failing' || reading.intent === 'step-failed' || reading.intent === 'symptom';
  if (asked && known && c.focus === 'checklist' && c.checklistAt && !codes && !ruleEvidence && ((intent === 'chitchat' && faintTrouble) || intent === 'symptom') && !input.namesProvider && !input.namesClient) {
    return stepAnswered(input, c, false, searchKind(c));
  }

  // In a search started from a trouble told in words (a checklist step shown, no diagnosis yet), a turn in words that
  // only the engine's model reads as an error ("そういえば回線のプロバイダを変えたばかりです", "the Google password was
  // changed last week") tells more of that trouble: the cause it points to is offered as the next likely one, a
  // follow-up — no diagnosis of a paste, and no "I could not place this error" when the model places nothing.
  const moreInWords = asked && known && c.focus === 'checklist' && !c.entry && intent === 'error' && !codes && !ruleEvidence && !surelyChat && inWords(input.text);
  if (moreInWords) {
    const cause = d.entry && usable ? firstLikelyCause(input, c, [d.entry.id]) : undefined;
    if (cause) return cause;
    intent = 'chitchat';
  }
  // The model's guess at plain words is no paste when the turn plainly says something else ("アプリパスワードがないです").
  if (d.entry && usable && !moreInWords && (intent === 'error' || codes || (d.respond && ruleEvidence) || intent === 'chitchat' || intent === 'symptom' || FOLLOW_UPS.has(intent))) {
    return diagnosis(input, c, d);
  }

  switch (intent) {
    case 'checklist': {
      c.checklistAsked = true;
      const step = nextStep(kb, { ...c, checklistShown: [] }, c.category) ?? kb.checklist[0];
      if (step) return showStep(input, c, step, 'checklist');
      break;
    }
    case 'help':
      return reply(helpReply(kb, lang), { kind: 'help' });
    case 'symptom':
    case 'still-failing': {
      // Port 25 named in words is the classic OP25B case; a category guessed from plain words is no focus
      // ("パスワードは変えていません" is not a password problem).
      // "だめでした" after an answer: the search starts, as the follow-up it is.
      const told = symptom(input, c, d.context.ports.includes(25) ? 'port-25-blocked' : undefined, intent === 'still-failing' && known ? 'followup' : undefined);
      if (told) return told;
      break;
    }
  }
  if (!asked) return { type: 'silent' };
  // The model's faint guess at a trouble is no diagnosis: the checklist's first step and one question instead.
  // Not when the reading is sure it is chat ("hello"), nor when nothing in the words backs the guess.
  // After an answer, a turn that names the user's provider ("うちはXserverです", "we're on SendGrid") tells whose
  // settings the answer is for — not a trouble guessed from the words.
  if (intent === 'chitchat' && !codes && !surelyChat) {
    const again = answerForProvider(input, c);
    if (again) return again;
  }
  if (d.entry && d.evidence.length > 0 && intent === 'chitchat' && !surelyChat) {
    const told = symptom(input, c);
    if (told) return told;
  }
  // Only a provider or an app named ("OCNを使っています"): what is known of it, to go on from.
  const named = input.namesProvider ? kb.providers.find((x) => x.id === c.provider) : undefined;
  if (named && intent === 'chitchat') {
    const r = answerReply(kb, undefined, named, undefined, lang);
    fresh(c, r);
    return reply(r, { kind: 'answer' });
  }
  const app = input.namesClient ? kb.clients.find((x) => x.id === c.client) : undefined;
  if (app && intent === 'chitchat') {
    const r = clientReply(kb, app, c.category, lang);
    fresh(c, r);
    return reply(r, { kind: 'answer' });
  }
  // A transcript in which the server took every step is no failure: said so, with the line that shows it.
  if (intent === 'error' && d.accepted) return reply(simpleReply(kb, lang, 'talk.accepted.title', 'talk.accepted.summary', { line: d.accepted }), { kind: 'diagnosis' });
  // A pasted error the engine cannot place: said so, with what would help (the whole text, or the checklist).
  if (intent === 'error') return { type: 'reply', reply: unknownReply(kb, lang), turn: { kind: 'diagnosis' }, unknown: true };
  // In the middle of a trouble, words placed nowhere ("I don't have SMTP debugging in the config", "what do I do?") go
  // on with it: the one question that would narrow it most, asked once.
  if (asked && goesOn(input, c) && !surelyChat) {
    const r = simpleReply(kb, lang, 'talk.goon.title', oneQuestionKey(c));
    if (fresh(c, r)) return reply(r, { kind: 'followup' });
  }
  return { type: 'reply', reply: simpleReply(kb, lang, 'talk.chitchat.title', 'talk.chitchat.summary'), turn: { kind: 'help' }, unknown: true };
}

