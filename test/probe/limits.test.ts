import { describe, expect, it } from 'vitest';
import { limiterFromConfig } from '../../src/probe/index.js';
import { createLimiter } from '../../src/probe/limits.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('createLimiter', () => {
  it('lets a user run N probes a minute, then says when the next one is possible', () => {
    const c = clock();
    const limiter = createLimiter({ perMinute: 3, maxConcurrent: 10, busyRetrySec: 20, now: c.now });
    for (let i = 0; i < 3; i++) {
      const slot = limiter.acquire('u1');
      expect(slot.ok).toBe(true);
      if (slot.ok) slot.release();
      c.advance(10_000);
    }
    // The first probe was 30 s ago: it leaves the window 30 s from now.
    expect(limiter.acquire('u1')).toEqual({ ok: false, reason: 'rate-limited', retryAfterSec: 30 });
    expect(limiter.acquire('u2').ok).toBe(true);
    c.advance(30_000);
    expect(limiter.acquire('u1').ok).toBe(true);
  });

  it('caps probes running at once across users, and frees the slot on release (once)', () => {
    const limiter = createLimiter({ perMinute: 100, maxConcurrent: 2, busyRetrySec: 20, now: clock().now });
    const a = limiter.acquire('a');
    const b = limiter.acquire('b');
    expect(limiter.acquire('c')).toEqual({ ok: false, reason: 'busy', retryAfterSec: 20 });
    if (!a.ok || !b.ok) throw new Error('expected slots');
    a.release();
    a.release();
    expect(limiter.acquire('c').ok).toBe(true);
    expect(limiter.acquire('d').ok).toBe(false);
  });

  it('a refused attempt does not count against the user', () => {
    const c = clock();
    const limiter = createLimiter({ perMinute: 1, maxConcurrent: 1, busyRetrySec: 5, now: c.now });
    const held = limiter.acquire('x');
    expect(limiter.acquire('y')).toMatchObject({ ok: false, reason: 'busy' });
    if (held.ok) held.release();
    expect(limiter.acquire('y').ok).toBe(true);
  });

  it('limiterFromConfig applies PROBE_RATE_PER_MINUTE and PROBE_MAX_CONCURRENT, and suggests the probe time limit', () => {
    const limiter = limiterFromConfig({
      allowCidrs: [],
      ports: [25],
      extraAllowedPorts: [],
      connectTimeoutMs: 5000,
      greetingTimeoutMs: 10_000,
      totalTimeoutMs: 19_500,
      ratePerMinute: 2,
      maxConcurrent: 1,
      egress25Blocked: false,
    });
    const a = limiter.acquire('u');
    expect(limiter.acquire('v')).toEqual({ ok: false, reason: 'busy', retryAfterSec: 20 });
    if (a.ok) a.release();
    const b = limiter.acquire('u');
    if (b.ok) b.release();
    expect(limiter.acquire('u')).toMatchObject({ ok: false, reason: 'rate-limited' });
  });
});
