/**
 * The live probe behind the chat: rate limits per user and a cap on probes at once (src/probe/limits.ts),
 * progress turned into replies as steps finish, and the final report or refusal as a reply.
 * Credentials go to the probe for this one run and are not kept.
 */
import type { ProbeConfig } from '../config.js';
import type { UiStrings } from '../engine/types.js';
import type { Metrics } from '../ops/metrics.js';
import { limiterFromConfig, probeOptionsFromConfig, runProbe, type ProbeEvent, type ProbeOptions } from '../probe/index.js';
import { probeProgressReply, probeRefusalReply, probeReply } from '../probe/reply.js';
import { MemoryStore } from '../state/memory.js';
import type { ProbeRunner } from './probe-port.js';
import type { StateStore } from './state.js';

export interface ProbeServiceOptions {
  /** Options the tests and internal deployments override (resolver, allow-list, timeouts). */
  overrides?: Partial<ProbeOptions>;
  /** Where the rate limits and concurrency slots live (the bot's store, shared by its instances); memory by default. */
  store?: StateStore;
  metrics?: Metrics;
}

export function createProbeService(config: ProbeConfig, ui: UiStrings, options: ProbeServiceOptions = {}): ProbeRunner {
  const limiter = limiterFromConfig(config, options.store ?? new MemoryStore());
  const base = { ...probeOptionsFromConfig(config), ...options.overrides };
  return {
    async run(request, onProgress, credentials) {
      const events: ProbeEvent[] = [];
      const probeOptions: ProbeOptions = {
        ...base,
        ui,
        limiter,
        userId: request.userId,
        onProgress: (event) => {
          events.push(event);
          onProgress?.(probeProgressReply(events, request.lang, ui));
        },
      };
      if (request.ports.length > 0) probeOptions.ports = request.ports;
      if (credentials) probeOptions.credentials = credentials;
      const started = performance.now();
      const outcome = await runProbe(request.target, probeOptions);
      options.metrics?.probeDuration.observe({ outcome: outcome.ok ? 'report' : outcome.refusal.reason }, (performance.now() - started) / 1000);
      return outcome.ok ? probeReply(outcome.report, request.lang, ui) : probeRefusalReply(outcome.refusal, request.lang, ui);
    },
  };
}
