/**
 * Files shared in Slack (`file_share` messages, files on a mention): the first text-like file is fetched from
 * Slack's files host with the bot token of the workspace the event came from (scope files:read) and answered like a
 * paste or a bounce.
 */
import type { Incoming, Outcome } from '../../bot/core.js';
import { answerFile, fileProblemReply } from '../../bot/file.js';
import { acceptable } from '../../files/text-file.js';
import { download } from '../download.js';
import type { SlackClient, SlackContext } from './context.js';

/** The fields of a Slack file object read here. */
export interface SlackFile {
  id?: string;
  /** "check_file_info" (Slack Connect, large workspaces): the event leaves the file's details out; files.info has them. */
  file_access?: string;
  name?: string;
  title?: string;
  mimetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/** The outcome for a message's files, or null when it has none (then its text is read as usual). */
export async function slackFileOutcome(ctx: SlackContext, client: SlackClient, shared: SlackFile[] | undefined, msg: Incoming): Promise<Outcome | null> {
  if (!shared || shared.length === 0) return null;
  const files = await Promise.all(shared.map((f) => withDetails(client, f)));
  const asked = msg.addressed || msg.place === 'direct';
  const lang = await ctx.bot.langFor(msg.userId, msg.text, msg.locale);
  const problem = (p: Parameters<typeof fileProblemReply>[1]): Outcome => (asked ? { type: 'reply', reply: fileProblemReply(ctx.bot.kb, p, lang) } : { type: 'silent', reason: 'not-an-error' });
  const info = (f: SlackFile) => ({ name: f.name ?? f.title ?? '', ...(f.mimetype ? { mimeType: f.mimetype } : {}), ...(f.size !== undefined ? { size: f.size } : {}) });
  const file = files.find((f) => acceptable(info(f)) === null);
  if (!file) return problem(acceptable(info(files[0] ?? {})) ?? 'not-text');
  const url = file.url_private_download ?? file.url_private ?? '';
  // Bolt hands each listener a client authorised for the event's workspace: with the OAuth install that is the
  // installation's own token, which is the only one Slack's files host accepts for that workspace's files.
  const token = client.token ?? ctx.files.token;
  const got = await download(url, { hosts: ctx.files.hosts, plainHttpHosts: ctx.files.plainHttpHosts, headers: { authorization: `Bearer ${token}` } });
  if (!got.ok) {
    ctx.log.warn({ problem: got.problem, host: safeHost(url) }, 'slack: a shared file was not fetched');
    return problem(got.problem === 'too-large' ? 'too-large' : 'unavailable');
  }
  // Without the files:read scope Slack answers url_private with its sign-in page, not the file.
  if (got.contentType.startsWith('text/html') && !/html/i.test(file.mimetype ?? '')) {
    ctx.log.warn({ host: safeHost(url) }, 'slack: a sign-in page came back instead of a shared file (is the files:read scope granted?)');
    return problem('unavailable');
  }
  return answerFile(ctx.bot, msg, info(file), got.bytes);
}

/** A file whose details the event left out, completed by files.info; as it was when that fails. */
async function withDetails(client: SlackClient, file: SlackFile): Promise<SlackFile> {
  if (file.file_access !== 'check_file_info' || !file.id) return file;
  try {
    const info = await client.files.info({ file: file.id });
    return { ...file, ...(info.file as SlackFile | undefined) };
  } catch {
    return file;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
}
