/** diagnose, checklist and chat: the engine from the command line. */
import { parseArgs } from 'node:util';
import { Bot } from '../bot/core.js';
import type { ProbeRunner } from '../bot/probe-port.js';
import { checklistReply, diagnosisReply, symptomReply, unknownReply } from '../bot/replies.js';
import { runTerminalChat } from '../adapters/terminal/chat.js';
import { analyze } from '../engine/diagnose.js';
import type { EngineIndex } from '../engine/index.js';
import type { Lang } from '../engine/types.js';
import type { Logger } from '../log.js';
import { readAll } from '../read-all.js';
import { renderText } from '../render/text.js';
import { UsageError } from './usage-error.js';

export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export { UsageError };

function langOption(value: string | undefined): Lang | undefined {
  if (value === undefined) return undefined;
  if (value === 'ja' || value === 'en') return value;
  throw new UsageError(`--lang must be ja or en, not "${value}"`);
}

export async function diagnoseCommand(index: EngineIndex, argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { lang: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const lang = langOption(values.lang);
  const text = positionals.length > 0 ? positionals.join(' ') : io.stdin.isTTY ? '' : await readAll(io.stdin);
  if (!text.trim()) throw new UsageError('nothing to diagnose: give the error text as an argument or on stdin');
  const { diagnosis, topics } = analyze(index, text, lang ? { lang } : {});
  if (values.json) {
    // `redacted` is the text exactly as the bot would log or store it, so a user can see what would be kept.
    const { entry, ...rest } = diagnosis;
    io.stdout.write(`${JSON.stringify({ ...rest, entry: entry?.id ?? null }, null, 2)}\n`);
    return 0;
  }
  const kb = index.kb;
  const reply = diagnosis.entry
    ? diagnosisReply(kb, diagnosis)
    : topics[0]?.topic.id === 'send-trouble'
      ? symptomReply(kb, diagnosis)
      : unknownReply(kb, diagnosis.lang);
  io.stdout.write(renderText(reply));
  return 0;
}

export function checklistCommand(index: EngineIndex, argv: string[], io: CliIO): number {
  const { values } = parseArgs({ args: argv, options: { lang: { type: 'string' } } });
  const lang = langOption(values.lang) ?? 'ja';
  io.stdout.write(renderText(checklistReply(index.kb, lang)));
  return 0;
}

export async function chatCommand(bot: Bot, io: CliIO, probe: ProbeRunner | undefined, log: Logger): Promise<number> {
  await runTerminalChat(bot, { input: io.stdin, output: io.stdout, interactive: io.stdin.isTTY === true }, probe, log);
  return 0;
}
