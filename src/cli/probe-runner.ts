import type { ProbeRunner } from '../bot/probe-port.js';
import type { StateStore } from '../bot/state.js';
import type { Config } from '../config.js';
import type { EngineIndex } from '../engine/index.js';
import type { Metrics } from '../ops/metrics.js';

/** The live probe service, loaded only by the commands that can probe (classify and diagnose never pay for it). */
export async function probeRunner(config: Config, index: EngineIndex, store?: StateStore, metrics?: Metrics): Promise<ProbeRunner> {
  const { createProbeService } = await import('../bot/probe-service.js');
  return createProbeService(config.probe, index.kb.ui, { ...(store ? { store } : {}), ...(metrics ? { metrics } : {}) });
}
