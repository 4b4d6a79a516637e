import { z } from 'zod';
import { INTENT_IDS } from '../engine/intent.js';
import { CATEGORY_IDS, TOPIC_CLIENT_SETTINGS, TOPIC_PROVIDER_FACTS } from '../engine/types.js';

const text = z.strictObject({ ja: z.string().min(1), en: z.string().min(1) });
/** An app version a path or label applies to: a name the same in both languages ("Outlook 2007"), or both texts. */
const versionText = z.union([z.string().min(1).transform((s) => ({ ja: s, en: s })), text]);
const phrases = z.strictObject({
  ja: z.array(z.string().min(2)).default([]),
  en: z.array(z.string().min(2)).default([]),
});

const statusCode = z
  .string()
  .regex(/^(?:[245x]\.\d{1,3}\.\d{1,3}|[45]\.x\.x)$/, 'an RFC 3463 code such as 5.7.1, x.1.1 (either class) or 4.x.x (any code of the class)');

export const entrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  category: z.enum(CATEGORY_IDS).exclude(['unknown']),
  priority: z.number().int().default(0),
  title: text,
  summary: text,
  causes: z.array(text).min(1),
  steps: z.array(text).min(1),
  probe: z.enum(['dns', 'ports', 'tls', 'auth', 'none']),
  signals: z.strictObject({
    replyCodes: z.array(z.number().int().min(200).max(599)).default([]),
    statusCodes: z.array(statusCode).default([]),
    errorCodes: z.array(z.string().min(2)).default([]),
    phrases: phrases.default({ ja: [], en: [] }),
    exclude: z.array(z.string().min(2)).default([]),
    combos: z
      .array(
        z
          .array(z.string().min(1).transform((part) => part.split('|').map((x) => x.trim()).filter((x) => x.length >= 2)))
          .min(2, 'a combo needs at least two parts (a single one is a phrase)')
          .refine((parts) => parts.every((p) => p.length > 0), 'every part needs an alternative of two characters or more'),
      )
      .default([]),
    ports: z.array(z.number().int().min(1).max(65535)).default([]),
  }),
  references: z.array(z.string()).default([]),
  examples: z.array(z.string().min(1)).min(1),
});

export const checklistSchema = z.strictObject({
  steps: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9-]+$/),
        title: text,
        howto: text,
        categories: z.array(z.enum(CATEGORY_IDS)).default([]),
      }),
    )
    .min(1),
});

export const topicSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: text,
  body: text,
  /** Said after the body only when the user's provider is not known ("tell me your provider …"). */
  ask: text.optional(),
  phrases: phrases.default({ ja: [], en: [] }),
  references: z.array(z.string().regex(/^https?:\/\/\S+$/, 'a reference is the http(s) URL of a public page')).default([]),
  uses: z
    .strictObject({
      provider: z.array(z.enum(TOPIC_PROVIDER_FACTS)).default([]),
      client: z.array(z.enum(TOPIC_CLIENT_SETTINGS)).default([]),
    })
    .optional(),
});

/**
 * Where a wording came from, tagged as in the test fixtures: `[page] URL` (a public Q&A thread, forum post or help
 * page), `[issue] URL`, or `[written] what it imitates`. The tag also groups wordings into the families that
 * cross-validation holds out together.
 */
const provenance = z.string().regex(/^\[(?:page|issue|written)\] \S/, 'a source tag: "[page] URL", "[issue] URL" or "[written] what it imitates"');

export const intentFileSchema = z.strictObject({
  intent: z.enum(INTENT_IDS),
  wordings: z
    .array(
      z
        .strictObject({
          source: provenance,
          /** For questions: the knowledge/topics id they ask about. */
          topic: z.string().regex(/^[a-z0-9-]+$/).optional(),
          ja: z.array(z.string().min(1)).default([]),
          en: z.array(z.string().min(1)).default([]),
        })
        .refine((g) => g.ja.length + g.en.length > 0, 'a group needs at least one wording (ja or en)'),
    )
    .min(1),
});

export const uiSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/), text);

const named = z.strictObject({ name: z.string().min(1), patterns: z.array(z.string().min(2)).min(1) });

const security = z.enum(['ssl', 'starttls', 'none']);

export const contextSchema = z.strictObject({
  clients: z.array(named),
  providers: z.array(named),
  recently: phrases,
  /** How a turn asks without a question mark: an English turn's first word, Japanese words anywhere. */
  asking: z.strictObject({ opening: z.array(z.string().min(2)), anywhere: z.array(z.string().min(2)) }).optional(),
  /** The words that tell a bounce came back. */
  bounced: phrases.optional(),
  /** The words that tell how the user's connection is secured. */
  encryption: z.strictObject({ ssl: phrases, starttls: phrases, none: phrases }).default({ ssl: { ja: [], en: [] }, starttls: { ja: [], en: [] }, none: { ja: [], en: [] } }),
  /** The encryption each port is used with, the recommended one first. */
  portSecurity: z.record(z.string().regex(/^\d{1,5}$/), z.array(security).min(1)).default({}),
  /** The entry that explains a port and an encryption that do not go together. */
  mismatchEntry: z.string().min(1).optional(),
  /** Facts told in passing ("受信はできます", "I run Norton", port 25): the checklist steps they rule out or point to, and the causes they make likely. */
  told: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
        words: phrases.default({ ja: [], en: [] }),
        not: phrases.default({ ja: [], en: [] }),
        ports: z.array(z.number().int().min(1).max(65535)).default([]),
        rulesOut: z.array(z.string().min(1)).default([]),
        steps: z.array(z.string().min(1)).default([]),
        entries: z.array(z.string().min(1)).default([]),
        after: z.array(z.enum(CATEGORY_IDS).exclude(['unknown'])).default([]),
      }),
    )
    .default([]),
});

/** A rule of ja-forms.yaml is a regular expression run over whole pastes: plain text, `|` alternations, one-character classes and groups only. */
const formPattern = z
  .string()
  .min(1)
  .refine((p) => !/[*+{]/.test(p), 'no repetition (*, + or {n}): the rule runs over whole logs and must not backtrack')
  .refine((p) => {
    try {
      new RegExp(p, 'gu');
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');

/** knowledge/about.yaml: words of mail, and of other things whose errors share mail errors' words. */
export const aboutSchema = z.strictObject({ mail: z.array(z.string().min(2)).min(1), other: z.array(z.string().min(2)).min(1) });

export const jaFormsSchema = z.strictObject({
  spellings: z.record(z.string().min(1), z.string()),
  endings: z.array(z.tuple([formPattern, z.string()])),
});

// knowledge/bounces.yaml: how a bounce's SMTP command and status codes are read (src/engine/bounce.ts).
const category = z.enum(CATEGORY_IDS as unknown as [string, ...string[]]);
const statusKey = z.string().regex(/^X\.\d{1,3}\.\d{1,3}$/, 'a status is written X.subject.detail (RFC 3463, class dropped)');
const regex = z.string().refine((s) => {
  try {
    new RegExp(s, 'im');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');
export const bouncesSchema = z.strictObject({
  commands: z.array(z.strictObject({ pattern: regex, command: z.string().min(1), mta: z.string().min(1) })).min(1),
  aliases: z.record(z.string().min(1), z.string().regex(/^[A-Z]+$/)),
  stages: z.array(
    z.strictObject({ commands: z.array(z.string().regex(/^[A-Z]+$/)).min(1), from: z.array(category).min(1), unless: z.array(z.string().regex(/^X\.\d{1,3}$/)).optional(), unlessWords: z.string().min(1).optional(), to: category, entry: z.string().min(1) }),
  ),
  named: z.array(z.strictObject({ from: z.array(category).min(1), words: regex, to: category, entry: z.string().min(1) })).default([]),
  status: z.record(statusKey, category),
  decisive: z.array(z.string().regex(/^[X45]\.\d{1,3}\.\d{1,3}$/, 'X.subject.detail, or a class-specific code')),
  replies: z.record(z.string().regex(/^[45]\d\d$/), category),
  client: z.partialRecord(category, category),
  weak: z.array(category),
});

// Providers and clients: every fact is { value, source, checked } so that nothing unsourced or undated ships.
const isoDate = z
  .string({ error: (i) => (i.input === undefined ? 'every fact needs "checked": the day its source was read (YYYY-MM-DD)' : 'checked must be a date, YYYY-MM-DD') })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'checked must be a date, YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'checked is not a real date');
const webPage = z
  .string({ error: (i) => (i.input === undefined ? 'every fact needs "source": the URL of the page it was read on' : 'source must be a URL') })
  .regex(/^https?:\/\/[^\s/]+\.[^\s/]+(?:\/\S*)?$/, 'source must be an http(s) URL of a public page');

function fact<T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(value: T, extra?: E) {
  return z.strictObject({
    value,
    source: webPage,
    checked: isoDate,
    via: z.string().min(1).optional(),
    lang: z.enum(['ja', 'en']).optional(),
    note: text.optional(),
    ...(extra ?? ({} as E)),
  });
}

// `*.` in front: one or more labels; `*` inside a label: one or more letters, digits or dashes.
const hostPattern = z
  .string()
  .regex(/^(?:\*\.)?(?:[a-z0-9*](?:[a-z0-9*-]*[a-z0-9*])?\.)+[a-z]{2,}$/, 'a lower-case host name pattern: smtp.example.jp, *.example.jp or sv*.example.jp');

// `*`: a part that differs per account (given in the provider's settings notice); `{domain}`: the user's own domain.
const smtpHost = z
  .string()
  .regex(/^(?:[a-z0-9*-]+|\{domain\})(?:\.(?:[a-z0-9*-]+|\{domain\}))*$/, 'a lower-case host name; * for a part that differs per account, {domain} for the user\'s own domain');

export const providerSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  kind: z.enum(['mailbox', 'isp', 'mobile', 'hosting', 'esp']),
  region: z.enum(['jp', 'global']),
  names: text,
  detect: z.strictObject({
    hosts: z.array(hostPattern).default([]),
    domains: z.array(hostPattern).default([]),
    words: z.array(z.string().min(2)).min(1),
    /** Words that name it only in a text of that language ("yahoo" in English is Yahoo Mail, in Japanese Yahoo! JAPAN). */
    langWords: z.strictObject({ ja: z.array(z.string().min(2)).default([]), en: z.array(z.string().min(2)).default([]) }).optional(),
    /** Phrases in which its words name something else ("Microsoft Outlook" is an app, not a Microsoft mailbox). */
    not: z.array(z.string().min(2)).default([]),
  }),
  examples: z.array(z.string().min(2)).min(2),
  help: z.array(fact(z.url({ protocol: /^https?$/ }))).min(1, "at least one of the provider's own help pages"),
  smtp: z.array(fact(z.strictObject({ host: smtpHost, port: z.number().int().min(1).max(65535), security: z.enum(['ssl', 'starttls', 'none']) }))).default([]),
  username: fact(text).optional(),
  setup: z
    .array(fact(text, { kind: z.enum(['app-password', 'two-step', 'enable-access', 'enable-smtp-auth', 'oauth', 'smtp-credentials', 'other']), where: z.string().regex(/^https?:\/\/\S+$/).optional() }))
    .default([]),
  op25b: fact(text).optional(),
  limits: z.array(fact(text)).default([]),
  notes: z.array(fact(text)).default([]),
  receiving: z
    .array(
      fact(text, {
        when: z
          .strictObject({ categories: z.array(z.enum(CATEGORY_IDS).exclude(['unknown'])).default([]), statusCodes: z.array(z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/)).default([]) })
          .refine((w) => w.categories.length + w.statusCodes.length > 0, 'when needs categories or statusCodes'),
      }),
    )
    .default([]),
});

const clientSetting = z.enum(['account-list', 'outgoing-server', 'port', 'encryption', 'authentication', 'user-name', 'password']);

// knowledge/options.yaml: the settings answers name, for the turn that says it cannot find one (src/bot/talk.ts).
export const optionsSchema = z.strictObject({
  options: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
        names: text,
        words: z.strictObject({ ja: z.array(z.string().min(2)).min(1), en: z.array(z.string().min(2)).min(1) }),
        topics: z.array(z.string().min(1)).default([]),
        entries: z.array(z.string().min(1)).default([]),
        providers: z.array(z.string().min(1)).default([]),
        providerFacts: z.array(z.enum(['app-password', 'two-step', 'enable-access', 'enable-smtp-auth', 'oauth', 'smtp-credentials', 'other'])).default([]),
        clientSettings: z.array(clientSetting).default([]),
        hint: fact(text).optional(),
      }),
    )
    .min(1),
});

export const clientSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  names: text,
  platforms: z.array(z.string().min(2)).min(1),
  detect: z.strictObject({ words: z.array(z.string().min(2)).min(1) }),
  examples: z.array(z.string().min(2)).min(2),
  // An app may have no page read yet: its detection words still count, and no unsourced path is shipped.
  help: z.array(fact(z.url({ protocol: /^https?$/ }))).default([]),
  paths: z
    .array(
      z
        .strictObject({
          settings: z.array(clientSetting).min(1),
          version: versionText.optional(),
          ja: fact(z.array(z.string().min(1)).min(1)).optional(),
          en: fact(z.array(z.string().min(1)).min(1)).optional(),
        })
        .refine((p) => p.ja || p.en, 'a menu path needs its steps in at least one language (ja or en)'),
    )
    .default([]),
  labels: z
    .array(
      z
        .strictObject({ setting: clientSetting, version: versionText.optional(), ja: fact(z.string().min(1)).optional(), en: fact(z.string().min(1)).optional() })
        .refine((l) => l.ja || l.en, 'a label needs at least one language (ja or en)'),
    )
    .default([]),
  notes: z.array(fact(text)).default([]),
});
