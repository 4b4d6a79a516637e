/**
 * A port whose packets are silently dropped (iptables DROP in a network namespace of the test's own): the report must
 * come back after that port's connect timeout, not later, and 25-dropped-while-587-answers must read as OP25B.
 */
import { describe, expect, it } from 'vitest';
import { blackholeSupport, runBlackholed } from '../support/blackhole.js';

const support = blackholeSupport();
// CI installs iptables (scripts/ci-services.sh), so there a missing fixture is a failure, not a skip.
const mustRun = support.ok || Boolean(process.env.CI);

const title = support.ok ? 'black-holed port' : `black-holed port (unavailable: ${support.why})`;

describe.skipIf(!mustRun)(title, () => {
  it('the fixture works here', () => {
    expect(support).toEqual({ ok: true });
  });

  it('25 dropped while 587 answers: OP25B finding, report right after the connect timeout', async () => {
    const timeouts = { connectMs: 400, greetingMs: 400, commandMs: 400, totalMs: 5000 };
    const { probeMs, report } = await runBlackholed({ dropPort: 25, listenPorts: [587], probePorts: [25, 587], timeouts });
    const p25 = report.ports.find((p) => p.port === 25);
    const p587 = report.ports.find((p) => p.port === 587);
    expect(p25).toMatchObject({ state: 'timeout', connectMs: null, error: { phase: 'connect', code: 'TIMEOUT' } });
    expect(p587).toMatchObject({ state: 'open', tls: 'starttls', error: null });
    expect(report.findings).toContainEqual(expect.objectContaining({ entry: 'op25b-port-25-blocked', category: 'port-25-blocked' }));
    expect(probeMs).toBeGreaterThanOrEqual(timeouts.connectMs - 5);
    expect(probeMs).toBeLessThan(timeouts.connectMs + 400);
  });

  it('every port dropped: timeouts, not refusals, and still within one connect timeout', async () => {
    const timeouts = { connectMs: 300, greetingMs: 300, commandMs: 300, totalMs: 5000 };
    const { probeMs, report } = await runBlackholed({ dropPort: 587, listenPorts: [], probePorts: [587], timeouts });
    expect(report.ports).toEqual([expect.objectContaining({ port: 587, state: 'timeout' })]);
    expect(report.findings.map((f) => f.entry)).toEqual(['connection-timed-out', 'connection-timed-out']);
    expect(probeMs).toBeLessThan(timeouts.connectMs + 400);
  });
});
