/**
 * The terminal chat: the bot with no accounts and no network. A multi-line paste is one message (lines that arrive
 * together are joined); piped input is read to its end and answered as one message, then the chat exits. A message
 * that is only the path of a file (a log, a bounce .eml) is answered with what the file says.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Bot, Incoming, Outcome } from '../../bot/core.js';
import { answerFile, fileProblemReply } from '../../bot/file.js';
import { MAX_FILE_BYTES } from '../../files/text-file.js';
import type { ProbeRunner } from '../../bot/probe-port.js';
import { errorReply } from '../../bot/replies.js';
import { t } from '../../engine/i18n.js';
import type { Logger } from '../../log.js';
import { readAll } from '../../read-all.js';
import { renderText } from '../../render/text.js';

export interface TerminalIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
}

const USER = 'terminal';
/** Lines of one paste reach readline within a few milliseconds of each other. */
const PASTE_GAP_MS = 40;

// A message that is only a path (typed, or dropped on the terminal: quoted, or with its spaces escaped).
const PATH_LIKE = /^(?:~|\.{1,2})?[/\\]|^[A-Za-z]:[\\/]/;

/** The file a message names, when the message is nothing but the path of an existing file. */
async function namedFile(text: string): Promise<string | null> {
  let path = text.trim();
  if (path.includes('\n') || path.length > 1024) return null;
  path = path.replace(/^(['"])(.*)\1$/, '$2').replace(/\\ /g, ' ');
  if (!PATH_LIKE.test(path)) return null;
  if (path.startsWith('~')) path = homedir() + path.slice(1);
  try {
    return (await stat(path)).isFile() ? path : null;
  } catch {
    return null;
  }
}

export async function runTerminalChat(bot: Bot, io: TerminalIO, probe: ProbeRunner | undefined, log: Logger): Promise<void> {
  // The terminal session is one conversation: follow-ups ("still failing", "next") refer to what was said before in it.
  // A new session starts a new one: the state store outlives the process (SQLite under ./data), and a session started
  // tomorrow is not a follow-up of today's (its language, last diagnosis and steps done included).
  const conversation = `terminal:${randomUUID()}`;
  const write = (s: string): void => {
    io.output.write(s);
  };

  const answer = async (text: string): Promise<void> => {
    let outcome: Outcome;
    try {
      const msg: Incoming = { text, place: 'direct', addressed: true, userId: USER, channelId: USER, conversation };
      const path = await namedFile(text);
      outcome = path ? await answerPath(bot, msg, path) : await bot.handle(msg);
    } catch (err) {
      log.error({ err }, 'terminal: handling a message failed');
      write(renderText(errorReply(bot.kb, await bot.langFor(USER, text))));
      return;
    }
    if (outcome.type === 'reply') {
      write(renderText(outcome.reply));
    } else if (outcome.type === 'check') {
      if (!probe?.check) {
        write(`${t(bot.kb.ui, 'check.disabled', outcome.request.lang)}\n`);
        return;
      }
      write(`${t(bot.kb.ui, 'check.progress.starting', outcome.request.lang, { target: outcome.request.target })}\n`);
      write(renderText(await probe.check(outcome.request)));
    } else if (outcome.type === 'probe') {
      if (!probe) {
        write(`${t(bot.kb.ui, 'bot.probe.disabled', outcome.request.lang)}\n`);
        return;
      }
      let shown = 0;
      const final = await probe.run(outcome.request, (progress) => {
        // Print only the lines that are new since the last update.
        const lines = renderText(progress).split('\n');
        write(lines.slice(shown).join('\n'));
        shown = Math.max(shown, lines.length - 1);
      });
      write(`\n${renderText(final)}`);
    }
  };

  if (!io.interactive) {
    const all = await readAll(io.input);
    if (all.trim()) await answer(all);
    return;
  }

  write(`${t(bot.kb.ui, 'terminal.welcome', await bot.langFor(USER, ''))}\n> `);
  const rl = createInterface({ input: io.input, terminal: false });
  let buffer: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();
  const flush = (): void => {
    const text = buffer.join('\n');
    buffer = [];
    timer = undefined;
    queue = queue.then(async () => {
      const trimmed = text.trim();
      if (/^\/?(quit|exit|bye|終了)$/i.test(trimmed)) {
        rl.close();
        return;
      }
      if (trimmed) await answer(text);
      write('> ');
    });
  };
  rl.on('line', (line) => {
    buffer.push(line);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, PASTE_GAP_MS);
  });
  await new Promise<void>((resolve) => rl.once('close', () => resolve()));
  if (timer) {
    clearTimeout(timer);
    flush();
  }
  await queue;
}

/** A file named in the chat: read from this machine (the terminal user's own), then answered like a shared file. */
async function answerPath(bot: Bot, msg: Incoming, path: string): Promise<Outcome> {
  const lang = await bot.langFor(USER, '');
  let bytes: Uint8Array;
  try {
    // Measured before it is read: a path may name a disk image as easily as a log.
    if ((await stat(path)).size > MAX_FILE_BYTES) return { type: 'reply', reply: fileProblemReply(bot.kb, 'too-large', lang) };
    bytes = await readFile(path);
  } catch {
    return { type: 'reply', reply: fileProblemReply(bot.kb, 'unavailable', lang) };
  }
  return answerFile(bot, { ...msg, text: '' }, { name: basename(path) }, bytes);
}
