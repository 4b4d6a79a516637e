/**
 * The last step of fair pacing, in this process: unasked replies to one channel leave one at a time, at least the
 * channel's interval apart, in the order their turns were given. The store hands out the turns (so that instances
 * share one queue); this keeps a late timer — a busy event loop fires several at once — from sending a burst.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ChannelPacer {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when a reply due in `delayMs` may be sent to the channel. */
  wait(channelId: string, delayMs: number): Promise<void> {
    const due = this.now() + delayMs;
    const previous = this.chains.get(channelId) ?? Promise.resolve();
    const mine = previous.then(async () => {
      const last = this.lastSent.get(channelId);
      const at = Math.max(due, last === undefined ? 0 : last + this.intervalMs);
      const wait = at - this.now();
      if (wait > 0) await sleep(wait);
      this.lastSent.set(channelId, this.now());
    });
    this.chains.set(channelId, mine);
    // The chain and the last time are forgotten once the channel is quiet, so that the maps do not grow.
    void mine.then(() => {
      if (this.chains.get(channelId) !== mine) return;
      this.chains.delete(channelId);
      setTimeout(() => {
        if (!this.chains.has(channelId)) this.lastSent.delete(channelId);
      }, this.intervalMs).unref();
    });
    return mine;
  }
}
