/**
 * A message that is posted at once and edited as a probe's steps finish. Edits are spaced out (Slack asks for
 * about one message action a second per channel) and kept in order: a late progress edit can never overwrite the
 * final report.
 */
import type { Reply } from '../../render/model.js';
import type { Posted } from './post.js';
import { render, slackErrorCode, update } from './post.js';
import type { SlackClient, SlackContext } from './context.js';

export class LiveMessage {
  private pending: Reply | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastEdit = 0;
  private chain: Promise<void> = Promise.resolve();
  private finished = false;
  private lastOk = true;

  constructor(
    private readonly ctx: SlackContext,
    private readonly client: SlackClient,
    readonly at: Posted,
  ) {
    this.lastEdit = Date.now();
  }

  /** Shows a newer progress state, now or as soon as the spacing allows; only the newest pending state is sent. */
  progress(reply: Reply): void {
    if (this.finished) return;
    this.pending = reply;
    if (this.timer) return;
    const wait = Math.max(0, this.lastEdit + this.ctx.progressIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const next = this.pending;
      this.pending = undefined;
      if (next && !this.finished) this.edit(next);
    }, wait);
  }

  /**
   * The final report: replaces whatever progress is pending, after any edit already on its way.
   * False when Slack refused the edit, so that the caller can post the report anew.
   */
  async finish(reply: Reply): Promise<boolean> {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.edit(reply);
    await this.chain;
    return this.lastOk;
  }


  private edit(reply: Reply): void {
    this.chain = this.chain.then(async () => {
      this.lastEdit = Date.now();
      try {
        await update(this.client, this.at, render(this.ctx, reply));
        this.lastOk = true;
      } catch (err) {
        // A lost progress edit is harmless; the next edit (at the latest the final one) shows the newer state.
        this.lastOk = false;
        this.ctx.log.warn({ err, code: slackErrorCode(err) }, 'slack: editing the probe message failed');
      }
    });
  }
}
