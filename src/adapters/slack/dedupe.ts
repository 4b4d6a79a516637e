/**
 * Remembers the events already handled, in the state store, so that Slack's retries (the same event delivered again
 * after a slow or lost acknowledgement — to this instance, another one, or this one after a restart) and the two
 * events of one message (`message` and `app_mention`) get one answer. Keys expire after an hour: Slack retries three
 * times within about five minutes, and nothing counts keys, so no burst of messages can push a key out early.
 */
import type { StateStore } from '../../bot/state.js';

export const DEDUPE_TTL_MS = 3_600_000;

export class Dedupe {
  constructor(
    private readonly store: StateStore,
    private readonly ttlMs = DEDUPE_TTL_MS,
  ) {}

  /** True when none of the keys was claimed before (all are claimed from now on); false for a repeat. */
  async claim(...keys: (string | undefined)[]): Promise<boolean> {
    const present = keys.filter((k): k is string => Boolean(k));
    // Every key is claimed, even after a repeat is found: a retry must also block the other event of the message.
    const fresh = await Promise.all(present.map((k) => this.store.setIfAbsent(`dedupe:slack:${k}`, 1, this.ttlMs)));
    return fresh.every(Boolean);
  }
}
