/**
 * Reply → Slack Block Kit. Slack rejects a whole message when one limit is broken (too many blocks, a section text
 * too long, a header too long), so every limit is enforced here: long content is cut at a line where possible,
 * and a note says that something was left out. The fallback `text` (notifications, screen readers, old clients)
 * is always set.
 */
import type { types } from '@slack/bolt';
import { t } from '../engine/i18n.js';
import type { Lang, UiStrings } from '../engine/types.js';
import type { Reply, ReplyAction, ReplyCheckItem, ReplySection } from './model.js';

/** Slack's documented Block Kit limits (https://docs.slack.dev/reference/block-kit/). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  contextElementText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  actionElements: 25,
  optionText: 75,
  optionValue: 150,
  /** Slack keeps 40,000 characters of `text` but shows 4,000; a fallback needs far less. */
  fallbackText: 3000,
  blockId: 255,
  modalTitle: 24,
  privateMetadata: 3000,
} as const;

export type SlackBlock = types.KnownBlock;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export interface SlackRenderOptions {
  /**
   * Render the checklist as checkboxes (one per step). Only for a message that belongs to one user (a DM): the
   * progress shown is that user's.
   */
  interactive?: boolean;
}

/** The action ids the Slack app listens to. A button's id is the reply action's id. */
export const CHECKLIST_TOGGLE_ACTION = 'checklist-toggle';
export const AUTH_MODAL_CALLBACK = 'auth-test-modal';
export const AUTH_MODAL_USER = 'user';
export const AUTH_MODAL_PASS = 'pass';

/** What a button or checkbox hands back: the action's value and the language the message was in. */
export interface ActionPayload {
  value: string;
  lang: Lang;
}

export function encodeActionValue(p: ActionPayload): string {
  return JSON.stringify({ v: p.value, l: p.lang });
}

export function decodeActionValue(raw: string | undefined): ActionPayload | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as { v?: unknown; l?: unknown };
    if (typeof parsed.v !== 'string') return undefined;
    return { value: parsed.v, lang: parsed.l === 'ja' ? 'ja' : 'en' };
  } catch {
    return undefined;
  }
}

const ICON: Record<Reply['severity'], string> = { ok: '✅', info: 'ℹ️', warning: '⚠️', error: '❌' };
const ELLIPSIS = '…';

/** Slack's three control characters; everything else in mrkdwn is shown as typed. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts to at most `max` characters (code points, never half a surrogate pair), ending in "…" when cut. */
export function cut(s: string, max: number): { text: string; cut: boolean } {
  const chars = Array.from(s);
  if (chars.length <= max) return { text: s, cut: false };
  return { text: chars.slice(0, Math.max(0, max - 1)).join('') + ELLIPSIS, cut: true };
}

const length = (s: string): number => Array.from(s).length;

/**
 * Splits mrkdwn into chunks of at most `max` characters, at line ends where it can (so a list stays a list),
 * hard-cutting only a single line longer than a whole chunk.
 */
function chunk(text: string, max: number): { chunks: string[]; cut: boolean } {
  const chunks: string[] = [];
  let current = '';
  let wasCut = false;
  for (const rawLine of text.split('\n')) {
    let line = rawLine;
    if (length(line) > max) {
      line = cut(line, max).text;
      wasCut = true;
    }
    const candidate = current ? `${current}\n${line}` : line;
    if (length(candidate) <= max) {
      current = candidate;
    } else {
      chunks.push(current);
      current = line;
    }
  }
  if (current) chunks.push(current);
  return { chunks, cut: wasCut };
}

function sectionMrkdwn(s: ReplySection): string {
  const lines: string[] = [];
  if (s.heading) lines.push(`*${escapeMrkdwn(s.heading)}*`);
  s.items.forEach((item, i) => {
    const text = escapeMrkdwn(item);
    switch (s.style) {
      case 'steps':
        lines.push(`${i + 1}. ${text}`);
        break;
      case 'bullets':
        lines.push(`• ${text}`);
        break;
      case 'code':
        // A fence inside the item would end the block early.
        lines.push('```', text.replace(/```/g, "'''"), '```');
        break;
      case 'text':
        lines.push(text);
        break;
    }
  });
  return lines.join('\n');
}

const section = (text: string): types.SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): types.ContextBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

function checkItem(item: ReplyCheckItem, index: number, lang: Lang, ui: UiStrings): types.SectionBlock {
  const option: types.PlainTextOption = {
    text: { type: 'plain_text', text: cut(t(ui, 'slack.step.done', lang), SLACK_LIMITS.optionText).text },
    value: cut(item.id, SLACK_LIMITS.optionValue).text,
  };
  const body = `*${index + 1}. ${escapeMrkdwn(item.title)}*\n${escapeMrkdwn(item.howto)}`;
  const checkboxes: types.Checkboxes = { type: 'checkboxes', action_id: CHECKLIST_TOGGLE_ACTION, options: [option] };
  if (item.done) checkboxes.initial_options = [option];
  return {
    type: 'section',
    // The step id travels in block_id; the language of the message rides along so the update keeps it.
    block_id: cut(`step:${lang}:${item.id}`, SLACK_LIMITS.blockId).text,
    text: { type: 'mrkdwn', text: cut(body, SLACK_LIMITS.sectionText).text },
    accessory: checkboxes,
  };
}

function button(a: ReplyAction, lang: Lang): types.Button {
  const value = encodeActionValue({ value: a.value, lang });
  const b: types.Button = {
    type: 'button',
    action_id: a.id,
    text: { type: 'plain_text', text: cut(a.label, SLACK_LIMITS.buttonText).text },
    // An over-long value (a huge target) would get the whole message rejected; such a button is not worth keeping.
    value: value.length <= SLACK_LIMITS.buttonValue ? value : encodeActionValue({ value: '', lang }),
  };
  if (a.id === 'run-probe' || a.id === 'run-check' || a.id === 'auth-test') b.style = 'primary';
  return b;
}

/** The fallback text: what a notification, a screen reader or an old client shows. Plain, short, never empty. */
export function fallbackText(reply: Reply): string {
  const plain = `${ICON[reply.severity]} ${reply.title}${reply.summary ? `: ${reply.summary}` : ''}`;
  return cut(plain.replace(/\s+/g, ' ').trim() || reply.title || '…', SLACK_LIMITS.fallbackText).text;
}

export function renderSlack(reply: Reply, ui: UiStrings, options: SlackRenderOptions = {}): SlackMessage {
  const lang = reply.lang;
  let wasCut = false;
  const body: SlackBlock[] = [];

  const confidence = reply.confidence !== undefined ? ` (${Math.round(reply.confidence * 100)}%)` : '';
  const header = cut(`${ICON[reply.severity]} ${reply.title}${confidence}`, SLACK_LIMITS.headerText);
  wasCut ||= header.cut;
  const head: types.HeaderBlock = { type: 'header', text: { type: 'plain_text', text: header.text, emoji: true } };

  const addText = (mrkdwn: string): void => {
    if (!mrkdwn.trim()) return;
    const parts = chunk(mrkdwn, SLACK_LIMITS.sectionText);
    wasCut ||= parts.cut;
    for (const c of parts.chunks) body.push(section(c));
  };

  if (reply.summary) addText(escapeMrkdwn(reply.summary));

  const checklist = options.interactive ? reply.checklist : undefined;
  // The checklist reply also lists its steps as a 'steps' section for text renderers; the checkboxes replace it.
  const replaced = checklist ? reply.sections.find((s) => s.style === 'steps' && s.items.length === checklist.length) : undefined;
  for (const s of reply.sections) {
    if (s === replaced && checklist) {
      if (s.heading) body.push(section(`*${escapeMrkdwn(s.heading)}*`));
      checklist.forEach((item, i) => body.push(checkItem(item, i, lang, ui)));
    } else {
      addText(sectionMrkdwn(s));
    }
  }
  if (checklist && !replaced) checklist.forEach((item, i) => body.push(checkItem(item, i, lang, ui)));
  if (!options.interactive && reply.checklist && reply.sections.length === 0) {
    addText(reply.checklist.map((c, i) => `${c.done ? '☑' : '☐'} ${i + 1}. ${escapeMrkdwn(`${c.title}: ${c.howto}`)}`).join('\n'));
  }

  const seen = new Set<string>();
  const buttons = reply.actions
    .filter((a) => !seen.has(a.id) && seen.add(a.id))
    .slice(0, SLACK_LIMITS.actionElements)
    .map((a) => button(a, lang));

  const tail: SlackBlock[] = [];
  if (reply.footer) {
    const footer = cut(escapeMrkdwn(reply.footer), SLACK_LIMITS.contextElementText);
    wasCut ||= footer.cut;
    tail.push(context(footer.text));
  }
  if (buttons.length > 0) tail.push({ type: 'actions', elements: buttons });

  // Header, body, a possible note and the tail must fit: the body gives way, from its end.
  const room = SLACK_LIMITS.blocksPerMessage - 1 - tail.length - 1;
  if (body.length > room) {
    body.length = room;
    wasCut = true;
  }
  const blocks: SlackBlock[] = [head, ...body];
  if (wasCut) blocks.push(context(`_${escapeMrkdwn(t(ui, 'slack.truncated', lang))}_`));
  blocks.push(...tail);
  return { text: fallbackText(reply), blocks };
}

export interface AuthModalState {
  target: string;
  lang: Lang;
  /** Where the result goes: the conversation and thread the button was pressed in. */
  channel: string;
  threadTs?: string;
}

export function encodeAuthModalState(s: AuthModalState): string {
  return JSON.stringify({ t: s.target, l: s.lang, c: s.channel, ...(s.threadTs ? { h: s.threadTs } : {}) });
}

export function decodeAuthModalState(raw: string | undefined): AuthModalState | undefined {
  if (!raw) return undefined;
  try {
    const p = JSON.parse(raw) as { t?: unknown; l?: unknown; c?: unknown; h?: unknown };
    if (typeof p.t !== 'string' || typeof p.c !== 'string') return undefined;
    return { target: p.t, lang: p.l === 'ja' ? 'ja' : 'en', channel: p.c, ...(typeof p.h === 'string' ? { threadTs: p.h } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * The modal that asks for SMTP credentials. Slack has no password input: the hint says so. The state carries only
 * where to answer, never anything typed.
 */
export function renderAuthModal(ui: UiStrings, state: AuthModalState): types.ModalView {
  const lang = state.lang;
  const label = (key: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: cut(t(ui, key, lang), max).text });
  const metadata = encodeAuthModalState(state);
  return {
    type: 'modal',
    callback_id: AUTH_MODAL_CALLBACK,
    title: label('slack.modal.title', SLACK_LIMITS.modalTitle),
    submit: label('slack.modal.submit', SLACK_LIMITS.modalTitle),
    close: label('slack.modal.close', SLACK_LIMITS.modalTitle),
    // A target too long for the metadata cannot be tested anyway; the submission then answers with an apology.
    private_metadata: metadata.length <= SLACK_LIMITS.privateMetadata ? metadata : '',
    blocks: [
      section(cut(t(ui, 'slack.modal.intro', lang, { target: escapeMrkdwn(state.target) }), SLACK_LIMITS.sectionText).text),
      {
        type: 'input',
        block_id: AUTH_MODAL_USER,
        label: label('slack.modal.user', 2000),
        element: { type: 'plain_text_input', action_id: AUTH_MODAL_USER, max_length: 320 },
      },
      {
        type: 'input',
        block_id: AUTH_MODAL_PASS,
        label: label('slack.modal.pass', 2000),
        hint: label('slack.modal.pass-hint', 2000),
        element: { type: 'plain_text_input', action_id: AUTH_MODAL_PASS, max_length: 1000 },
      },
    ],
  };
}

export const FEEDBACK_LABEL_ACTION = 'feedback-label';

/** After 👎: a menu of categories (and "none of these"); each option's value is "<feedback id>|<label>". */
export function renderFeedbackPicker(ui: UiStrings, lang: Lang, feedbackId: string, choices: { value: string; label: string }[]): SlackMessage {
  const question = t(ui, 'bot.feedback.pick', lang);
  return {
    text: question,
    blocks: [
      section(escapeMrkdwn(question)),
      {
        type: 'actions',
        elements: [
          {
            type: 'static_select',
            action_id: FEEDBACK_LABEL_ACTION,
            placeholder: { type: 'plain_text', text: cut(t(ui, 'bot.feedback.pick-placeholder', lang), SLACK_LIMITS.optionText).text },
            options: choices
              .map((c) => ({ text: { type: 'plain_text' as const, text: cut(c.label, SLACK_LIMITS.optionText).text }, value: `${feedbackId}|${c.value}` }))
              .filter((o) => o.value.length <= SLACK_LIMITS.optionValue)
              .slice(0, 100),
          },
        ],
      },
    ],
  };
}

export const HOME_LANG_ACTION = 'home-lang';

/** The App Home tab: what the bot does, how to ask, and the user's language choice (automatic, 日本語, English). */
export function renderHome(help: Reply, ui: UiStrings, chosen: Lang | undefined): types.HomeView {
  const lang = help.lang;
  const option = (value: 'auto' | Lang) => ({ text: { type: 'plain_text' as const, text: cut(t(ui, `slack.home.lang.${value}`, lang), SLACK_LIMITS.optionText).text }, value });
  const options = [option('auto'), option('ja'), option('en')];
  const items = help.sections.flatMap((s) => s.items);
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(help.title, SLACK_LIMITS.headerText).text } },
      section(escapeMrkdwn(help.summary)),
      ...(items.length > 0 ? [section(cut(items.map((i) => `• ${escapeMrkdwn(i)}`).join('\n'), SLACK_LIMITS.sectionText).text)] : []),
      { type: 'divider' },
      {
        type: 'section',
        block_id: HOME_LANG_ACTION,
        text: { type: 'mrkdwn', text: t(ui, 'slack.home.lang.title', lang) },
        accessory: { type: 'static_select', action_id: HOME_LANG_ACTION, options, initial_option: options[chosen === 'ja' ? 1 : chosen === 'en' ? 2 : 0] },
      },
    ],
  };
}
