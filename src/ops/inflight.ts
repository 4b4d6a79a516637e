/**
 * Work in progress (a reply being built and sent, a probe and its edits), so that SIGTERM can let it finish — up to
 * a time limit — before the platform connections close. While draining, adapters take no new work.
 */
export interface DrainResult {
  /** True when everything finished within the limit. */
  drained: boolean;
  /** What was still running when the limit hit. */
  left: number;
  ms: number;
}

export class Inflight {
  private readonly running = new Set<Promise<unknown>>();
  private stopping = false;

  get draining(): boolean {
    return this.stopping;
  }

  get size(): number {
    return this.running.size;
  }

  /** Runs `fn` as tracked work; its result or error passes through unchanged. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const p = fn();
    const tracked = p.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(tracked);
    void tracked.then(() => this.running.delete(tracked));
    return p;
  }

  /** Stops new work and waits for the running work, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<DrainResult> {
    this.stopping = true;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    // Work may start more work while finishing (a queued edit): wait until the set is empty, not one snapshot.
    const settle = async (): Promise<'done'> => {
      while (this.running.size > 0) await Promise.all([...this.running]);
      return 'done';
    };
    const result = await Promise.race([settle(), limit]);
    clearTimeout(timer);
    return { drained: result === 'done', left: this.running.size, ms: Date.now() - started };
  }
}
