/**
 * Files attached to a Discord message — `message.txt` (Discord turns a long paste into one), other text files, a
 * saved bounce `.eml` — fetched from Discord's CDN (or the configured API's host) and answered like a paste or a bounce.
 */
import type { Attachment, Collection } from 'discord.js';
import type { Incoming, Outcome } from '../../bot/core.js';
import { answerFile, fileProblemReply } from '../../bot/file.js';
import { acceptable } from '../../files/text-file.js';
import { download, hostOf } from '../download.js';
import type { DiscordContext } from './context.js';

/** Discord's attachment hosts. */
export const DISCORD_FILE_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'];

/** The outcome for a message's attachments, or null when it has none (then its text is read as usual). */
export async function attachmentOutcome(ctx: DiscordContext, attachments: Collection<string, Attachment>, msg: Incoming): Promise<Outcome | null> {
  if (attachments.size === 0) return null;
  const asked = msg.addressed || msg.place === 'direct';
  const lang = await ctx.bot.langFor(msg.userId, msg.text, msg.locale);
  const problem = (p: Parameters<typeof fileProblemReply>[1]): Outcome => (asked ? { type: 'reply', reply: fileProblemReply(ctx.bot.kb, p, lang) } : { type: 'silent', reason: 'not-an-error' });
  const info = (a: Attachment) => ({ name: a.name, size: a.size, ...(a.contentType ? { mimeType: a.contentType } : {}) });
  const list = [...attachments.values()];
  const file = list.find((a) => acceptable(info(a)) === null);
  if (!file) return problem(list[0] ? (acceptable(info(list[0])) ?? 'not-text') : 'not-text');
  const apiHost = hostOf(ctx.config.apiUrl);
  const got = await download(file.url, { hosts: [...DISCORD_FILE_HOSTS, ...apiHost], plainHttpHosts: apiHost });
  if (!got.ok) {
    ctx.log.warn({ problem: got.problem, attachment: file.id }, 'discord: an attachment was not fetched');
    return problem(got.problem === 'too-large' ? 'too-large' : 'unavailable');
  }
  return answerFile(ctx.bot, msg, info(file), got.bytes);
}
