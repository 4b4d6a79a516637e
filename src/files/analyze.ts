/**
 * What the bot reads in a file: a bounce (per recipient), a long log (its last failure), or the text as a paste.
 * Shared by `diagnose --file`, the terminal chat and the chat adapters once they have the bytes. Pure.
 */
import { decisiveText, diagnoseBounce, parseBounce, type BounceAnalysis } from '../engine/bounce.js';
import { analyze, type Analysis } from '../engine/diagnose.js';
import type { EngineIndex } from '../engine/index.js';
import type { Lang } from '../engine/types.js';
import { reduceLog } from './log.js';
import { readTextFile, type FileInfo, type FileProblem } from './text-file.js';

export type FileAnalysis =
  | { ok: false; problem: FileProblem }
  | {
      ok: true;
      /** The text that decided (what a chat answer reads). */
      text: string;
      /** The whole analysis of the text that decided: a bounce's failed recipients' words, a log's last failure, or the file. */
      analysis: Analysis;
      bounce: BounceAnalysis | null;
      /** A long log was reduced to its last failing transaction. */
      reduced: boolean;
      encoding: string;
    };

export async function analyzeFile(index: EngineIndex, info: FileInfo, bytes: Uint8Array, lang?: Lang): Promise<FileAnalysis> {
  const file = readTextFile(info, bytes);
  if (!file.ok) return file;
  const options = lang ? { lang } : {};
  // The parser reads the bytes itself: each MIME part declares its own character set.
  const parsed = await parseBounce(bytes);
  if (parsed) {
    const bounce = diagnoseBounce(index, parsed, lang);
    const decisive = decisiveText(parsed);
    const first = decisive ? analyze(index, decisive, options) : null;
    // Recipient lines without the server's words: the report's prose (the whole message) explains itself.
    const useFirst = decisive !== null && first !== null && first.diagnosis.category !== 'unknown';
    const analysis = useFirst ? first : analyze(index, file.text, options);
    return { ok: true, text: useFirst ? decisive : file.text, analysis, bounce, reduced: false, encoding: file.encoding };
  }
  const reduced = reduceLog(file.text);
  return { ok: true, text: reduced ?? file.text, analysis: analyze(index, reduced ?? file.text, options), bounce: null, reduced: reduced !== null, encoding: file.encoding };
}
