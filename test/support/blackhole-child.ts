/**
 * Runs inside the network namespace made by blackhole.ts: starts STARTTLS servers on the namespace's own loopback,
 * probes 127.0.0.1 and prints {probeMs, report} as JSON. Not a test file; spawned by runBlackholed().
 */
import { performance } from 'node:perf_hooks';
import { runProbe } from '../../src/probe/index.js';
import { loadProbeUi } from '../../src/probe/ui.js';
import type { BlackholeScenario } from './blackhole.js';
import { startSmtp, testCert } from './smtp-servers.js';

const scenario = JSON.parse(process.env.BLACKHOLE_SCENARIO ?? '{}') as BlackholeScenario;
const cert = await testCert(['127.0.0.1']);
const servers = await Promise.all(scenario.listenPorts.map((port) => startSmtp({ cert }, port)));

// Read before the clock starts, as every caller but a bare runProbe() has them: only the probe is timed.
const ui = loadProbeUi();
const t0 = performance.now();
const outcome = await runProbe('127.0.0.1', {
  ui,
  ports: scenario.probePorts,
  allowCidrs: ['127.0.0.0/8'],
  timeouts: scenario.timeouts,
  ca: [cert.cert],
});
const probeMs = Math.round(performance.now() - t0);
await Promise.all(servers.map((s) => s.close()));
if (!outcome.ok) {
  process.stderr.write(`refused: ${outcome.refusal.reason}\n`);
  process.exit(3);
}
process.stdout.write(JSON.stringify({ probeMs, report: outcome.report }));
