/** What the button and checkbox listeners share: where the pressed message is, and who pressed. */
import type { BlockAction } from '@slack/bolt';
import type { Destination } from './context.js';

export interface PressedIn {
  /** Where an answer to the press goes: the message's thread, or the conversation of an ephemeral message. */
  dest: Destination | undefined;
  /** The message with the button, when it can be edited with chat.update (not ephemeral). */
  message: { channel: string; ts: string } | undefined;
  /** A message in the user's own DM with the app. */
  direct: boolean;
}

export function pressedIn(body: BlockAction): PressedIn {
  const channel = body.channel?.id;
  const ephemeral = body.container.is_ephemeral === true;
  const ts = body.message?.ts;
  const threadTs = typeof body.message?.thread_ts === 'string' ? body.message.thread_ts : undefined;
  if (!channel) return { dest: undefined, message: undefined, direct: false };
  if (ephemeral || !ts) return { dest: { channel }, message: undefined, direct: false };
  const direct = channel.startsWith('D');
  return {
    dest: direct ? { channel, ...(threadTs ? { threadTs } : {}) } : { channel, threadTs: threadTs ?? ts },
    message: { channel, ts },
    direct,
  };
}
