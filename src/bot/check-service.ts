/**
 * The sender-side checks behind the chat: the same per-user rate limit and cap as probes (src/probe/limits.ts),
 * a DKIM selector taken from a pasted DKIM-Signature header, and the report (with the fix of the knowledge entry
 * behind its worst finding) or the refusal as a reply.
 */
import type { ProbeConfig } from '../config.js';
import type { KnowledgeBase } from '../engine/types.js';
import { checkOptionsFromConfig, runCheck, selectorsFromHeaders, type CheckOptions } from '../probe/check/index.js';
import { checkRefusalReply, checkReply } from '../probe/check/reply.js';
import { limiterFromConfig } from '../probe/index.js';
import type { Reply } from '../render/model.js';
import { MemoryStore } from '../state/memory.js';
import type { CheckRequest } from './core.js';
import type { StateStore } from './state.js';

export interface CheckServiceOptions {
  /** Options the tests and internal deployments override (resolver, allow-list, timeouts). */
  overrides?: Partial<CheckOptions>;
  /** Where the rate limits live (the bot's store, shared by its instances); memory by default. */
  store?: StateStore;
}

export function createCheckService(config: ProbeConfig, kb: KnowledgeBase, options: CheckServiceOptions = {}): (request: CheckRequest) => Promise<Reply> {
  const limiter = limiterFromConfig(config, options.store ?? new MemoryStore());
  const base: CheckOptions = { ...checkOptionsFromConfig(config), ui: kb.ui, ...options.overrides };
  return async (request) => {
    const dkim = request.text ? selectorsFromHeaders(request.text) : [];
    const outcome = await runCheck(request.target, { ...base, limiter, userId: request.userId, ...(dkim.length > 0 ? { dkim } : {}) });
    return outcome.ok ? checkReply(outcome.report, request.lang, kb.ui, kb.entries) : checkRefusalReply(outcome.refusal, request.lang, kb.ui);
  };
}
