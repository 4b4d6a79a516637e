/** Shared types of the pure engine. Nothing here touches the network, the file system or process.env. */
import type { ModelFile } from './model.js';

import type { MailClient, Provider, SettingOption } from './facts.js';
import type { IntentModelFile } from './intent.js';

export type Lang = 'ja' | 'en';

/** A string in both languages the bot speaks. */
export interface Text {
  ja: string;
  en: string;
}

export const CATEGORY_IDS = [
  'offline',
  'smtp-host-not-found',
  'smtp-unreachable',
  'port-25-blocked',
  'connection-dropped',
  'tls-mismatch',
  'tls-certificate',
  'auth-required',
  'auth-failed',
  'relay-denied',
  'sender-rejected',
  'recipient-unknown',
  'recipient-domain-invalid',
  'mailbox-full',
  'message-too-large',
  'ip-reputation',
  'spam-content',
  'sender-authentication',
  'rate-limited',
  'account-blocked',
  'temporary-failure',
  'unknown',
] as const;

export type CategoryId = (typeof CATEGORY_IDS)[number];

/** Which live check confirms a diagnosis (see src/probe). */
export type ProbeKind = 'dns' | 'ports' | 'tls' | 'auth' | 'none';

export interface KnowledgeSignals {
  /** 3-digit SMTP reply codes, e.g. 550. */
  replyCodes: number[];
  /**
   * RFC 3463 enhanced status codes: "5.7.26" exact; "x.1.1" matches 4.1.1 and 5.1.1; "4.x.x" is a weak fallback for any
   * code (or reply code) of that class when nothing more specific matched.
   */
  statusCodes: string[];
  /** errno names, nodemailer/OpenSSL codes, Outlook hex codes, WinSock numbers ... matched as whole tokens. */
  errorCodes: string[];
  /** Phrases matched in the normalised text; exact phrases carry long pastes, fuzzy matching short ones. */
  phrases: { ja: string[]; en: string[] };
  /**
   * Word combinations, for languages whose sentences vary too much for fixed phrases (Japanese above all): each combo
   * is a list of parts, each part a list of alternatives; it matches when every part occurs, close together.
   * Written in YAML as `- [宛先|受信者, 存在しない|見つかりません]`.
   */
  combos: string[][][];
  /** Phrases that veto this entry when present (e.g. "temporary" for a permanent-only entry). */
  exclude: string[];
  /**
   * The entry applies only when the paste names one of these ports, and then counts for a little more than an entry
   * without the condition (a connect timeout on port 25 is the classic sign of Outbound Port 25 Blocking).
   */
  ports: number[];
}

export interface KnowledgeEntry {
  id: string;
  category: Exclude<CategoryId, 'unknown'>;
  /** Breaks ties between entries with the same score; higher wins. */
  priority: number;
  title: Text;
  summary: Text;
  causes: Text[];
  steps: Text[];
  probe: ProbeKind;
  signals: KnowledgeSignals;
  references: string[];
  /** Real-world example texts; each is a test: it must diagnose as this entry's category. */
  examples: string[];
  /** The file it came from, for messages about it. */
  file: string;
}

export interface ChecklistStep {
  id: string;
  title: Text;
  howto: Text;
  /** Categories that make this step the first thing to look at. */
  categories: CategoryId[];
}

export interface Topic {
  id: string;
  title: Text;
  body: Text;
  /** Said after the body only when the user's provider is not known: the facts it asks for are given instead. */
  ask?: Text;
  phrases: { ja: string[]; en: string[] };
  /** Where the body's facts can be read (RFCs, vendor pages). */
  references?: string[];
  /**
   * Facts an answer adds from the providers' and apps' own data (knowledge/providers, knowledge/clients) for the
   * provider or app the user named, instead of repeating them in the body.
   */
  uses?: TopicUses;
}

export const TOPIC_PROVIDER_FACTS = ['smtp', 'username', 'app-password', 'two-step', 'enable-access', 'enable-smtp-auth', 'op25b', 'limits', 'help'] as const;
export const TOPIC_CLIENT_SETTINGS = ['account-list', 'outgoing-server', 'port', 'encryption', 'authentication', 'user-name', 'password'] as const;

export interface TopicUses {
  provider: (typeof TOPIC_PROVIDER_FACTS)[number][];
  client: (typeof TOPIC_CLIENT_SETTINGS)[number][];
}

/** User-facing strings of the bot itself (labels, help, apologies), keyed by id. */
export type UiStrings = Record<string, Text>;

/** Words that tell the circumstances of a trouble described in words (client, provider, "since yesterday"). */
export interface ContextVocabulary {
  clients: { name: string; patterns: string[] }[];
  providers: { name: string; patterns: string[] }[];
  recently: { ja: string[]; en: string[] };
  /** How a turn asks without a question mark: the first words of English questions, Japanese asking words anywhere. */
  asking?: { opening: string[]; anywhere: string[] };
  /** Words that tell a bounce came back ("エラーメールが返ってきます", "it bounced"): the mail left, the recipient's side refused it. */
  bounced?: { ja: string[]; en: string[] };
  /** How the user says the connection is secured (SSL/TLS, STARTTLS, none), in both languages. */
  encryption?: Record<'ssl' | 'starttls' | 'none', { ja: string[]; en: string[] }>;
  /** The encryption each port is used with, the recommended one first ("587": [starttls]). */
  portSecurity?: Record<string, ('ssl' | 'starttls' | 'none')[]>;
  /** The entry that explains a port and an encryption that do not go together. */
  mismatchEntry?: string;
  /** Facts told in passing that narrow the search (see ToldFact). */
  told?: ToldFact[];
}

/**
 * A fact a user tells in passing, by its words or the port they name: the checklist steps it rules out ("受信はできます":
 * the device is online) or points to ("I run Norton": the security software), and the causes it makes likely — first
 * when the diagnosis under discussion is of their own category or of one in `after`.
 */
export interface ToldFact {
  id: string;
  words: { ja: string[]; en: string[] };
  /** Words that take the fact back in the same turn ("no antivirus"). */
  not: { ja: string[]; en: string[] };
  ports: number[];
  rulesOut: string[];
  steps: string[];
  entries: string[];
  after: Exclude<CategoryId, 'unknown'>[];
}

/** Words of mail, and of things whose errors share mail errors' words (databases, git, web requests, packages). */
export interface AboutWords {
  mail: string[];
  other: string[];
}

/** Japanese spellings and inflections reduced to one form (knowledge/ja-forms.yaml). */
export interface JaForms {
  spellings: Record<string, string>;
  endings: [string, string][];
}

export interface KnowledgeBase {
  entries: KnowledgeEntry[];
  checklist: ChecklistStep[];
  topics: Topic[];
  ui: UiStrings;
  context: ContextVocabulary;
  jaForms: JaForms;
  /** The learned classifier made by scripts/train.ts, or null when there is none (a test's small knowledge base). */
  model: ModelFile | null;
  /** knowledge/providers/*.yaml: sourced, dated facts per mail provider. */
  providers: Provider[];
  /** knowledge/clients/*.yaml: sourced, dated menu paths and labels per mail app. */
  clients: MailClient[];
  /** The intent model made by scripts/train-intents.ts (knowledge/model/intents.json); absent in a test's small knowledge base. */
  intentModel?: IntentModelFile | null;
  /** knowledge/about.yaml: words of mail, and of other things whose errors share mail errors' words; absent in a small test base. */
  about?: AboutWords | null;
  /** knowledge/bounces.yaml: a bounce's SMTP command and status codes read beside its words; absent in a small test base. */
  bounces?: BounceReading | null;
  /** knowledge/options.yaml: the settings answers name, for "I can't find that option"; absent in a small test base. */
  options?: SettingOption[];
  /**
   * Each phrase's canonical compact key, computed once by the knowledge snapshot (`npm run build`) so that a command
   * does not recompute ~3,000 of them at start; the index computes any that is missing.
   */
  phraseKeys?: Record<string, string>;
}

/** knowledge/bounces.yaml (schema: bouncesSchema). */
export interface BounceReading {
  commands: { pattern: string; command: string; mta: string }[];
  aliases: Record<string, string>;
  /** `unless`: status subjects (X.1 …) that keep the words' answer; `unlessWords`: a pattern of the server's words that does. */
  stages: { commands: string[]; from: string[]; unless?: string[]; unlessWords?: string; to: string; entry: string }[];
  /** Categories that, in words naming the failed recipient, are about that recipient. */
  named: { from: string[]; words: string; to: string; entry: string }[];
  status: Record<string, string>;
  decisive: string[];
  replies: Record<string, string>;
  client: Partial<Record<string, string>>;
  weak: string[];
}

/** What the engine read out of a paste. */
export interface Signals {
  replyCodes: number[];
  statusCodes: string[];
  errorCodes: string[];
  ports: number[];
  hosts: string[];
  addresses: string[];
  /** The SMTP command a failure answered (RCPT TO, MAIL FROM, DATA, AUTH ...), when the paste says. */
  command?: string;
}

export interface Evidence {
  kind: 'reply-code' | 'status-code' | 'error-code' | 'phrase' | 'model' | 'port';
  /** What was seen in the (redacted) paste. */
  value: string;
  weight: number;
}

export interface Context {
  client?: string;
  provider?: string;
  ports: number[];
  sinceRecently: boolean;
}

export interface Diagnosis {
  category: CategoryId;
  entry: KnowledgeEntry | null;
  confidence: number;
  /** Would a bot watching a channel reply unasked? */
  respond: boolean;
  lang: Lang;
  evidence: Evidence[];
  alternatives: { category: CategoryId; entry: string; confidence: number }[];
  signals: Signals;
  /** What the words tell when there is no error text (client, port, "since yesterday"). */
  context: Context;
  /** The input after redaction: the only form of it that may be stored, logged or echoed. */
  redacted: string;
  /** Input was cut to the size limit. */
  truncated: boolean;
  /**
   * When the paste shows the server accepting every step and nothing failing (category `unknown`): its last line of
   * acceptance, as the user's paste has it ("250 2.0.0 Ok: queued as …").
   */
  accepted?: string;
}
