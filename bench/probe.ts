/**
 * Probe timings on loopback only: a full probe of three ports (median of N runs), a port that never greets, and a
 * black-holed port (iptables DROP inside a network namespace of its own), each against the timeouts in force.
 * Run alone with `npx tsx bench/probe.ts`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { runProbe, type ProbeOptions } from '../src/probe/index.js';
import { loadProbeUi } from '../src/probe/ui.js';
import { blackholeSupport, runBlackholed } from '../test/support/blackhole.js';
import { startSilent, startSmtp, testCert } from '../test/support/smtp-servers.js';

const RUNS = 15;

function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { median: Math.round(median * 10) / 10, min: Math.round((s[0] ?? 0) * 10) / 10, max: Math.round((s.at(-1) ?? 0) * 10) / 10 };
}

export async function benchProbe(): Promise<void> {
  const ui = loadProbeUi();
  const cert = await testCert(['127.0.0.1']);
  const [starttls, implicit, auth, silent] = await Promise.all([
    startSmtp({ cert }),
    startSmtp({ cert, secure: true }),
    startSmtp({ cert, auth: { user: 'bench', pass: 'bench-pass' } }),
    startSilent(),
  ]);
  const ports = [starttls.port, implicit.port, auth.port];
  const timeouts = { connectMs: 5000, greetingMs: 10_000, commandMs: 5000, totalMs: 20_000 };
  const base: ProbeOptions = {
    ports,
    extraAllowedPorts: [...ports, silent.port],
    implicitTlsPorts: [implicit.port],
    allowCidrs: ['127.0.0.0/8'],
    timeouts,
    ca: [cert.cert],
    ui,
  };

  try {
    const wall: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const outcome = await runProbe('127.0.0.1', base);
      wall.push(performance.now() - t0);
      if (!outcome.ok || outcome.report.ports.some((p) => p.error !== null)) throw new Error('loopback probe did not succeed');
    }
    const s = stats(wall);
    console.log(
      `probe, 3 loopback ports (STARTTLS, implicit TLS, STARTTLS+AUTH), end to end: median ${s.median} ms (min ${s.min}, max ${s.max}) over ${RUNS} runs; limits: connect ${timeouts.connectMs} ms, greeting ${timeouts.greetingMs} ms, total ${timeouts.totalMs} ms`,
    );

    const silentTimeouts = { connectMs: 1000, greetingMs: 1000, commandMs: 1000, totalMs: 5000 };
    const t0 = performance.now();
    await runProbe('127.0.0.1', { ...base, ports: [starttls.port, silent.port], timeouts: silentTimeouts });
    console.log(
      `probe with a port that never greets: ${Math.round(performance.now() - t0)} ms (greeting timeout ${silentTimeouts.greetingMs} ms, then a ${silentTimeouts.commandMs} ms implicit-TLS check; total limit ${silentTimeouts.totalMs} ms)`,
    );
  } finally {
    await Promise.all([starttls.close(), implicit.close(), auth.close(), silent.close()]);
  }

  const support = blackholeSupport();
  if (!support.ok) {
    console.log(`probe with a black-holed port: not measured (${support.why})`);
    return;
  }
  for (const connectMs of [1000, 5000]) {
    const bh = { connectMs, greetingMs: 10_000, commandMs: 5000, totalMs: 20_000 };
    const run = await runBlackholed({ dropPort: 25, listenPorts: [465, 587], probePorts: [25, 465, 587], timeouts: bh });
    const p25 = run.report.ports.find((p) => p.port === 25);
    console.log(
      `probe with port 25 black-holed (465, 587 answering): report in ${run.probeMs} ms, port 25 ${p25?.state} after ${p25?.durationMs} ms; connect timeout ${connectMs} ms, total limit ${bh.totalMs} ms`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchProbe();
