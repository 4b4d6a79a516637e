/**
 * The feedback loop: every diagnosis carries 👍 / 👎; a 👎 lets the user pick the right category (or "none of
 * these"); messages addressed to the bot that it did not understand, and disputed answers, are kept — redacted (the
 * engine's `redacted` text, never the raw message) — with the engine's answer, in the state store. `smtp-doctor
 * review` lists them, an operator labels them, and labelled ones are exported in the corpus format for training.
 *
 * A diagnosis waits as "pending" (PENDING_TTL_MS) so that its buttons can be pressed; only a 👎 keeps it.
 */
import { randomUUID } from 'node:crypto';
import { CATEGORY_IDS, type CategoryId, type Diagnosis, type Lang } from '../engine/types.js';
import { isJsonObject, type Json, type StateStore } from './state.js';

/** How long a diagnosis can be rated after it was given. */
export const PENDING_TTL_MS = 7 * 24 * 3600_000;

const PENDING = 'feedback:pending:';
export const ITEM_PREFIX = 'feedback:item:';

/** A label: the right category, or "none" (not a sending problem the bot knows: a negative in the corpus). */
export type FeedbackLabel = Exclude<CategoryId, 'unknown'> | 'none';

export interface FeedbackItem {
  id: string;
  kind: 'unknown' | 'disputed';
  /** The message as the engine saw it after redaction. */
  text: string;
  lang: Lang;
  /** What the engine answered. */
  answer: { category: CategoryId; entry: string | null; confidence: number };
  platform: string;
  /** ms since the epoch. */
  at: number;
  /** The user's pick after 👎, and the operator's label in review (which wins). */
  userLabel?: FeedbackLabel;
  label?: FeedbackLabel;
}

export function isLabel(value: string): value is FeedbackLabel {
  return value === 'none' || (value !== 'unknown' && (CATEGORY_IDS as readonly string[]).includes(value));
}

function toJson(item: FeedbackItem): { [key: string]: Json } {
  return JSON.parse(JSON.stringify(item)) as { [key: string]: Json };
}

function fromJson(value: Json | undefined): FeedbackItem | undefined {
  if (!isJsonObject(value) || typeof value.id !== 'string' || typeof value.text !== 'string') return undefined;
  return value as unknown as FeedbackItem;
}

function itemOf(d: Diagnosis, kind: FeedbackItem['kind'], platform: string, now: number): FeedbackItem {
  const confidence = Math.round(d.confidence * 1000) / 1000;
  return {
    id: randomUUID().replace(/-/g, '').slice(0, 16),
    kind,
    text: d.redacted,
    lang: d.lang,
    // An "unknown" item was answered "I don't know": the engine's faint guess below the speak-up line was never said.
    answer: kind === 'unknown' ? { category: 'unknown', entry: null, confidence } : { category: d.category, entry: d.entry?.id ?? null, confidence },
    platform,
    at: now,
  };
}

export class Feedback {
  constructor(
    private readonly store: StateStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** A diagnosis that can be rated: its id goes in the buttons. */
  async pending(d: Diagnosis, platform: string): Promise<string> {
    const item = itemOf(d, 'disputed', platform, this.now());
    await this.store.set(PENDING + item.id, toJson(item), PENDING_TTL_MS);
    return item.id;
  }

  /** An addressed message the bot did not understand, kept for review. */
  async unknown(d: Diagnosis, platform: string): Promise<string> {
    const item = itemOf(d, 'unknown', platform, this.now());
    await this.store.set(ITEM_PREFIX + item.id, toJson(item));
    return item.id;
  }

  /**
   * 👍 forgets the pending diagnosis; 👎 keeps it as disputed. False when the id is unknown or has expired.
   * Pressing twice is harmless.
   */
  async vote(id: string, vote: 'up' | 'down'): Promise<boolean> {
    const pending = fromJson(await this.store.get(PENDING + id));
    const kept = fromJson(await this.store.get(ITEM_PREFIX + id));
    if (!pending && !kept) return false;
    if (vote === 'down' && pending && !kept) await this.store.set(ITEM_PREFIX + id, toJson(pending));
    if (vote === 'up' && kept?.kind === 'disputed' && !kept.userLabel && !kept.label) await this.store.delete(ITEM_PREFIX + id);
    return true;
  }

  /** The user's pick after 👎 (`by: 'user'`) or the operator's label (`by: 'operator'`). False for an unknown id. */
  async label(id: string, label: FeedbackLabel, by: 'user' | 'operator'): Promise<boolean> {
    const item = fromJson(await this.store.get(ITEM_PREFIX + id));
    if (!item) return false;
    if (by === 'user') item.userLabel = label;
    else item.label = label;
    await this.store.set(ITEM_PREFIX + id, toJson(item));
    return true;
  }

  async list(): Promise<FeedbackItem[]> {
    const items = (await this.store.entries(ITEM_PREFIX)).map(([, v]) => fromJson(v)).filter((i): i is FeedbackItem => i !== undefined);
    return items.sort((a, b) => a.at - b.at);
  }
}

/** A labelled item as a corpus line ({"text","accept","lang","source"}); "none" is a negative (accept unknown). */
export function corpusLine(item: FeedbackItem): string | undefined {
  if (!item.label) return undefined;
  const accept = item.label === 'none' ? 'unknown' : item.label;
  const said = item.answer.category;
  const source = item.kind === 'unknown' ? `[feedback] unknown to the bot (${item.platform})` : `[feedback] disputed: the bot said ${said} (${item.platform})`;
  return JSON.stringify({ text: item.text, accept: [accept], lang: item.lang, source });
}
