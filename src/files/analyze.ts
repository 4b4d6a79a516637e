/**
 * What the bot reads in a file: a bounce (per recipient), a long log (its last failure), or the text as a paste.
 * Shared by `diagnose --file`, the terminal chat and the chat adapters once they have the bytes. Pure.
 */
import { bounceReadings, diagnoseBounce, overrule, parseBounce, structuralAnswer, type BounceAnalysis } from '../engine/bounce.js';
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
    // Where the bounce's structure decided (the command refused, a status code: knowledge/bounces.yaml) and every
    // failed recipient agrees, that is the answer, explained as the recipients' are.
    const structural = structuralAnswer(bounce);
    const bounded = (analysis: Analysis): Analysis =>
      structural && analysis.diagnosis.category !== structural.category ? { ...analysis, diagnosis: overrule(index, analysis.diagnosis, structural) } : analysis;
    // The first reading the engine can explain, else the first (see bounceReadings); an auto-reply or a feedback
    // report has none, and is read whole.
    for (const text of bounceReadings(parsed)) {
      const analysis = analyze(index, text, options);
      if (analysis.diagnosis.category !== 'unknown' || structural) return { ok: true, text, analysis: bounded(analysis), bounce, reduced: false, encoding: file.encoding };
    }
    const first = bounceReadings(parsed)[0] ?? file.text;
    return { ok: true, text: first, analysis: bounded(analyze(index, first, options)), bounce, reduced: false, encoding: file.encoding };
  }
  const reduced = reduceLog(file.text);
  return { ok: true, text: reduced ?? file.text, analysis: analyze(index, reduced ?? file.text, options), bounce: null, reduced: reduced !== null, encoding: file.encoding };
}
