/** runProbe end to end: loopback DNS (dns2) + loopback SMTP servers; nothing else is contacted. */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLimiter, runProbe, type ProbeOptions, type ProbeResolver } from '../../src/probe/index.js';
import type { ProbeEvent, ProbeReport } from '../../src/probe/types.js';
import { loadProbeUi } from '../../src/probe/ui.js';
import { startDns, type RunningDns } from '../support/dns-server.js';
import { startSilent, startSmtp, testCert, type Running, type RunningSmtp, type TestCert } from '../support/smtp-servers.js';
import { MemoryStore } from '../../src/state/memory.js';

let dns: RunningDns;
let cert: TestCert;
let starttls: RunningSmtp;
let implicit: RunningSmtp;
let silent: Running;
const ui = loadProbeUi();

beforeAll(async () => {
  cert = await testCert(['mx.good.test', 'smtp.good.test']);
  [starttls, implicit, silent] = await Promise.all([startSmtp({ cert }), startSmtp({ cert, secure: true }), startSilent()]);
  dns = await startDns({
    'good.test': [{ type: 'MX', exchange: 'mx.good.test', priority: 10 }],
    'mx.good.test': [{ type: 'A', address: '127.0.0.1' }],
    'smtp.good.test': [{ type: 'A', address: '127.0.0.1' }],
    'inside.test': [{ type: 'A', address: '127.0.0.1' }],
    'metadata.test': [{ type: 'A', address: '169.254.169.254' }],
    'mixed.test': [{ type: 'A', address: '127.0.0.1' }, { type: 'AAAA', address: '::1' }],
  });
});
afterAll(async () => {
  await Promise.all([starttls.close(), implicit.close(), silent.close(), dns.close()]);
});

function options(more: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    ports: [starttls.port, implicit.port],
    extraAllowedPorts: [starttls.port, implicit.port, silent.port],
    implicitTlsPorts: [implicit.port],
    allowCidrs: ['127.0.0.0/8'],
    timeouts: { connectMs: 300, greetingMs: 300, commandMs: 300, totalMs: 3000 },
    resolver: dns.resolver(),
    ca: [cert.cert],
    ui,
    ...more,
  };
}

async function report(input: string, more: Partial<ProbeOptions> = {}): Promise<ProbeReport> {
  const outcome = await runProbe(input, options(more));
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.refusal)}`);
  return outcome.report;
}

describe('runProbe', () => {
  it('probes the preferred MX of a mail domain on every port in parallel and reports progress', async () => {
    const events: ProbeEvent[] = [];
    const r = await report('taro@good.test', { onProgress: (e) => events.push(e) });
    expect(r.target).toMatchObject({ kind: 'address', host: 'good.test' });
    expect(r.host).toBe('mx.good.test');
    expect(r.mx).toEqual([{ exchange: 'mx.good.test', priority: 10 }]);
    expect(r.addresses).toEqual(['127.0.0.1']);
    expect(r.ports.map((p) => [p.port, p.state, p.tls])).toEqual(
      [
        [starttls.port, 'open', 'starttls'],
        [implicit.port, 'open', 'implicit'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    expect(r.ports.every((p) => p.certificate?.valid === true)).toBe(true);
    expect(r.findings.map((f) => f.entry)).toEqual(expect.arrayContaining(['probe-mx-ok', 'probe-tls-ok']));
    expect(r.notes.map((n) => n.en).join(' ')).toContain("bot's network");
    // PTR of a loopback address would only ask public DNS about an internal address.
    expect(r.ptr).toBeNull();

    expect(events[0]?.kind).toBe('resolved');
    expect(events.filter((e) => e.kind === 'port')).toHaveLength(2);
    expect(events.at(-1)).toEqual({ kind: 'done', durationMs: r.durationMs });
    expect(starttls.mailCommands + implicit.mailCommands).toBe(0);
  });

  it('returns the JSON contract fields', async () => {
    const json = JSON.parse(JSON.stringify(await report('smtp.good.test'))) as Record<string, unknown>;
    for (const key of ['target', 'host', 'addresses', 'mx', 'ptr', 'durationMs', 'ports', 'findings', 'notes']) expect(json).toHaveProperty(key);
    const port = (json.ports as Record<string, unknown>[])[0] ?? {};
    for (const key of ['port', 'state', 'connectMs', 'banner', 'tls', 'capabilities', 'authMechanisms', 'certificate', 'error']) {
      expect(port).toHaveProperty(key);
    }
    const finding = (json.findings as Record<string, unknown>[])[0] ?? {};
    for (const key of ['category', 'entry', 'severity', 'message']) expect(finding).toHaveProperty(key);
  });

  it('a port that never greets costs its own timeout, the others report on time', async () => {
    const t0 = performance.now();
    const r = await report('smtp.good.test', { ports: [starttls.port, silent.port] });
    const slow = r.ports.find((p) => p.port === silent.port);
    expect(slow?.error).toMatchObject({ phase: 'greeting', code: 'TIMEOUT' });
    expect(r.findings.map((f) => f.entry)).toContain('greeting-never-received');
    expect(r.ports.find((p) => p.port === starttls.port)?.error).toBeNull();
    expect(performance.now() - t0).toBeLessThan(300 + 300 + 500);
  });

  it('returns a report within the total time limit even when every step would take longer', async () => {
    const t0 = performance.now();
    const r = await report('smtp.good.test', {
      ports: [silent.port],
      timeouts: { connectMs: 5000, greetingMs: 5000, commandMs: 5000, totalMs: 400 },
    });
    expect(r.ports[0]?.error?.code).toBe('TIMEOUT');
    expect(performance.now() - t0).toBeLessThan(900);
  });

  it('explains a name that does not exist without touching any port', async () => {
    const before = starttls.connections;
    const r = await report('smtp.nosuch.test');
    expect(r.ports).toEqual([]);
    expect(r.findings).toEqual([expect.objectContaining({ entry: 'smtp-host-not-found', severity: 'error' })]);
    expect(starttls.connections).toBe(before);
  });

  it('skips port 25 when the bot network blocks it, and says so', async () => {
    const r = await report('smtp.good.test', { ports: [25, starttls.port], egress25Blocked: true });
    expect(r.ports.map((p) => p.port)).toEqual([starttls.port]);
    expect(r.notes.map((n) => n.en).join(' ')).toContain('blocks outgoing port 25');
  });

  it('survives a progress callback that throws', async () => {
    const r = await report('smtp.good.test', {
      onProgress: () => {
        throw new Error('chat API down');
      },
    });
    expect(r.ports).toHaveLength(2);
  });

  it('stops early when cancelled and still reports', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    const t0 = performance.now();
    const r = await report('smtp.good.test', {
      ports: [silent.port],
      timeouts: { connectMs: 5000, greetingMs: 5000, commandMs: 5000, totalMs: 10_000 },
      signal: ctl.signal,
    });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.notes.map((n) => n.en).join(' ')).toContain('cancelled');
    expect(r.ports[0]?.error?.code).toBe('ABORTED');
    expect(r.findings.filter((f) => f.severity === 'error' || f.severity === 'warning')).toEqual([]);
  });
});

describe('runProbe refuses, and sends nothing when it does', () => {
  const spy = (): ProbeResolver & { calls: string[] } => {
    const calls: string[] = [];
    return {
      calls,
      resolveMx: async (n) => (calls.push(n), []),
      resolve4: async (n) => (calls.push(n), []),
      resolve6: async (n) => (calls.push(n), []),
      reverse: async (n) => (calls.push(n), []),
    };
  };

  it('a name that resolves to loopback without the allow-list: refused after DNS, before any connection', async () => {
    const before = starttls.connections;
    const outcome = await runProbe('inside.test', options({ allowCidrs: [] }));
    expect(outcome).toEqual({
      ok: false,
      refusal: { reason: 'address-not-allowed', detail: { host: 'inside.test', address: '127.0.0.1', addressClass: 'loopback' } },
    });
    expect(starttls.connections).toBe(before);
  });

  it('cloud metadata stays closed even with --allow-private', async () => {
    const outcome = await runProbe('metadata.test', options({ allowCidrs: [], allowPrivate: true }));
    expect(outcome).toMatchObject({ ok: false, refusal: { detail: { addressClass: 'link-local' } } });
  });

  it('refuses the whole host when any of its addresses is outside the allow-list', async () => {
    const outcome = await runProbe('mixed.test', options());
    expect(outcome).toMatchObject({ ok: false, refusal: { reason: 'address-not-allowed', detail: { address: '::1' } } });
  });

  it('an IP literal is refused before any DNS query', async () => {
    const resolver = spy();
    for (const input of ['10.0.0.1', '169.254.169.254', '[::1]:25', '[::ffff:127.0.0.1]:587', '192.0.2.1']) {
      const outcome = await runProbe(input, options({ allowCidrs: [], resolver }));
      expect(outcome.ok).toBe(false);
    }
    expect(resolver.calls).toEqual([]);
  });

  it('bad input and forbidden ports are refused with a reason, not an exception', async () => {
    const resolver = spy();
    expect(await runProbe('', options({ resolver }))).toEqual({ ok: false, refusal: { reason: 'empty', detail: {} } });
    expect(await runProbe('2130706433', options({ resolver }))).toMatchObject({ ok: false, refusal: { reason: 'numeric-trick' } });
    expect(await runProbe('good.test:22', options({ resolver }))).toMatchObject({ ok: false, refusal: { reason: 'port-not-allowed', detail: { port: 22 } } });
    expect(await runProbe('good.test', options({ resolver, ports: [25, 3306] }))).toMatchObject({ ok: false, refusal: { detail: { port: 3306 } } });
    expect(resolver.calls).toEqual([]);
  });

  it('applies the per-user rate limit and says when to retry', async () => {
    const limiter = createLimiter({ perMinute: 1, maxConcurrent: 4, busyRetrySec: 20, store: new MemoryStore() });
    expect((await runProbe('smtp.good.test', options({ limiter, userId: 'u1' }))).ok).toBe(true);
    const second = await runProbe('smtp.good.test', options({ limiter, userId: 'u1' }));
    expect(second).toMatchObject({ ok: false, refusal: { reason: 'rate-limited' } });
    if (!second.ok) expect(second.refusal.detail.retryAfterSec).toBeGreaterThan(50);
  });

  it('releases the concurrency slot when the probe ends', async () => {
    const limiter = createLimiter({ perMinute: 100, maxConcurrent: 1, busyRetrySec: 20, store: new MemoryStore() });
    const first = runProbe('smtp.good.test', options({ limiter, userId: 'a' }));
    expect(await runProbe('smtp.good.test', options({ limiter, userId: 'b' }))).toMatchObject({ ok: false, refusal: { reason: 'busy' } });
    await first;
    expect((await runProbe('smtp.good.test', options({ limiter, userId: 'b' }))).ok).toBe(true);
  });
});
