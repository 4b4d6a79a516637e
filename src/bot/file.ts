/**
 * A file sent to the bot (Slack upload, Discord attachment, a path in the terminal chat): a bounce gets the
 * per-recipient answer, anything else is read like a paste (a long log by its last failure). Platform-neutral.
 */
import { t } from '../engine/i18n.js';
import type { KnowledgeBase, Lang } from '../engine/types.js';
import { analyzeFile } from '../files/analyze.js';
import { MAX_FILE_BYTES, type FileInfo, type FileProblem } from '../files/text-file.js';
import type { Reply } from '../render/model.js';
import { bounceReply } from './bounce-reply.js';
import type { Bot, Incoming, Outcome } from './core.js';

export type FileTrouble = FileProblem | 'unavailable';

export function fileProblemReply(kb: KnowledgeBase, problem: FileTrouble, lang: Lang): Reply {
  return {
    kind: 'info',
    lang,
    title: t(kb.ui, 'bot.file.title', lang),
    // A platform may refuse an empty text block, and the reason is what the user needs.
    summary: t(kb.ui, `bot.file.${problem}`, lang, { limit: `${MAX_FILE_BYTES / (1024 * 1024)} MB` }),
    severity: 'warning',
    sections: [],
    actions: [],
  };
}

/** The answer to a file; `msg.text` is what the message said beside it (a mention, a question) and decides the language. */
export async function answerFile(bot: Bot, msg: Incoming, file: FileInfo, bytes: Uint8Array): Promise<Outcome> {
  const asked = msg.addressed || msg.place === 'direct';
  const lang = await bot.langFor(msg.userId, msg.text, msg.locale);
  const result = await analyzeFile(bot.index, file, bytes, lang);
  if (!result.ok) return asked ? { type: 'reply', reply: fileProblemReply(bot.kb, result.problem, lang) } : { type: 'silent', reason: 'not-an-error' };
  const bounce = result.bounce;
  if (bounce) {
    // Unasked, only a failure or delay the engine can explain is worth a reply in a channel.
    const explained = bounce.recipients.some((r) => r.diagnosis.entry) || result.analysis.diagnosis.entry !== null;
    if (!asked && (bounce.kind === 'auto-reply' || bounce.kind === 'feedback' || !explained)) return { type: 'silent', reason: 'not-an-error' };
    return { type: 'reply', reply: bounceReply(bot.kb, bounce, lang), diagnosis: result.analysis.diagnosis };
  }
  const outcome = await bot.handle({ ...msg, text: result.text });
  if (outcome.type === 'reply' && result.reduced) outcome.reply.footer = [outcome.reply.footer, t(bot.kb.ui, 'bot.file.log-reduced', lang)].filter(Boolean).join('\n');
  return outcome;
}
