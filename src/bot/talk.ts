/**
 * The replies of a conversation, short first: a first diagnosis that fits a phone screen, "more", the next cause,
 * the checklist one step at a time, the user's own mail app's menus, a provider's sourced facts, a short close.
 * Pure: what is known comes in as a Conversation, strings from knowledge/ui.
 */
import type { ClientSetting, Fact, MailClient, Provider, ReceivingFact, Security, SettingOption } from '../engine/facts.js';
import { compact } from '../engine/normalize.js';
import { pick, t } from '../engine/i18n.js';
import { mentionedClients, mentionedProviders, securityMismatch } from '../engine/mentions.js';
import type { CategoryId, ChecklistStep, Diagnosis, KnowledgeBase, KnowledgeEntry, Lang, Topic, TopicUses } from '../engine/types.js';
import type { Reply, ReplyAction, ReplySection } from '../render/model.js';
import { renderText } from '../render/text.js';
import { mentionIndexOf, type Conversation } from './conversation.js';
import { checkTargetOf, ownWords, topicSummary } from './replies.js';

/** A first answer fits a phone screen: about this many characters as the terminal prints it. */
export const SHORT_REPLY_CHARS = 600;
const MAX_FIRST_STEPS = 3;

/** The settings of the mail app a category's fix is made in. */
const SETTINGS_OF: Partial<Record<CategoryId, ClientSetting[]>> = {
  'auth-failed': ['password', 'user-name', 'authentication'],
  'auth-required': ['authentication', 'user-name', 'password'],
  'tls-mismatch': ['port', 'encryption'],
  'port-25-blocked': ['port', 'encryption'],
  'smtp-unreachable': ['outgoing-server', 'port'],
  'smtp-host-not-found': ['outgoing-server'],
  'tls-certificate': ['outgoing-server', 'encryption'],
  'relay-denied': ['authentication', 'outgoing-server'],
};

/** A provider's facts on how a mail app must sign in, besides the password: what the checklist's sign-in step names. */
export const SIGN_IN_FACTS: readonly ProviderFactKind[] = ['app-password', 'enable-access', 'enable-smtp-auth'];

/** The facts of a provider that bear on a category of trouble. */
const PROVIDER_FACTS_OF: Partial<Record<CategoryId, ProviderFactKind[]>> = {
  'auth-failed': ['username', 'app-password', 'enable-access', 'enable-smtp-auth'],
  'auth-required': ['enable-smtp-auth', 'username'],
  'port-25-blocked': ['op25b', 'smtp'],
  'smtp-unreachable': ['smtp'],
  'smtp-host-not-found': ['smtp'],
  'tls-mismatch': ['smtp'],
  'tls-certificate': ['smtp'],
  'relay-denied': ['enable-smtp-auth', 'smtp'],
  'rate-limited': ['limits'],
};

/** The checklist's steps and the settings each is made in. */
const STEP_SETTINGS: Record<string, ClientSetting[]> = {
  'server-name': ['outgoing-server'],
  credentials: ['user-name', 'password'],
  port: ['port', 'encryption'],
  'smtp-auth-tls': ['authentication', 'encryption'],
};

/** Categories whose fix depends on the port and the encryption: a mismatch the user told goes first in their steps. */
const ENCRYPTION_MATTERS: ReadonlySet<CategoryId> = new Set(['tls-mismatch', 'port-25-blocked', 'smtp-unreachable', 'connection-dropped', 'tls-certificate', 'auth-required']);

/** A port and an encryption the user told that do not go together, and what to change. */
export interface Mismatch {
  port: number;
  told: Security;
  want: Security;
  /** The port the told encryption goes with, when it goes with one only (SSL/TLS → 465). */
  other?: number;
}

export function mismatchOf(kb: KnowledgeBase, c: Conversation): Mismatch | undefined {
  if (c.port === undefined || !c.encryption) return undefined;
  const want = securityMismatch(kb.context, c.port, c.encryption);
  if (!want) return undefined;
  const m: Mismatch = { port: c.port, told: c.encryption, want };
  const other = Object.entries(kb.context.portSecurity ?? {}).find(([, fits]) => fits.length === 1 && fits[0] === c.encryption)?.[0];
  if (other) m.other = Number(other);
  return m;
}

/** The key that records a mismatch as pointed out, so that it is said once in a conversation. */
export const mismatchKey = (m: Mismatch): string => `mismatch:${m.port}:${m.told}`;

function mismatchStep(kb: KnowledgeBase, m: Mismatch, lang: Lang): string {
  const vars = { port: String(m.port), told: securityLabel(m.told, kb.ui, lang), want: securityLabel(m.want, kb.ui, lang), other: String(m.other ?? '') };
  return t(kb.ui, m.other === undefined ? 'talk.mismatch.step.only' : 'talk.mismatch.step', lang, vars);
}

export function settingsOf(category: CategoryId | undefined): ClientSetting[] {
  return (category && SETTINGS_OF[category]) || ['outgoing-server', 'port', 'encryption', 'authentication'];
}

/** The first sentence of a text (a step's instruction without its explanation). */
export function firstSentence(text: string): string {
  const m = /^(.+?(?:[。！？]|[.!?](?=\s|$)))(?:\s|$)/su.exec(text.trim());
  return (m?.[1] ?? text).trim();
}

function fact<T>(f: { ja?: Fact<T>; en?: Fact<T> }, lang: Lang): Fact<T> | undefined {
  return lang === 'ja' ? (f.ja ?? f.en) : (f.en ?? f.ja);
}

/** The path to a setting in the user's app, in the app's own labels: "Thunderbird: Tools → Account Settings → …". */
export function clientPath(client: MailClient, settings: ClientSetting[], lang: Lang): { text: string; source: string; version?: string } | undefined {
  const scored = client.paths
    .map((p) => ({ p, f: fact(p, lang), hits: p.settings.filter((s) => settings.includes(s)).length }))
    .filter((x) => x.f && x.hits > 0)
    // The app's labels in the user's language first, then the path that reaches most of the settings.
    .sort((a, b) => Number(b.p[lang] !== undefined) - Number(a.p[lang] !== undefined) || b.hits - a.hits);
  // No path in the user's labels reaches these settings: the way into the account's server settings in their labels
  // reads better than the whole path in labels their screen does not show.
  const wayIn = scored[0]?.p[lang] === undefined ? client.paths.find((p) => p[lang] !== undefined && p.settings.some((s) => s === 'outgoing-server' || s === 'account-list')) : undefined;
  const best = wayIn ? { p: wayIn, f: wayIn[lang] } : scored[0];
  if (!best?.f) return undefined;
  const out: { text: string; source: string; version?: string } = { text: best.f.value.join(' → '), source: best.f.source };
  if (best.p.version) out.version = pick(best.p.version, lang);
  return out;
}

const securityLabel = (s: Security, ui: KnowledgeBase['ui'], lang: Lang) => t(ui, `talk.security.${s}`, lang);

function source(kb: KnowledgeBase, f: { source: string; checked: string }, lang: Lang): string {
  return t(kb.ui, 'talk.source', lang, { source: f.source, checked: f.checked });
}

/** An entry's steps that do not send the user to another app's menus than their own. */
function stepsFor(kb: KnowledgeBase, entry: KnowledgeEntry, lang: Lang, client: string | undefined): string[] {
  const steps = entry.steps.map((s) => pick(s, lang));
  if (!client) return steps;
  const own = steps.filter((s) => mentionedClients(mentionIndexOf(kb), s).every((m) => m.item.id === client));
  return own.length > 0 ? own : steps;
}

/**
 * Steps about the user's own app and provider, put first: where the setting is in their app, and what their provider
 * requires to be switched on (said once in a conversation: the next cause does not repeat it).
 */
function tailoredSteps(kb: KnowledgeBase, entry: KnowledgeEntry, c: Conversation, lang: Lang): string[] {
  const out: string[] = [];
  const m = mismatchOf(kb, c);
  if (m && ENCRYPTION_MATTERS.has(entry.category) && !c.said.includes(mismatchKey(m))) {
    c.said.push(mismatchKey(m));
    out.push(mismatchStep(kb, m, lang));
  }
  const client = kb.clients.find((x) => x.id === c.client);
  const settings = SETTINGS_OF[entry.category];
  if (client && settings) {
    const path = clientPath(client, settings, lang);
    if (path) out.push(t(kb.ui, 'talk.client-path', lang, { client: pick(client.names, lang), path: path.text }));
  }
  const provider = kb.providers.find((x) => x.id === c.provider);
  if (provider && entry.category === 'auth-failed' && (entry.id === 'auth-bad-credentials' || entry.id === 'app-password-required')) {
    const setup = provider.setup.find((s) => s.kind === 'app-password' || s.kind === 'enable-access' || s.kind === 'enable-smtp-auth');
    const tip = setup && `setup:${provider.id}:${setup.kind}`;
    if (setup && tip && !c.said.includes(tip)) {
      c.said.push(tip);
      out.push(t(kb.ui, 'talk.provider-step', lang, { provider: pick(provider.names, lang), fact: firstSentence(pick(setup.value, lang)) }));
    }
  }
  return out;
}

/** The buttons under an answer: conversation turns carry the conversation's key; the checklist its category's focus. */
function actions(kb: KnowledgeBase, lang: Lang, conversation: string, ids: ('more' | 'next-cause' | 'show-checklist')[], category: CategoryId, probeHost?: string): ReplyAction[] {
  const label: Record<string, string> = { more: 'talk.action.more', 'next-cause': 'talk.action.next-cause', 'show-checklist': 'talk.action.checklist' };
  const out: ReplyAction[] = ids.map((id) => ({ id, label: t(kb.ui, label[id] ?? '', lang), value: id === 'show-checklist' ? category : conversation }));
  if (probeHost) out.push({ id: 'run-probe', label: t(kb.ui, 'talk.action.test', lang), value: probeHost });
  return out;
}

/** Characters the terminal prints for a reply: what the phone-screen budget is measured in. */
const printed = (reply: Reply): number => renderText(reply).length;

/**
 * Steps into `section` (already in `reply`): the tailored ones, then the entry's own, at most three, as many as keep
 * the reply within the phone-screen budget. Returns how many of the entry's own steps were shown.
 */
function fitSteps(reply: Reply, section: ReplySection, tailored: string[], own: string[]): number {
  let shown = 0;
  for (const [i, step] of [...tailored, ...own].entries()) {
    if (section.items.length >= MAX_FIRST_STEPS) break;
    section.items.push(step);
    if (printed(reply) > SHORT_REPLY_CHARS && section.items.length > 1) section.items.pop();
    else if (i >= tailored.length) shown = i - tailored.length + 1;
  }
  return shown;
}

/**
 * A bounce for a recipient at a provider whose users filter incoming mail themselves (docomo's 受信/拒否設定): the
 * provider named by the recipient's address or in words — not by a server, which would be the sender's own — and its
 * fact about that filter, when the diagnosis is one the fact is about.
 */
export function receivingFor(kb: KnowledgeBase, text: string, category: CategoryId, statusCodes: readonly string[], earlier?: string): { provider: Provider; fact: ReceivingFact } | undefined {
  const factOf = (p: Provider) => (p.receiving ?? []).find((r) => r.when.categories.includes(category) || statusCodes.some((sc) => r.when.statusCodes.includes(sc)));
  for (const m of mentionedProviders(mentionIndexOf(kb), text)) {
    if (m.via === 'host') continue;
    const fact = factOf(m.item);
    if (fact) return { provider: m.item, fact };
  }
  // "@docomo.ne.jp宛てにだけ届きません" one turn, the bounce's "550 5.7.1 Message rejected" the next.
  const told = earlier ? kb.providers.find((p) => p.id === earlier) : undefined;
  const fact = told ? factOf(told) : undefined;
  return told && fact ? { provider: told, fact } : undefined;
}

/** The recipient's provider's own filter, with its source: what the recipient can change. */
function receivingSection(kb: KnowledgeBase, provider: Provider, fact: ReceivingFact, lang: Lang): ReplySection {
  return { heading: t(kb.ui, 'talk.receiving.title', lang, { provider: pick(provider.names, lang) }), style: 'bullets', items: [`${pick(fact.value, lang)} ${source(kb, fact, lang)}`] };
}

export interface ShortDiagnosis {
  reply: Reply;
  stepsShown: number;
}

/**
 * A first diagnosis: title, the cause in one sentence, at most three steps (the user's app and provider first), and
 * "more / next cause / checklist / test" — about 600 characters in all.
 */
export function shortDiagnosisReply(kb: KnowledgeBase, d: Diagnosis, lang: Lang, c: Conversation, conversation: string, probeHost?: string): ShortDiagnosis {
  const entry = d.entry as KnowledgeEntry;
  // The test offered is one that exists for this trouble: the sender's DNS records and the sending IP are checked by
  // the sender check, not by a connection to the server; the rest by the server probe, when a server was named.
  const senderSide = d.category === 'sender-authentication' || d.category === 'ip-reputation';
  const checkTarget = senderSide ? checkTargetOf(d) : undefined;
  // A recipient's own filter at their provider is the likelier cause, and its fix is on the recipient's side.
  const receiving = receivingFor(kb, d.redacted, d.category, d.signals.statusCodes, c.filtering);
  const cause = receiving
    ? t(kb.ui, 'talk.receiving.cause', lang, { provider: pick(receiving.provider.names, lang) })
    : entry.causes[0]
      ? pick(entry.causes[0], lang)
      : firstSentence(pick(entry.summary, lang));
  const reply: Reply = {
    kind: 'diagnosis',
    lang,
    title: pick(entry.title, lang),
    summary: cause,
    severity: 'error',
    confidence: d.confidence,
    sections: [],
    actions: actions(kb, lang, conversation, ['more', 'next-cause', 'show-checklist'], entry.category, entry.probe !== 'none' && !senderSide ? probeHost : undefined),
  };
  if (checkTarget) reply.actions.push({ id: 'run-check', label: t(kb.ui, 'check.action.run', lang), value: checkTarget });
  const steps: ReplySection = { heading: t(kb.ui, 'talk.first-steps', lang), style: 'steps', items: [] };
  reply.sections.push(steps);
  const tailored = tailoredSteps(kb, entry, c, lang);
  if (receiving) tailored.unshift(t(kb.ui, 'talk.provider-step', lang, { provider: pick(receiving.provider.names, lang), fact: pick(receiving.fact.value, lang) }));
  const stepsShown = fitSteps(reply, steps, tailored, stepsFor(kb, entry, lang, c.client).map(firstSentence));
  // What gave it away, in the user's own words, when it still fits.
  const [words] = ownWords(d.redacted, d.evidence, 1);
  if (words) {
    const evidence: ReplySection = { heading: t(kb.ui, 'bot.section.evidence', lang), style: 'bullets', items: [t(kb.ui, 'talk.evidence', lang, { value: words })] };
    reply.sections.push(evidence);
    if (printed(reply) > SHORT_REPLY_CHARS) reply.sections.pop();
  }
  return { reply, stepsShown };
}

/** References in the user's language first; a Japanese reader gets the English ones only when there is nothing else. */
function referencesFor(refs: string[], lang: Lang): string[] {
  if (lang === 'en') return refs;
  const ja = refs.filter((r) => /[?&]hl=ja|\/ja[-/]|\.jp\/|[/.]ja\.|lang=ja/i.test(r));
  return ja.length > 0 ? ja : refs.slice(0, 2);
}

/** "More": the whole entry — every cause, every step, the user's own words that gave it away, references. */
export function detailReply(kb: KnowledgeBase, entry: KnowledgeEntry, lang: Lang, c: Conversation, conversation: string): Reply {
  const ui = kb.ui;
  const sections: ReplySection[] = [
    { heading: t(ui, 'bot.section.causes', lang), style: 'bullets', items: entry.causes.map((x) => pick(x, lang)) },
    { heading: t(ui, 'bot.section.steps', lang), style: 'steps', items: [...tailoredSteps(kb, entry, c, lang), ...stepsFor(kb, entry, lang, c.client)] },
  ];
  // The user's provider's own facts about this kind of trouble, each with its source.
  const provider = kb.providers.find((x) => x.id === c.provider);
  const kinds = PROVIDER_FACTS_OF[entry.category];
  const facts = provider && kinds ? providerFacts(kb, provider, lang, kinds) : [];
  if (provider && facts.length > 0) sections.push({ heading: t(ui, 'talk.provider.title', lang, { provider: pick(provider.names, lang) }), style: 'bullets', items: facts });
  // The recipient's provider's filter, with its source, when the error under discussion is a bounce for one of its users.
  const receiving = entry.id === c.diagnosed && c.error ? receivingFor(kb, c.error, entry.category, [], c.filtering) : undefined;
  if (receiving) sections.unshift(receivingSection(kb, receiving.provider, receiving.fact, lang));
  // The user's own words are evidence only for the diagnosis they were read for, not for a later cause.
  const words = entry.id === c.diagnosed ? c.evidence : [];
  if (words.length > 0) sections.push({ heading: t(ui, 'bot.section.evidence', lang), style: 'bullets', items: words.map((w) => t(ui, 'talk.evidence', lang, { value: w })) });
  const refs = referencesFor(entry.references, lang);
  if (refs.length > 0) sections.push({ heading: t(ui, 'bot.section.references', lang), style: 'bullets', items: refs });
  return {
    kind: 'diagnosis',
    lang,
    title: pick(entry.title, lang),
    summary: pick(entry.summary, lang),
    severity: 'error',
    sections,
    actions: actions(kb, lang, conversation, ['next-cause', 'show-checklist'], entry.category),
  };
}

/** The next cause to look at, after the user said the first did not help. */
export function nextCauseReply(kb: KnowledgeBase, entry: KnowledgeEntry, lang: Lang, c: Conversation, conversation: string): ShortDiagnosis {
  const steps: ReplySection = { heading: t(kb.ui, 'talk.first-steps', lang), style: 'steps', items: [] };
  const reply: Reply = {
    kind: 'diagnosis',
    lang,
    title: t(kb.ui, 'talk.next.title', lang, { title: pick(entry.title, lang) }),
    summary: entry.causes[0] ? pick(entry.causes[0], lang) : firstSentence(pick(entry.summary, lang)),
    severity: 'warning',
    sections: [steps],
    actions: actions(kb, lang, conversation, ['more', 'next-cause', 'show-checklist'], entry.category),
  };
  const stepsShown = fitSteps(reply, steps, tailoredSteps(kb, entry, c, lang), stepsFor(kb, entry, lang, c.client).map(firstSentence));
  return { reply, stepsShown };
}

/**
 * A port and an encryption told in words that do not go together (587 with SSL/TLS, 465 with STARTTLS): what to change,
 * where in the user's app, the provider's own servers, and to send again.
 */
export function mismatchReply(kb: KnowledgeBase, m: Mismatch, category: CategoryId, lang: Lang, c: Conversation, conversation: string): Reply {
  const ui = kb.ui;
  const items = [mismatchStep(kb, m, lang)];
  const client = kb.clients.find((x) => x.id === c.client);
  const path = client ? clientPath(client, ['port', 'encryption'], lang) : undefined;
  if (client && path) items.push(t(ui, 'talk.client-path', lang, { client: pick(client.names, lang), path: path.text }));
  const provider = kb.providers.find((x) => x.id === c.provider);
  if (provider && provider.smtp.length > 0) items.push(t(ui, 'talk.provider-servers', lang, { provider: pick(provider.names, lang), servers: serversText(kb, provider, lang) }));
  items.push(t(ui, 'talk.mismatch.retry', lang));
  c.said.push(mismatchKey(m));
  return {
    kind: 'diagnosis',
    lang,
    title: t(ui, 'talk.mismatch.title', lang),
    summary: t(ui, 'talk.mismatch.summary', lang, { port: String(m.port), told: securityLabel(m.told, ui, lang), want: securityLabel(m.want, ui, lang) }),
    severity: 'warning',
    sections: [{ heading: t(ui, 'talk.first-steps', lang), style: 'steps', items }],
    actions: actions(kb, lang, conversation, ['more', 'next-cause', 'show-checklist'], category),
  };
}

/** The remaining steps of the diagnosis under discussion, when the first ones were done. */
export function moreStepsReply(kb: KnowledgeBase, entry: KnowledgeEntry, from: number, lang: Lang, c: Conversation, conversation: string): Reply {
  const steps = stepsFor(kb, entry, lang, c.client).slice(from, from + MAX_FIRST_STEPS);
  return {
    kind: 'diagnosis',
    lang,
    title: t(kb.ui, 'talk.more-steps.title', lang, { title: pick(entry.title, lang) }),
    summary: t(kb.ui, 'talk.more-steps.summary', lang),
    severity: 'warning',
    sections: [{ heading: t(kb.ui, 'bot.section.steps', lang), style: 'steps', items: steps.map(firstSentence) }],
    actions: actions(kb, lang, conversation, ['more', 'next-cause'], entry.category),
  };
}

/** One step of the checklist, with "done" / "didn't help" to move on. */
export function checklistStepReply(kb: KnowledgeBase, step: ChecklistStep, lang: Lang, c: Conversation, conversation: string, intro?: string): Reply {
  const ui = kb.ui;
  const n = kb.checklist.indexOf(step) + 1;
  const items: string[] = [];
  const client = kb.clients.find((x) => x.id === c.client);
  const settings = STEP_SETTINGS[step.id];
  if (client && settings) {
    const path = clientPath(client, settings, lang);
    if (path) items.push(t(ui, 'talk.client-path', lang, { client: pick(client.names, lang), path: path.text }));
  }
  // The port and encryption the user told, when they do not go together: the point of this step.
  const m = settings?.includes('encryption') ? mismatchOf(kb, c) : undefined;
  if (m) items.unshift(mismatchStep(kb, m, lang));
  const provider = kb.providers.find((x) => x.id === c.provider);
  if (provider && (step.id === 'server-name' || step.id === 'port')) {
    const servers = serversText(kb, provider, lang);
    if (servers) items.push(t(ui, 'talk.provider-servers', lang, { provider: pick(provider.names, lang), servers }));
  }
  // The provider's own way of signing in (an app password, an access switch) is what the sign-in check is for them:
  // it stands in for the general how-to, which would only say the same less exactly and make the reply twice as long.
  const signIn = provider && step.categories.includes('auth-failed') ? providerFacts(kb, provider, lang, SIGN_IN_FACTS)[0] : undefined;
  const howto = signIn ?? pick(step.howto, lang);
  const sections: ReplySection[] = items.length > 0 ? [{ heading: '', style: 'bullets', items }] : [];
  sections.push({ heading: '', style: 'text', items: [t(ui, 'talk.checklist.ask', lang)] });
  return {
    kind: 'info',
    lang,
    title: t(ui, 'talk.checklist.title', lang, { n, total: kb.checklist.length, title: pick(step.title, lang) }),
    summary: intro ? `${intro}\n${howto}` : howto,
    severity: 'info',
    sections,
    actions: [
      { id: 'step-done', label: t(ui, 'talk.action.step-done', lang), value: conversation },
      { id: 'step-failed', label: t(ui, 'talk.action.step-failed', lang), value: conversation },
    ],
    footer: t(ui, 'bot.checklist.progress', lang, { done: c.checklistDone.length, total: kb.checklist.length }),
  };
}

/** Every step gone through: what is left is the exact error text, or the provider's support. */
export function checklistFinishedReply(kb: KnowledgeBase, lang: Lang): Reply {
  return { kind: 'info', lang, title: t(kb.ui, 'talk.checklist.finished.title', lang), summary: t(kb.ui, 'talk.checklist.finished.summary', lang), severity: 'info', sections: [], actions: [] };
}

/** Nothing left to suggest for what is known: ask for what would tell more. */
export function outOfIdeasReply(kb: KnowledgeBase, lang: Lang, c: Conversation): Reply {
  const provider = kb.providers.find((x) => x.id === c.provider);
  const help = provider ? (provider.help.find((h) => h.lang === lang) ?? provider.help[0]) : undefined;
  const items = help && provider ? [t(kb.ui, 'talk.provider-help', lang, { provider: pick(provider.names, lang), url: help.value })] : [];
  return {
    kind: 'info',
    lang,
    title: t(kb.ui, 'talk.out-of-ideas.title', lang),
    summary: t(kb.ui, 'talk.out-of-ideas.summary', lang),
    severity: 'info',
    sections: items.length > 0 ? [{ heading: '', style: 'bullets', items }] : [],
    actions: [],
  };
}

/** "Which app?": where the settings of the problem at hand are in the user's app, with the page it comes from. */
export function clientReply(kb: KnowledgeBase, client: MailClient, category: CategoryId | undefined, lang: Lang): Reply {
  const ui = kb.ui;
  const wanted = settingsOf(category);
  const relevant = client.paths.filter((p) => p.settings.some((s) => wanted.includes(s)));
  // Paths in the labels the app shows in the user's language first; the other language only when there is none.
  const own = relevant.filter((p) => p[lang] !== undefined);
  const paths = (own.length > 0 ? own : relevant)
    .map((p) => ({ p, f: fact(p, lang) }))
    .filter((x): x is { p: MailClient['paths'][number]; f: Fact<string[]> } => x.f !== undefined)
    .slice(0, 2);
  const items = paths.map(({ p, f }) => `${p.version ? `${pick(p.version, lang)}: ` : ''}${f.value.join(' → ')}`);
  const wantedLabels = client.labels.filter((l) => wanted.includes(l.setting));
  // The labels of the user's language; another language's only when the pages gave none in theirs.
  const ownLabels = wantedLabels.filter((l) => l[lang] !== undefined);
  const labels = (ownLabels.length > 0 ? ownLabels : wantedLabels)
    .map((l) => fact(l, lang))
    .filter((f): f is Fact<string> => f !== undefined)
    .map((f) => f.value);
  const sections: ReplySection[] = [];
  if (items.length > 0) sections.push({ heading: t(ui, 'talk.app.where', lang), style: 'bullets', items });
  if (labels.length > 0) sections.push({ heading: t(ui, 'talk.app.labels', lang), style: 'text', items: [[...new Set(labels)].slice(0, 6).join(' / ')] });
  const sources = [...new Set(paths.map(({ f }) => f.source))];
  if (sources.length > 0) sections.push({ heading: '', style: 'text', items: sources.map((s) => t(ui, 'talk.source-only', lang, { source: s })) });
  return {
    kind: 'info',
    lang,
    title: t(ui, 'talk.app.title', lang, { client: pick(client.names, lang) }),
    summary: items.length > 0 ? t(ui, 'talk.app.summary', lang) : t(ui, 'talk.app.none', lang, { client: pick(client.names, lang) }),
    severity: 'info',
    sections,
    actions: [],
  };
}

function serversText(kb: KnowledgeBase, provider: Provider, lang: Lang): string {
  return provider.smtp.map((s) => `${s.value.host}:${s.value.port} (${securityLabel(s.value.security, kb.ui, lang)})`).join(', ');
}

/** Which of a provider's facts a question is about (knowledge/topics `uses.provider`). */
export type ProviderFactKind = TopicUses['provider'][number];

/** A provider's facts of these kinds, each with its source and the day it was checked. */
export function providerFacts(kb: KnowledgeBase, provider: Provider, lang: Lang, kinds: readonly ProviderFactKind[]): string[] {
  const ui = kb.ui;
  const out: string[] = [];
  const name = pick(provider.names, lang);
  for (const kind of kinds) {
    if (kind === 'smtp' && provider.smtp.length > 0) {
      const first = provider.smtp[0] as Fact<unknown>;
      out.push(`${t(ui, 'talk.provider-servers', lang, { provider: name, servers: serversText(kb, provider, lang) })} ${source(kb, first, lang)}`);
    } else if (kind === 'username' && provider.username) {
      out.push(`${t(ui, 'talk.provider-username', lang, { value: pick(provider.username.value, lang) })} ${source(kb, provider.username, lang)}`);
    } else if (kind === 'op25b' && provider.op25b) {
      out.push(`${pick(provider.op25b.value, lang)} ${source(kb, provider.op25b, lang)}`);
    } else if (kind === 'limits') {
      for (const l of provider.limits.slice(0, 1)) out.push(`${pick(l.value, lang)} ${source(kb, l, lang)}`);
    } else if (kind === 'help') {
      const help = provider.help.find((h) => h.lang === lang) ?? provider.help[0];
      if (help) out.push(t(ui, 'talk.provider-help', lang, { provider: name, url: help.value }));
    } else {
      for (const s of provider.setup.filter((x) => x.kind === kind).slice(0, 1)) out.push(`${pick(s.value, lang)} ${source(kb, s, lang)}`);
    }
  }
  return out;
}

const DEFAULT_PROVIDER_FACTS: readonly ProviderFactKind[] = ['smtp', 'username', 'app-password', 'enable-access', 'enable-smtp-auth'];

/**
 * A question's answer: the topic in plain words; the provider's own facts the topic calls for (`uses.provider`), or
 * its servers and sign-in facts when the question names only the provider; the path in the user's app (`uses.client`);
 * the topic's references in the user's language first.
 */
export function answerReply(kb: KnowledgeBase, topic: Topic | undefined, provider: Provider | undefined, client: MailClient | undefined, lang: Lang): Reply {
  const ui = kb.ui;
  const sections: ReplySection[] = [];
  let facts: string[] = [];
  if (provider) {
    const kinds = topic?.uses?.provider.length ? topic.uses.provider : DEFAULT_PROVIDER_FACTS;
    facts = providerFacts(kb, provider, lang, kinds);
    // A provider with none of those facts sourced (Lolipop!) still gets its own help page, never an empty answer.
    if (facts.length === 0) facts = providerFacts(kb, provider, lang, ['help']);
    // Under a topic the facts get the provider's name as a heading; alone, the title says it.
    if (facts.length > 0) sections.push({ heading: topic ? t(ui, 'talk.provider.title', lang, { provider: pick(provider.names, lang) }) : '', style: 'bullets', items: facts });
  }
  const settings = topic?.uses?.client ?? [];
  const path = client && settings.length > 0 ? clientPath(client, settings, lang) : undefined;
  if (client && path) {
    sections.push({ heading: '', style: 'bullets', items: [`${t(ui, 'talk.client-path', lang, { client: pick(client.names, lang), path: path.text })} ${t(ui, 'talk.source-only', lang, { source: path.source })}`] });
  }
  const refs = referencesFor(topic?.references ?? [], lang).slice(0, 2);
  if (refs.length > 0) sections.push({ heading: t(ui, 'bot.section.references', lang), style: 'bullets', items: refs });
  return {
    kind: 'info',
    lang,
    title: topic ? pick(topic.title, lang) : t(ui, 'talk.provider.title', lang, { provider: provider ? pick(provider.names, lang) : '' }),
    summary: topic ? topicSummary(topic, lang, facts.length > 0) : '',
    severity: 'info',
    sections,
    actions: [],
  };
}

/** A trouble told in words: what to look at first for what is known, and one question that would narrow it. */
export function symptomFirstReply(kb: KnowledgeBase, step: ChecklistStep, lang: Lang, c: Conversation, conversation: string, question: string): Reply {
  const base = checklistStepReply(kb, step, lang, c, conversation);
  return {
    ...base,
    title: t(kb.ui, 'bot.symptom.title', lang),
    summary: t(kb.ui, 'talk.symptom.first', lang, { step: pick(step.title, lang) }),
    sections: [{ heading: '', style: 'text', items: [base.summary] }, ...base.sections.filter((s) => s.style === 'bullets'), { heading: t(kb.ui, 'bot.section.ask', lang), style: 'text', items: [question] }],
  };
}

/**
 * A bounce told in words ("エラーメールが返ってきます"): the app sent it, so its settings are not the point; the bounce's
 * own lines are asked for, and a filtering recipient provider's fact (docomo's 受信/拒否設定) given when one was named.
 */
export function bounceToldReply(kb: KnowledgeBase, lang: Lang, c: Conversation): Reply {
  const sections: ReplySection[] = [];
  const filtering = kb.providers.find((p) => p.id === c.filtering);
  const fact = filtering?.receiving?.[0];
  if (filtering && fact) sections.push(receivingSection(kb, filtering, fact, lang));
  sections.push({ heading: t(kb.ui, 'bot.section.ask', lang), style: 'text', items: [t(kb.ui, 'talk.bounced.ask', lang)] });
  return { kind: 'info', lang, title: t(kb.ui, 'talk.bounced.title', lang), summary: t(kb.ui, 'talk.bounced.summary', lang), severity: 'info', sections, actions: [] };
}

export function simpleReply(kb: KnowledgeBase, lang: Lang, titleKey: string, summaryKey?: string, vars: Record<string, string> = {}): Reply {
  return { kind: 'info', lang, title: t(kb.ui, titleKey, lang, vars), summary: summaryKey ? t(kb.ui, summaryKey, lang, vars) : '', severity: 'info', sections: [], actions: [] };
}

/** Whether an option applies with this provider: Microsoft 365's switch only for Microsoft. */
const optionFits = (o: SettingOption, provider: string | undefined): boolean => o.providers.length === 0 || (provider !== undefined && o.providers.includes(provider));

const optionWords = new WeakMap<SettingOption, string[]>();
const compactOf = (text: string): string => compact(text.normalize('NFKC').toLowerCase());

/** The option a text names: the first of knowledge/options.yaml, in its order, whose words the text contains. */
export function optionNamed(kb: KnowledgeBase, text: string, provider: string | undefined): SettingOption | undefined {
  const said = compactOf(text);
  return (kb.options ?? []).find((o) => {
    let words = optionWords.get(o);
    if (!words) {
      words = [...o.words.ja, ...o.words.en].map(compactOf).filter((w) => w.length > 1);
      optionWords.set(o, words);
    }
    return optionFits(o, provider) && words.some((w) => said.includes(w));
  });
}

/** The option a reply was about: the one of its entry or topic, else the first its words name. */
export function optionOfReply(kb: KnowledgeBase, reply: Reply, about: { entry?: string; topic?: string }, provider: string | undefined): SettingOption | undefined {
  const options = (kb.options ?? []).filter((o) => optionFits(o, provider));
  return (
    (about.entry ? options.find((o) => o.entries.includes(about.entry ?? '')) : undefined) ??
    (about.topic ? options.find((o) => o.topics.includes(about.topic ?? '')) : undefined) ??
    optionNamed(kb, renderText(reply), provider)
  );
}

/**
 * "I can't find that option": why it may not show or who can change it (a sourced fact), where it is at the user's
 * provider (its own setup facts) and in their app (the menu path), and the one thing to tell when neither is known.
 */
export function notFoundReply(kb: KnowledgeBase, option: SettingOption, c: Conversation, lang: Lang): Reply {
  const ui = kb.ui;
  const provider = kb.providers.find((x) => x.id === c.provider);
  const client = kb.clients.find((x) => x.id === c.client);
  const sections: ReplySection[] = [];
  const facts = provider && optionFits(option, provider.id) ? provider.setup.filter((s) => option.providerFacts.includes(s.kind)).slice(0, 3) : [];
  if (provider && facts.length > 0) {
    sections.push({ heading: t(ui, 'talk.provider.title', lang, { provider: pick(provider.names, lang) }), style: 'bullets', items: facts.map((f) => `${pick(f.value, lang)} ${source(kb, f, lang)}`) });
  }
  const path = client && option.clientSettings.length > 0 ? clientPath(client, option.clientSettings, lang) : undefined;
  if (client && path) {
    sections.push({ heading: t(ui, 'talk.app.where', lang), style: 'bullets', items: [`${t(ui, 'talk.client-path', lang, { client: pick(client.names, lang), path: path.text })} ${t(ui, 'talk.source-only', lang, { source: path.source })}`] });
  }
  // One question, the one that would place it: the provider for an option made at the provider (an app password is
  // made on the provider's site, whatever the app), the app for one in the app's settings.
  const ask =
    option.providerFacts.length > 0
      ? provider
        ? undefined
        : t(ui, 'talk.not-found.ask.provider', lang)
      : option.clientSettings.length > 0 && !client
        ? t(ui, 'talk.not-found.ask.app', lang)
        : undefined;
  // The app is known but no page gave the way to this setting in it: said so, never a guessed path.
  if (client && !path && option.clientSettings.length > 0 && option.providerFacts.length === 0) sections.push({ heading: '', style: 'text', items: [t(ui, 'talk.app.none', lang, { client: pick(client.names, lang) })] });
  if (ask) sections.push({ heading: t(ui, 'bot.section.ask', lang), style: 'text', items: [ask] });
  return {
    kind: 'info',
    lang,
    title: t(ui, 'talk.not-found.title', lang, { option: pick(option.names, lang) }),
    summary: option.hint ? `${pick(option.hint.value, lang)} ${source(kb, option.hint, lang)}` : t(ui, 'talk.not-found.summary', lang),
    severity: 'info',
    sections,
    actions: [],
  };
}

/**
 * Still not found after the first answer: the menus may differ from every page read, so the user is asked for the
 * names they do see, and given the provider's own help page where there is one.
 */
export function notFoundAgainReply(kb: KnowledgeBase, option: SettingOption, c: Conversation, lang: Lang): Reply {
  const ui = kb.ui;
  const provider = kb.providers.find((x) => x.id === c.provider);
  const help = provider ? (provider.help.find((h) => h.lang === lang) ?? provider.help[0]) : undefined;
  const items = help && provider ? [t(ui, 'talk.provider-help', lang, { provider: pick(provider.names, lang), url: help.value })] : [];
  return {
    kind: 'info',
    lang,
    title: t(ui, 'talk.not-found.again.title', lang, { option: pick(option.names, lang) }),
    summary: t(ui, 'talk.not-found.again.summary', lang),
    severity: 'info',
    sections: items.length > 0 ? [{ heading: '', style: 'bullets', items }] : [],
    actions: [],
  };
}
