/**
 * Reply → a Discord message: one embed, and buttons for the reply's actions and checklist steps.
 * Discord rejects a whole message when any limit is exceeded, so every limit is enforced here: text is cut at a
 * line or word boundary with a visible note, sections that do not fit are left out (and the footer says so).
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APIStringSelectComponent,
} from 'discord.js';
import { t } from '../engine/i18n.js';
import type { Lang, UiStrings } from '../engine/types.js';
import type { Reply, ReplyAction, ReplyCheckItem, ReplySection, Severity } from './model.js';

export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  buttonsPerRow: 5,
  rows: 5,
  buttonLabel: 80,
  customId: 100,
  selectOptions: 25,
  selectLabel: 100,
} as const;

export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

export interface DiscordRenderOptions {
  /** Buttons for actions and checklist steps; off for progress messages and for answers that must not lead on. */
  buttons?: boolean;
}

const COLOR: Record<Severity, number> = { ok: 0x2ecc71, info: 0x3498db, warning: 0xf1c40f, error: 0xe74c3c };
const ICON: Record<Severity, string> = { ok: '✅', info: 'ℹ️', warning: '⚠️', error: '❌' };
/** Discord refuses an empty field name or value. */
const BLANK = '\u200b';

// ─── custom ids ────────────────────────────────────────────────────────────────────────────────────────────────

/** What a button or modal hands back: `sd:<kind>:<lang>:<value>` (kept under Discord's 100 characters). */
export type CustomId =
  | { kind: ReplyAction['id']; lang: Lang; value: string }
  | { kind: 'step'; lang: Lang; value: string }
  | { kind: 'auth-modal'; lang: Lang; value: string }
  | { kind: 'fb-label'; lang: Lang; value: string };

const PREFIX = 'sd';

export function encodeCustomId(id: CustomId): string | undefined {
  const s = `${PREFIX}:${id.kind}:${id.lang}:${id.value}`;
  return s.length <= DISCORD_LIMITS.customId ? s : undefined;
}

export function parseCustomId(raw: string): CustomId | undefined {
  const m = /^sd:(run-probe|run-check|show-checklist|auth-test|feedback-up|feedback-down|more|next-cause|step-done|step-failed|step|auth-modal|fb-label):(ja|en):(.*)$/s.exec(raw);
  if (!m) return undefined;
  return { kind: m[1] as CustomId['kind'], lang: m[2] as Lang, value: m[3] ?? '' };
}

// ─── escaping ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Characters that open Discord markdown: emphasis, code, spoilers, masked links ([ ]), mentions and timestamps (<),
 * and a heading's # at a line start. A backslash before each shows it as typed; parentheses alone open nothing.
 */
const MARKDOWN = /[\\*_~`|[\]<>]|^[ \t]{0,3}#/gm;
/** Bare links stay clickable as they are; only the characters that could open a masked link are encoded. */
const URL_TOKEN = /https?:\/\/[^\s<>]{1,2048}/g;

/**
 * Reply text is plain text, and much of it comes from elsewhere (a server's banner and replies, certificate names,
 * a user's paste), so it is shown as typed: `[Your mailbox is locked](https://phish.example)` must not become a
 * masked link, nor `**` bold or `||` a spoiler. Linear in the text: one pass for links, one for the rest.
 */
export function escapeDiscord(text: string): string {
  let out = '';
  let last = 0;
  URL_TOKEN.lastIndex = 0;
  for (let m = URL_TOKEN.exec(text); m; m = URL_TOKEN.exec(text)) {
    out += escapeRun(text.slice(last, m.index));
    out += m[0].replace(/[[\]()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    last = m.index + m[0].length;
  }
  return out + escapeRun(text.slice(last));
}

function escapeRun(s: string): string {
  return s.replace(MARKDOWN, (m) => (m.endsWith('#') ? `${m.slice(0, -1)}\\#` : `\\${m}`));
}

// ─── cutting ───────────────────────────────────────────────────────────────────────────────────────────────────

/** Cuts `text` to at most `max` characters at a line or word break, ending with `note`. */
export function cutText(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  const room = max - note.length;
  if (room <= 0) return note.slice(0, max);
  let end = room;
  const lineBreak = text.lastIndexOf('\n', end);
  const space = text.lastIndexOf(' ', end);
  // Only back up to a boundary when it keeps most of the text (Japanese has no spaces).
  if (lineBreak > room * 0.6) end = lineBreak;
  else if (space > room * 0.8) end = space;
  // Never split a surrogate pair (an emoji or a rare kanji) in half.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}${note}`;
}

/** Message content (not embeds) within 2,000 characters. */
export function fitContent(text: string, ui: UiStrings, lang: Lang): string {
  return cutText(text, DISCORD_LIMITS.content, t(ui, 'discord.cut', lang));
}

// ─── embed ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** A section as the embed builds it: the checklist's lines arrive already escaped, with their own bold titles. */
type EmbedSection = ReplySection & { escaped?: boolean };

function itemLines(s: EmbedSection, note: string): string[] {
  return s.items.map((item, i) => {
    switch (s.style) {
      case 'steps':
        return `${i + 1}. ${escapeDiscord(item)}`;
      case 'bullets':
        return `• ${escapeDiscord(item)}`;
      case 'code': {
        // Cut inside the fence so that the closing ``` survives.
        const body = cutText(item.replace(/```/g, "'''"), DISCORD_LIMITS.fieldValue - 8, note);
        return `\`\`\`\n${body}\n\`\`\``;
      }
      case 'text':
        return s.escaped ? item : escapeDiscord(item);
    }
  });
}

/** A section as fields: items are packed into 1,024-character values, continuing in further fields. */
function sectionFields(s: EmbedSection, note: string): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  let value = '';
  const push = (): void => {
    fields.push({ name: fields.length === 0 ? cutText(escapeDiscord(s.heading) || BLANK, DISCORD_LIMITS.fieldName, '…') : BLANK, value: value || BLANK });
    value = '';
  };
  for (const line of itemLines(s, note)) {
    const piece = cutText(line, DISCORD_LIMITS.fieldValue, note);
    if (value && value.length + 1 + piece.length > DISCORD_LIMITS.fieldValue) push();
    value = value ? `${value}\n${piece}` : piece;
  }
  if (value || fields.length === 0) push();
  return fields;
}

function checklistLines(items: ReplyCheckItem[]): string[] {
  return items.map((c, i) => `${c.done ? '✅' : '⬜'} **${i + 1}. ${escapeDiscord(c.title)}**\n${escapeDiscord(c.howto)}`);
}

/** The section that lists the checklist steps as text; the embed shows them with check marks instead. */
function isChecklistSection(s: ReplySection, items: ReplyCheckItem[]): boolean {
  return s.style === 'steps' && s.items.length === items.length && s.items.every((it, i) => it.startsWith(items[i]?.title ?? '\0'));
}

function embedSize(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

export function renderEmbed(reply: Reply, ui: UiStrings): APIEmbed {
  const note = t(ui, 'discord.cut', reply.lang);
  const confidence = reply.confidence !== undefined ? t(ui, 'bot.confidence', reply.lang, { percent: Math.round(reply.confidence * 100) }) : '';

  let description = escapeDiscord(reply.summary);
  let sections: EmbedSection[] = reply.sections;
  const items = reply.checklist ?? [];
  if (items.length > 0) {
    // The checked steps take the place of their plain-text section: in the description when it comes first
    // (or there is none), else as fields where it was, so that the reply's order is kept.
    const at = sections.findIndex((s) => isChecklistSection(s, items));
    const lines = checklistLines(items);
    if (at <= 0) {
      description = `${description}\n\n${lines.join('\n')}`;
      sections = sections.filter((_, i) => i !== at);
    } else {
      sections = sections.map((s, i) => (i === at ? { heading: s.heading, style: 'text', items: lines, escaped: true } : s));
    }
  }

  let fields = sections.flatMap((s) => sectionFields(s, note));
  let omitted = 0;
  if (fields.length > DISCORD_LIMITS.fields) {
    omitted = fields.length - DISCORD_LIMITS.fields;
    fields = fields.slice(0, DISCORD_LIMITS.fields);
  }

  const footerText = (): string => {
    const parts = [reply.footer ? escapeDiscord(reply.footer) : '', confidence, omitted > 0 ? t(ui, 'discord.fields-omitted', reply.lang, { count: omitted }) : ''];
    return cutText(parts.filter(Boolean).join(' · '), DISCORD_LIMITS.footer, note);
  };

  const embed: APIEmbed = {
    title: cutText(`${ICON[reply.severity]} ${escapeDiscord(reply.title)}`, DISCORD_LIMITS.title, '…'),
    description: cutText(description, DISCORD_LIMITS.description, note),
    color: COLOR[reply.severity],
    fields,
  };
  const setFooter = (): void => {
    const text = footerText();
    if (text) embed.footer = { text };
    else delete embed.footer;
  };
  setFooter();

  // 6,000 characters in all: drop fields from the end first (the summary and first sections matter most),
  // then shorten the description.
  while (embedSize(embed) > DISCORD_LIMITS.embedTotal && fields.length > 0) {
    fields.pop();
    omitted += 1;
    setFooter();
  }
  if (embedSize(embed) > DISCORD_LIMITS.embedTotal) {
    const excess = embedSize(embed) - DISCORD_LIMITS.embedTotal;
    embed.description = cutText(embed.description ?? '', Math.max(note.length, (embed.description?.length ?? 0) - excess), note);
  }
  if (fields.length === 0) delete embed.fields;
  return embed;
}

// ─── buttons ───────────────────────────────────────────────────────────────────────────────────────────────────

function button(customId: string, label: string, style: APIButtonComponentWithCustomId['style']): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, custom_id: customId, label: cutText(label, DISCORD_LIMITS.buttonLabel, '…'), style };
}

export function renderButtons(reply: Reply): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const actionButtons: APIButtonComponentWithCustomId[] = [];
  for (const a of reply.actions) {
    const id = encodeCustomId({ kind: a.id, lang: reply.lang, value: a.value });
    if (id) actionButtons.push(button(id, a.label, a.id === 'run-probe' || a.id === 'auth-test' ? ButtonStyle.Primary : ButtonStyle.Secondary));
  }
  const stepButtons: APIButtonComponentWithCustomId[] = [];
  (reply.checklist ?? []).forEach((c, i) => {
    const id = encodeCustomId({ kind: 'step', lang: reply.lang, value: c.id });
    if (id) stepButtons.push(button(id, `${c.done ? '✅' : '⬜'} ${i + 1}. ${c.title}`, c.done ? ButtonStyle.Success : ButtonStyle.Secondary));
  });

  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  const addRows = (buttons: APIButtonComponentWithCustomId[]): void => {
    for (let i = 0; i < buttons.length && rows.length < DISCORD_LIMITS.rows; i += DISCORD_LIMITS.buttonsPerRow) {
      rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
    }
  };
  // Steps first: a checklist's buttons are its content; the actions below it lead elsewhere.
  addRows(stepButtons);
  addRows(actionButtons);
  return rows;
}

export function renderDiscord(reply: Reply, ui: UiStrings, options: DiscordRenderOptions = {}): DiscordMessage {
  return {
    content: '',
    embeds: [renderEmbed(reply, ui)],
    components: options.buttons === false ? [] : renderButtons(reply),
  };
}

/** After 👎: a menu of categories (and "none of these") for the user to say what the problem really was. */
export function renderFeedbackPicker(ui: UiStrings, lang: Lang, feedbackId: string, choices: { value: string; label: string }[]): DiscordMessage {
  const select: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: encodeCustomId({ kind: 'fb-label', lang, value: feedbackId }) ?? 'sd:fb-label:en:',
    placeholder: cutText(t(ui, 'bot.feedback.pick-placeholder', lang), DISCORD_LIMITS.selectLabel, '…'),
    options: choices.slice(0, DISCORD_LIMITS.selectOptions).map((c) => ({ label: cutText(c.label, DISCORD_LIMITS.selectLabel, '…'), value: c.value })),
  };
  return { content: t(ui, 'bot.feedback.pick', lang), embeds: [], components: [{ type: ComponentType.ActionRow, components: [select] }] };
}
