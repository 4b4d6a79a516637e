import type { ProbeRunner } from '../bot/probe-port.js';
import type { StateStore } from '../bot/state.js';
import type { Config } from '../config.js';
import type { EngineIndex } from '../engine/index.js';
import type { Metrics } from '../ops/metrics.js';

/**
 * The live probe and the sender checks, loaded only by the commands that can use them (classify and diagnose never
 * pay for them).
 */
export async function probeRunner(config: Config, index: EngineIndex, store?: StateStore, metrics?: Metrics): Promise<ProbeRunner> {
  const [{ createProbeService }, { createCheckService }] = await Promise.all([import('../bot/probe-service.js'), import('../bot/check-service.js')]);
  const probe = createProbeService(config.probe, index.kb.ui, { ...(store ? { store } : {}), ...(metrics ? { metrics } : {}) });
  const check = createCheckService(config.probe, index.kb);
  return { run: (...args) => probe.run(...args), check };
}
