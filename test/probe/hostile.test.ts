/**
 * The probe against servers built to hurt it (test/support/hostile-servers.ts, in a child process): it must end within
 * its limit, keep its report small, keep its memory and event loop in bounds and leave no socket open.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../src/probe/index.js';
import { LIMITS, probePort } from '../../src/probe/smtp.js';
import type { PortResult } from '../../src/probe/types.js';
import { HOSTILE_KINDS, startHostileChild, type HostileChild, type HostileKind } from '../support/hostile-servers.js';

const timeouts = { connectMs: 500, greetingMs: 1500, commandMs: 1000 };
/** Generous: the machine is shared, and the point is "ends", not "ends fast". */
const SLACK_MS = 1500;
let servers: HostileChild;

beforeAll(async () => {
  servers = await startHostileChild();
});
afterAll(async () => {
  await servers.close();
});

async function openSockets(): Promise<Record<HostileKind, number>> {
  // The server side sees a close a moment after the probe destroys its socket.
  let counts = await servers.openSockets();
  for (let i = 0; i < 40 && Object.values(counts).some((n) => n > 0); i++) {
    await new Promise((r) => setTimeout(r, 50));
    counts = await servers.openSockets();
  }
  return counts;
}

interface Measured<T> {
  value: T;
  ms: number;
  rssGrowthMb: number;
  heapGrowthMb: number;
  maxLoopDelayMs: number;
}

/** Runs `f` while sampling RSS and heap and the event loop's longest stall. */
async function measure<T>(f: () => Promise<T>): Promise<Measured<T>> {
  const before = process.memoryUsage();
  let rss = before.rss;
  let heap = before.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 10);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = performance.now();
  const value = await f();
  const ms = performance.now() - t0;
  loop.disable();
  clearInterval(sampler);
  const mb = (n: number) => n / 1024 / 1024;
  return { value, ms, rssGrowthMb: mb(rss - before.rss), heapGrowthMb: mb(heap - before.heapUsed), maxLoopDelayMs: loop.max / 1e6 };
}

describe('probePort against hostile servers', () => {
  for (const kind of HOSTILE_KINDS) {
    for (const mode of ['starttls', 'implicit'] as const) {
      it(`${kind} (${mode}): ends within its limit, small result, bounded memory, no socket left open`, async () => {
        const limitMs = 3000;
        const run = await measure(() =>
          probePort({
            address: '127.0.0.1',
            port: servers.ports[kind],
            mode,
            hostname: 'hostile.example.test',
            ehloName: 'probe.smtp-doctor.invalid',
            timeouts,
            deadline: performance.now() + limitMs,
          }),
        );
        const r: PortResult = run.value;
        expect(run.ms, `${kind} ran ${Math.round(run.ms)} ms`).toBeLessThan(limitMs + SLACK_MS);
        expect(JSON.stringify(r).length, 'the port result stays small').toBeLessThan(4096);
        expect(r.capabilities.length).toBeLessThanOrEqual(LIMITS.capabilities);
        expect(r.banner?.length ?? 0).toBeLessThanOrEqual(300);
        if (kind !== 'never-speaks' && kind !== 'trickle') expect(r.error, `${kind} must be reported as a failure`).not.toBeNull();
        expect(run.heapGrowthMb, `${kind}: heap grew ${run.heapGrowthMb.toFixed(1)} MB`).toBeLessThan(32);
        expect(run.rssGrowthMb, `${kind}: RSS grew ${run.rssGrowthMb.toFixed(1)} MB`).toBeLessThan(48);
        expect(run.maxLoopDelayMs, `${kind}: the event loop stalled ${Math.round(run.maxLoopDelayMs)} ms`).toBeLessThan(1000);
        expect(await openSockets()).toMatchObject({ [kind]: 0 });
      });
    }
  }

  it('reads a whole reply against its line and byte caps, not one line at a time', async () => {
    const r = await probePort({
      address: '127.0.0.1',
      port: servers.ports['endless-banner'],
      mode: 'starttls',
      hostname: 'hostile.example.test',
      ehloName: 'probe.smtp-doctor.invalid',
      timeouts: { connectMs: 500, greetingMs: 10_000, commandMs: 1000 },
      deadline: performance.now() + 10_000,
    });
    expect(r.error).toMatchObject({ phase: 'greeting', code: 'OVERSIZED' });
    // Caught by the caps long before the 10 s greeting timeout.
    expect(r.durationMs).toBeLessThan(5000);
  });

  it('continuation lines trickled in small reads (256 a millisecond) are cut off by the line cap at once', async () => {
    const r = await probePort({
      address: '127.0.0.1',
      port: servers.ports['paced-banner'],
      mode: 'starttls',
      hostname: 'hostile.example.test',
      ehloName: 'probe.smtp-doctor.invalid',
      timeouts: { connectMs: 500, greetingMs: 10_000, commandMs: 1000 },
      deadline: performance.now() + 10_000,
    });
    expect(r.error).toMatchObject({ phase: 'greeting', code: 'OVERSIZED' });
    expect(r.durationMs).toBeLessThan(5000);
  });

  it('an EHLO answer of 40,000 distinct lines is cut off, not collected', async () => {
    const r = await probePort({
      address: '127.0.0.1',
      port: servers.ports['paced-ehlo'],
      mode: 'starttls',
      hostname: 'hostile.example.test',
      ehloName: 'probe.smtp-doctor.invalid',
      timeouts,
      deadline: performance.now() + 3000,
    });
    expect(r.error).toMatchObject({ phase: 'ehlo', code: 'OVERSIZED' });
    expect(r.capabilities).toEqual([]);
  });
});

describe('runProbe with every hostile server at once', () => {
  it('the whole probe ends within its total limit with a small report, and closes every socket', async () => {
    const ports = HOSTILE_KINDS.map((k) => servers.ports[k]);
    const totalMs = 2500;
    const run = await measure(() =>
      runProbe('127.0.0.1', {
        ports,
        extraAllowedPorts: ports,
        allowCidrs: ['127.0.0.0/8'],
        implicitTlsPorts: [servers.ports['garbage-tls']],
        timeouts: { connectMs: 500, greetingMs: 5000, commandMs: 5000, totalMs },
      }),
    );
    expect(run.value.ok).toBe(true);
    if (!run.value.ok) return;
    const size = JSON.stringify(run.value.report).length;
    expect(run.ms, `took ${Math.round(run.ms)} ms`).toBeLessThan(totalMs + SLACK_MS);
    expect(size, `report is ${size} bytes`).toBeLessThan(24_000);
    expect(run.value.report.ports).toHaveLength(HOSTILE_KINDS.length);
    expect(run.rssGrowthMb, `RSS grew ${run.rssGrowthMb.toFixed(1)} MB`).toBeLessThan(64);
    expect(run.maxLoopDelayMs).toBeLessThan(1000);
    expect(Object.values(await openSockets()).every((n) => n === 0)).toBe(true);
  });
});
