/**
 * Remembers the events already handled, so that Slack's retries (the same event delivered again after a slow or
 * lost acknowledgement) and the two events of one message (`message` and `app_mention`) get one answer.
 * Bounded: the oldest keys are forgotten first; Slack retries within minutes, so a few thousand keys is plenty.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly max = 5000) {}

  /** True when none of the keys was seen before (all are remembered from now on); false for a repeat. */
  claim(...keys: (string | undefined)[]): boolean {
    const present = keys.filter((k): k is string => Boolean(k));
    const repeat = present.some((k) => this.keys.has(k));
    for (const k of present) {
      this.keys.delete(k);
      this.keys.add(k);
    }
    while (this.keys.size > this.max) {
      const oldest = this.keys.values().next().value;
      if (oldest === undefined) break;
      this.keys.delete(oldest);
    }
    return !repeat;
  }
}
