/**
 * Gateway packets before discord.js handles them. An INTERACTION_CREATE without `data` (a malformed or future
 * payload) makes discord.js throw inside its packet handler, which nothing can catch: the process would crash. Raw is
 * emitted first with the very packet that is then handled, so such a packet is renamed to an event discord.js has no
 * handler for, and logged by id.
 */
import { InteractionType, type GatewayDispatchPayload } from 'discord.js';
import type { Logger } from '../../../log.js';

const NEEDS_DATA = new Set<number>([InteractionType.ApplicationCommand, InteractionType.MessageComponent, InteractionType.ApplicationCommandAutocomplete, InteractionType.ModalSubmit]);
export const DROPPED_EVENT = 'SMTP_DOCTOR_MALFORMED_INTERACTION';

export function onRaw(log: Logger): (packet: GatewayDispatchPayload) => void {
  return (packet) => {
    if (packet.t !== 'INTERACTION_CREATE') return;
    const d = packet.d as { id?: unknown; type?: unknown; data?: unknown; guild_id?: unknown; channel_id?: unknown };
    if (typeof d.type === 'number' && NEEDS_DATA.has(d.type) && (typeof d.data !== 'object' || d.data === null)) {
      log.warn({ interaction: d.id, type: d.type, guild: d.guild_id, channel: d.channel_id }, 'discord: an interaction without data was ignored');
      (packet as { t: string }).t = DROPPED_EVENT;
    }
  };
}
