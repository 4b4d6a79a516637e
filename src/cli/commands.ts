/** diagnose, checklist and chat: the engine from the command line. */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { Bot } from '../bot/core.js';
import type { ProbeRunner } from '../bot/probe-port.js';
import { checklistReply, diagnosisReply, symptomReply, unknownReply } from '../bot/replies.js';
import type { BounceAnalysis } from '../engine/bounce.js';
import { analyze, type Analysis } from '../engine/diagnose.js';
import { detectLang } from '../engine/normalize.js';
import type { EngineIndex } from '../engine/index.js';
import type { Lang } from '../engine/types.js';
import type { Logger } from '../log.js';
import { readAll } from '../read-all.js';
import { renderText } from '../render/text.js';
import { UsageError } from './usage-error.js';

export { UsageError };

export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}


function langOption(value: string | undefined): Lang | undefined {
  if (value === undefined) return undefined;
  if (value === 'ja' || value === 'en') return value;
  throw new UsageError(`--lang must be ja or en, not "${value}"`);
}

/** The contract of `diagnose --json`: the diagnosis, its entry by id, and for a bounce what each recipient's server said. */
function diagnosisJson(analysis: Analysis, bounce: BounceAnalysis | null): string {
  // `redacted` is the text exactly as the bot would log or store it, so a user can see what would be kept.
  const { entry, ...rest } = analysis.diagnosis;
  const out: Record<string, unknown> = { ...rest, entry: entry?.id ?? null };
  if (bounce) {
    out.bounce = {
      kind: bounce.kind,
      subject: bounce.subject,
      date: bounce.date,
      recipients: bounce.recipients.map((r) => ({
        address: r.address,
        action: r.action,
        status: r.status,
        remoteMta: r.remoteMta,
        diagnosticCode: r.diagnosticCode,
        category: r.category,
        entry: r.entry,
        // Beside the contract's fields: the SMTP command refused, and what decided when the bounce's structure did.
        ...(r.command ? { command: r.command } : {}),
        ...(r.decidedBy ? { decidedBy: r.decidedBy } : {}),
      })),
    };
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The file's bytes, or null when it is over the size cap (measured before it is read). */
async function readFileArg(path: string, maxBytes: number): Promise<Uint8Array | null> {
  try {
    if ((await stat(path)).size > maxBytes) return null;
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`cannot read ${path} (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : code})`);
  }
}

/**
 * `defaultLang` (SMTP_DOCTOR_LANG) answers what is not written in Japanese — most server replies are English, and a
 * Japanese team that set it reads Japanese — unless --lang says otherwise.
 */
export async function diagnoseCommand(index: EngineIndex, argv: string[], io: CliIO, defaultLang?: Lang): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { lang: { type: 'string' }, json: { type: 'boolean', default: false }, file: { type: 'string' } },
    allowPositionals: true,
  });
  const chosen = langOption(values.lang);
  const kb = index.kb;
  let analysis: Analysis;
  let bounce: BounceAnalysis | null = null;
  if (values.file !== undefined) {
    if (positionals.length > 0) throw new UsageError('diagnose: give either --file PATH or the text, not both');
    // The file reader (charset detection, the MIME parser of bounces) and the chat are loaded only by the commands that
    // use them: a one-line `diagnose` paid ~200 ms of start-up for modules it never ran.
    const [{ analyzeFile }, { fileProblemReply }, { MAX_FILE_BYTES }] = await Promise.all([import('../files/analyze.js'), import('../bot/file.js'), import('../files/text-file.js')]);
    const bytes = await readFileArg(values.file, MAX_FILE_BYTES);
    const lang = chosen ?? defaultLang;
    const result = bytes ? await analyzeFile(index, { name: basename(values.file) }, bytes, lang) : ({ ok: false, problem: 'too-large' } as const);
    if (!result.ok) {
      // Both languages: nothing tells which one the user reads.
      io.stderr.write(`smtp-doctor: ${fileProblemReply(kb, result.problem, 'ja').summary}\nsmtp-doctor: ${fileProblemReply(kb, result.problem, 'en').summary}\n`);
      return 1;
    }
    analysis = result.analysis;
    bounce = result.bounce;
  } else {
    const text = positionals.length > 0 ? positionals.join(' ') : io.stdin.isTTY ? '' : await readAll(io.stdin);
    if (!text.trim()) throw new UsageError('nothing to diagnose: give the error text as an argument, --file PATH, or stdin');
    const lang = chosen ?? (detectLang(text) === 'ja' ? 'ja' : defaultLang);
    analysis = analyze(index, text, lang ? { lang } : {});
  }
  if (values.json) {
    io.stdout.write(diagnosisJson(analysis, bounce));
    return 0;
  }
  const { diagnosis, topics } = analysis;
  const reply = bounce
    ? (await import('../bot/bounce-reply.js')).bounceReply(kb, bounce, chosen ?? defaultLang ?? diagnosis.lang)
    : diagnosis.entry
      ? diagnosisReply(kb, diagnosis)
      : topics[0]?.topic.id === 'send-trouble'
        ? symptomReply(kb, diagnosis)
        : unknownReply(kb, diagnosis.lang);
  io.stdout.write(renderText(reply));
  return 0;
}

/** The same default as every command: --lang, else SMTP_DOCTOR_LANG, else English. */
export function checklistCommand(index: EngineIndex, argv: string[], io: CliIO, defaultLang?: Lang): number {
  const { values } = parseArgs({ args: argv, options: { lang: { type: 'string' } } });
  const lang = langOption(values.lang) ?? defaultLang ?? 'en';
  io.stdout.write(renderText(checklistReply(index.kb, lang)));
  return 0;
}

export async function chatCommand(bot: Bot, io: CliIO, probe: ProbeRunner | undefined, log: Logger): Promise<number> {
  const { runTerminalChat } = await import('../adapters/terminal/chat.js');
  await runTerminalChat(bot, { input: io.stdin, output: io.stdout, interactive: io.stdin.isTTY === true }, probe, log);
  return 0;
}
