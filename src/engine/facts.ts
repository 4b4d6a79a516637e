/**
 * Providers and mail clients as data (knowledge/providers/, knowledge/clients/). Every fact carries the page it was read
 * on and the day it was checked: a reply that quotes one can say where it comes from, and a stale one can be found.
 */
import type { Lang, Text } from './types.js';

export interface Fact<T> {
  value: T;
  /** The page the fact was read on: the provider's or vendor's own help page where there is one. */
  source: string;
  /** YYYY-MM-DD: the day the page was read. */
  checked: string;
  /** Where the copy that was read came from, when it was not the source URL itself (an archive, a mirror). */
  via?: string;
  /** The language of the source page, so Japanese users can be given Japanese pages. */
  lang?: Lang;
  /** Words the fact needs (what a value means, whom it applies to). */
  note?: Text;
}

export type Security = 'ssl' | 'starttls' | 'none';

export interface SmtpServer {
  /** `*` marks a part that differs per account (`sv*.xserver.jp`); `{domain}` stands for the user's own domain. */
  host: string;
  port: number;
  /** `ssl`: TLS from the first byte (SMTPS, usually 465); `starttls`: plain, then STARTTLS (usually 587). */
  security: Security;
}

export type ProviderKind = 'mailbox' | 'isp' | 'mobile' | 'hosting' | 'esp';

/** Something that must be switched on or made before a mail app can send. */
export type SetupKind = 'app-password' | 'two-step' | 'enable-access' | 'enable-smtp-auth' | 'oauth' | 'smtp-credentials' | 'other';

export interface SetupFact extends Fact<Text> {
  kind: SetupKind;
  /** Where to do it (a settings page), when the source names one. */
  where?: string;
}

export interface ProviderDetection {
  /** Host-name patterns of its servers: `smtp.ocn.ne.jp`, `*.ocn.ne.jp` (one or more labels), `sv*.xserver.jp` (in a label). */
  hosts: string[];
  /** Mail-address domains, same pattern syntax: `docomo.ne.jp`, `*.ocn.ne.jp`. */
  domains: string[];
  /** Words users write: `ドコモ`, `yahoo japan`. ASCII words match whole words; others anywhere. */
  words: string[];
  /** Words that name it only in a text of that language: `yahoo` in English is Yahoo Mail, in Japanese Yahoo! JAPAN. */
  langWords?: { ja: string[]; en: string[] };
  /** Phrases in which its words name something else: `microsoft outlook` is the app, not a Microsoft mailbox. */
  not?: string[];
}

export interface Provider {
  id: string;
  kind: ProviderKind;
  region: 'jp' | 'global';
  names: Text;
  detect: ProviderDetection;
  /** What a user might write or paste about it; each must be detected as this provider. */
  examples: string[];
  /** The provider's own help pages for mail-app settings (Japanese pages for Japanese providers). */
  help: Fact<string>[];
  /** Outgoing servers: one fact per host, port and encryption. */
  smtp: Fact<SmtpServer>[];
  /** The user-name form the outgoing server expects. */
  username?: Fact<Text>;
  setup: SetupFact[];
  /** Its Outbound Port 25 Blocking policy. */
  op25b?: Fact<Text>;
  /** Sending limits (messages a day, recipients a message, size). */
  limits: Fact<Text>[];
  /** Other facts a reply may need (a retired auth method, a required setting). */
  notes: Fact<Text>[];
  /**
   * What its recipients' own filters do to incoming mail, and the fix on the recipient's side: said when a bounce for
   * one of its addresses is diagnosed as one of `when.categories` or shows one of `when.statusCodes`.
   */
  receiving: ReceivingFact[];
  file: string;
}

export interface ReceivingFact extends Fact<Text> {
  when: { categories: string[]; statusCodes: string[] };
}

/** The settings of an outgoing server a menu path leads to, or a label names. */
export type ClientSetting = 'account-list' | 'outgoing-server' | 'port' | 'encryption' | 'authentication' | 'user-name' | 'password';

export interface MenuPath {
  /** What the path reaches. */
  settings: ClientSetting[];
  /** Versions it applies to, when it differs between versions. */
  version?: Text;
  /** The steps in the labels the app shows, one fact per language (a language is left out when no page gave it). */
  ja?: Fact<string[]>;
  en?: Fact<string[]>;
}

export interface FieldLabel {
  setting: ClientSetting;
  version?: Text;
  ja?: Fact<string>;
  en?: Fact<string>;
}

export interface MailClient {
  id: string;
  names: Text;
  platforms: string[];
  detect: { words: string[] };
  examples: string[];
  help: Fact<string>[];
  paths: MenuPath[];
  labels: FieldLabel[];
  notes: Fact<Text>[];
  file: string;
}

/**
 * A setting the bot's answers name (an app password, Microsoft 365's Authenticated SMTP switch, the outgoing server's
 * authentication in the mail app …): when the user says they cannot find it, where it lives for their provider and app,
 * and what must be true before it shows (knowledge/options.yaml).
 */
export interface SettingOption {
  id: string;
  /** How a reply names it. */
  names: Text;
  /** Words that name it, in a reply or in the user's turn (matched in compact form). */
  words: { ja: string[]; en: string[] };
  /** Topics and entries whose answers are about it. */
  topics: string[];
  entries: string[];
  /** Only for these providers (Microsoft 365's switch); empty: any. */
  providers: string[];
  /** The provider's setup facts that say where it is and what it needs. */
  providerFacts: SetupKind[];
  /** The mail app's settings the path to it reaches. */
  clientSettings: ClientSetting[];
  /** Why it may not be shown, or who can change it: a sourced, dated fact. */
  hint?: Fact<Text>;
}
