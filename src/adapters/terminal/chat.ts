/**
 * The terminal chat: the bot with no accounts and no network. A multi-line paste is one message (lines that arrive
 * together are joined); piped input is read to its end and answered as one message, then the chat exits.
 */
import { createInterface } from 'node:readline';
import type { Bot, Outcome } from '../../bot/core.js';
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

export async function runTerminalChat(bot: Bot, io: TerminalIO, probe: ProbeRunner | undefined, log: Logger): Promise<void> {
  const write = (s: string): void => {
    io.output.write(s);
  };

  const answer = async (text: string): Promise<void> => {
    let outcome: Outcome;
    try {
      outcome = await bot.handle({ text, place: 'direct', addressed: true, userId: USER, channelId: USER });
    } catch (err) {
      log.error({ err }, 'terminal: handling a message failed');
      write(renderText(errorReply(bot.kb, await bot.langFor(USER, text))));
      return;
    }
    if (outcome.type === 'reply') {
      write(renderText(outcome.reply));
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
