/**
 * The platform-neutral reply model. The engine, the checklist and the probes all produce a Reply;
 * renderers (text, Slack Block Kit, Discord embeds) turn it into what a platform shows and enforce its limits.
 */
import type { Lang } from '../engine/types.js';

export type ReplyKind = 'diagnosis' | 'checklist' | 'probe' | 'probe-progress' | 'check' | 'help' | 'info' | 'error';

export type Severity = 'ok' | 'info' | 'warning' | 'error';

export interface ReplySection {
  heading: string;
  /** 'steps' renders numbered, 'bullets' as a list, 'text' as a paragraph per item, 'code' as preformatted. */
  style: 'steps' | 'bullets' | 'text' | 'code';
  items: string[];
}

/** Buttons that are a turn of the conversation (their value is the conversation's key); the terminal shows them as words. */
export const CONVERSATION_ACTIONS = ['more', 'next-cause', 'step-done', 'step-failed'] as const;
export type ConversationActionId = (typeof CONVERSATION_ACTIONS)[number];

/** A button a chat platform may show under the reply. */
export interface ReplyAction {
  id: 'run-probe' | 'run-check' | 'show-checklist' | 'auth-test' | 'feedback-up' | 'feedback-down' | ConversationActionId;
  label: string;
  /** Opaque value handed back when the button is pressed (e.g. the probe target). */
  value: string;
}

/** One checkable step of the interactive checklist. */
export interface ReplyCheckItem {
  id: string;
  title: string;
  howto: string;
  done: boolean;
}

export interface Reply {
  kind: ReplyKind;
  lang: Lang;
  title: string;
  summary: string;
  severity: Severity;
  /** 0..1, shown for diagnoses. */
  confidence?: number;
  sections: ReplySection[];
  checklist?: ReplyCheckItem[];
  actions: ReplyAction[];
  footer?: string;
}
