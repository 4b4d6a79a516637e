/**
 * Files shared in Slack (`file_share` messages, files on a mention): the first text-like file is fetched from
 * Slack's files host with the bot token (scope files:read) and answered like a paste or a bounce.
 */
import type { Incoming, Outcome } from '../../bot/core.js';
import { answerFile, fileProblemReply } from '../../bot/file.js';
import { acceptable } from '../../files/text-file.js';
import { download } from '../download.js';
import type { SlackContext } from './context.js';

/** The fields of a Slack file object read here. */
export interface SlackFile {
  name?: string;
  title?: string;
  mimetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/** The outcome for a message's files, or null when it has none (then its text is read as usual). */
export async function slackFileOutcome(ctx: SlackContext, files: SlackFile[] | undefined, msg: Incoming): Promise<Outcome | null> {
  if (!files || files.length === 0) return null;
  const asked = msg.addressed || msg.place === 'direct';
  const lang = ctx.bot.langFor(msg.userId, msg.text, msg.locale);
  const problem = (p: Parameters<typeof fileProblemReply>[1]): Outcome => (asked ? { type: 'reply', reply: fileProblemReply(ctx.bot.kb, p, lang) } : { type: 'silent', reason: 'not-an-error' });
  const info = (f: SlackFile) => ({ name: f.name ?? f.title ?? '', ...(f.mimetype ? { mimeType: f.mimetype } : {}), ...(f.size !== undefined ? { size: f.size } : {}) });
  const file = files.find((f) => acceptable(info(f)) === null);
  if (!file) return problem(acceptable(info(files[0] ?? {})) ?? 'not-text');
  const url = file.url_private_download ?? file.url_private ?? '';
  const got = await download(url, { hosts: ctx.files.hosts, plainHttpHosts: ctx.files.plainHttpHosts, headers: { authorization: `Bearer ${ctx.files.token}` } });
  if (!got.ok) {
    ctx.log.warn({ problem: got.problem, host: safeHost(url) }, 'slack: a shared file was not fetched');
    return problem(got.problem === 'too-large' ? 'too-large' : 'unavailable');
  }
  return answerFile(ctx.bot, msg, info(file), got.bytes);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
}
