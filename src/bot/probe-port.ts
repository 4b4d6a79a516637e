/** How the bot asks for a live probe. The probe service (src/probe) implements it; tests and adapters can swap it. */
import type { Reply } from '../render/model.js';
import type { CheckRequest, ProbeRequest } from './core.js';

export interface ProbeCredentials {
  user: string;
  pass: string;
}

export interface ProbeRunner {
  /**
   * Runs a probe for a user and returns the final report as a reply (or a refusal: rate limit, forbidden target).
   * `onProgress` gets an updated reply as steps finish, for a chat message that is edited live.
   */
  run(request: ProbeRequest, onProgress?: (reply: Reply) => void, credentials?: ProbeCredentials): Promise<Reply>;
  /** The sender-side DNS checks (src/bot/check-service.ts): the report or a refusal as a reply. Absent: not offered. */
  check?(request: CheckRequest): Promise<Reply>;
}
