import type { ProbeRunner } from '../bot/probe-port.js';
import type { Config } from '../config.js';
import type { EngineIndex } from '../engine/index.js';

/** The live probe service, loaded only by the commands that can probe (classify and diagnose never pay for it). */
export async function probeRunner(config: Config, index: EngineIndex): Promise<ProbeRunner> {
  const { createProbeService } = await import('../bot/probe-service.js');
  return createProbeService(config.probe, index.kb.ui);
}
