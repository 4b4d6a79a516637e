/**
 * What the bot knows about one conversation (a Slack thread, a Discord thread or reply chain, a DM, a terminal
 * session): the diagnosis under discussion, what was already said, the checklist step it is at, and the facts the
 * user gave (mail app, provider, port, server). Kept in the state store as plain JSON under the conversation's key;
 * the error text is kept only in its redacted form.
 */
import { buildMentionIndex, mentionedClients, mentionedEncryption, mentionedProviders, mentionedTold, type MentionIndex, type SecurityMode } from '../engine/mentions.js';
import type { KnowledgeBase, CategoryId, Diagnosis, Lang, ToldFact } from '../engine/types.js';
import { CATEGORY_IDS } from '../engine/types.js';
import type { Json } from './state.js';

export interface Conversation {
  lang?: Lang;
  /** The diagnosis under discussion: its entry and category. */
  entry?: string;
  category?: CategoryId;
  /** Further causes to offer, most likely first (the diagnosis's alternatives). */
  alternatives: string[];
  /** Entries already explained in this conversation: "still failing" never offers one again. */
  given: string[];
  /** How many steps of `entry` were shown. */
  stepsShown: number;
  /** Checklist steps (ids) already shown, and those the user says are done. */
  checklistShown: string[];
  checklistDone: string[];
  /** The checklist step shown last, while the user goes through the checklist one step at a time. */
  checklistAt?: string;
  /** What the last reply was about, so that "next" and "done" know what they answer. */
  focus?: 'diagnosis' | 'checklist' | 'answer' | 'closed';
  client?: string;
  provider?: string;
  /** A provider whose users filter what they receive (docomo), named by an address or in words, not by a server. */
  filtering?: string;
  port?: number;
  /** How the user said the connection is secured (SSL/TLS, STARTTLS, none), kept like the port. */
  encryption?: SecurityMode;
  /** A mail server the user named (never a help link's host): what "test" means in this conversation. */
  server?: string;
  /** The last error pasted, redacted, the entry it was diagnosed as, and the pieces of it that gave it away. */
  error?: string;
  diagnosed?: string;
  evidence: string[];
  /** Question topics answered. */
  topics: string[];
  /** Facts the user told in passing (knowledge/context.yaml `told`): what they rule out and point to. */
  told: string[];
  /** The setting (knowledge/options.yaml) the last reply told the user to find: what "I can't find it" is about. */
  option?: string;
  /** The setting the user said they cannot find, while the reply to that is the last one: "still not there" is about it. */
  lookingFor?: string;
  /** Hashes of the replies given, so that none is given twice. */
  said: string[];
  /** The last reply asked which server to test: a server named next completes that request. */
  askedServer?: boolean;
  /**
   * The user asked for the checklist: its steps are gone through as such, not as the bot's search for a next cause
   * (src/bot/dialogue.ts searchKind).
   */
  checklistAsked?: boolean;
  /** The server the last turn started a test on: "now port 465 of the same host" asks for the same test again. */
  probed?: string;
  /**
   * Who the bot has been helping: the first person it answered. Another person's remark in the thread that nobody
   * addressed to the bot ("same here!", "うちの母のiPhoneも同じ症状でした") is not a follow-up to answer.
   */
  asker?: string;
}


/** Longest error text kept, and how many replies are remembered. */
const ERROR_MAX_CHARS = 2000;
const SAID_MAX = 50;

const str = (v: Json | undefined): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const strs = (v: Json | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A stored conversation, read defensively: an old or damaged record is what can be read of it. */
export function readConversation(raw: { [key: string]: Json }): Conversation {
  const c: Conversation = {
    alternatives: strs(raw.alternatives),
    given: strs(raw.given),
    stepsShown: typeof raw.stepsShown === 'number' ? raw.stepsShown : 0,
    checklistShown: strs(raw.checklistShown),
    checklistDone: strs(raw.checklistDone),
    topics: strs(raw.topics),
    told: strs(raw.told),
    said: strs(raw.said),
    evidence: strs(raw.evidence),
  };
  if (raw.lang === 'ja' || raw.lang === 'en') c.lang = raw.lang;
  const entry = str(raw.entry);
  if (entry) c.entry = entry;
  const category = str(raw.category);
  if (category && (CATEGORY_IDS as readonly string[]).includes(category)) c.category = category as CategoryId;
  const at = str(raw.checklistAt);
  if (at) c.checklistAt = at;
  if (raw.focus === 'diagnosis' || raw.focus === 'checklist' || raw.focus === 'answer' || raw.focus === 'closed') c.focus = raw.focus;
  for (const key of ['client', 'provider', 'filtering', 'server', 'error', 'diagnosed', 'option', 'lookingFor', 'probed', 'asker'] as const) {
    const v = str(raw[key]);
    if (v) c[key] = v;
  }
  if (typeof raw.port === 'number') c.port = raw.port;
  if (raw.askedServer === true) c.askedServer = true;
  if (raw.checklistAsked === true) c.checklistAsked = true;
  if (raw.encryption === 'ssl' || raw.encryption === 'starttls' || raw.encryption === 'none') c.encryption = raw.encryption;
  return c;
}

export function writeConversation(c: Conversation): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries({ ...c, said: c.said.slice(-SAID_MAX), error: c.error?.slice(0, ERROR_MAX_CHARS) })) {
    if (v !== undefined) out[k] = v as Json;
  }
  return out;
}

/** A short, stable fingerprint of a reply's text, for "never the same reply twice". */
export function fingerprint(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(36);
}

const mentionIndexes = new WeakMap<KnowledgeBase, MentionIndex>();

export function mentionIndexOf(kb: KnowledgeBase): MentionIndex {
  let index = mentionIndexes.get(kb);
  if (!index) {
    index = buildMentionIndex(kb.providers, kb.clients);
    mentionIndexes.set(kb, index);
  }
  return index;
}

const URL = /\bhttps?:\/\/\S+/gi;
/** Names a mail server goes by: what a "test" without a host may be run on, and what a test button is offered for. */
const SERVER_NAME = /^(smtp|mail|mx|submission|out|outbound|smtps|sv\d*|mail\d*)[0-9-]*\./i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Hosts and IPs the user wrote as such — not the host of a link (https://aka.ms/…, support.google.com/…), and not the
 * domain of a mail address.
 */
export function namedHosts(text: string, d: Diagnosis): string[] {
  const prose = text.replace(URL, ' ').toLowerCase();
  const hosts = d.signals.hosts.filter((h) => new RegExp(`(?<![\\w@./-])${h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-]|\\.[a-z0-9])`).test(prose));
  const ips = d.signals.addresses.filter((a) => IPV4.test(a) && prose.includes(a));
  return [...hosts, ...ips];
}

/** A host that is a mail server by its name, or one of the known providers' outgoing servers. */
export function isServerName(kb: KnowledgeBase, host: string): boolean {
  if (SERVER_NAME.test(host) || IPV4.test(host)) return true;
  return kb.providers.some((p) => p.smtp.some((s) => s.value.host.toLowerCase() === host.toLowerCase()));
}

/** The facts a turn tells, merged into what was known: a newly named app, provider, port, encryption or server replaces the old. */
export function learn(kb: KnowledgeBase, c: Conversation, text: string, d: Diagnosis, options: { encryption?: boolean } = {}): Conversation {
  const next = { ...c };
  const index = mentionIndexOf(kb);
  const providers = mentionedProviders(index, text);
  const provider = providers[0];
  if (provider) next.provider = provider.item.id;
  const filtering = providers.find((m) => m.via !== 'host' && (m.item.receiving?.length ?? 0) > 0);
  if (filtering) next.filtering = filtering.item.id;
  const client = mentionedClients(index, text)[0];
  if (client) next.client = client.item.id;
  const port = d.signals.ports[0] ?? d.context.ports[0];
  if (port !== undefined) next.port = port;
  // The user's setting told in words; an error's own words ("SSL routines: wrong version number") are no setting.
  const error = d.respond && d.evidence.some((e) => e.kind !== 'model');
  const encryption = error || options.encryption === false ? undefined : mentionedEncryption(kb.context, text);
  if (encryption) next.encryption = encryption;
  const server = namedHosts(text, d).find((h) => isServerName(kb, h));
  if (server) next.server = server;
  const told = mentionedTold(kb.context, text);
  if (told.some((id) => !c.told.includes(id))) next.told = [...new Set([...c.told, ...told])];
  return next;
}

/** The facts of knowledge/context.yaml `told` named by these ids, or by one of these ports. */
export function toldFactsOf(kb: KnowledgeBase, ids: readonly string[], ports: readonly number[]): ToldFact[] {
  return (kb.context.told ?? []).filter((f) => ids.includes(f.id) || f.ports.some((p) => ports.includes(p)));
}

/** The facts known of a conversation: those told in words, and those of the port it uses now (port 25: OP25B first). */
export function toldFacts(kb: KnowledgeBase, c: Conversation): ToldFact[] {
  return toldFactsOf(kb, c.told, c.port === undefined ? [] : [c.port]);
}
