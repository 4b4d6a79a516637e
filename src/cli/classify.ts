/**
 * `smtp-doctor classify --jsonl`: the evaluation contract. One JSON object a line in, exactly one JSON line out,
 * in order; a bad line yields {"error": ...} on its line and the run goes on.
 */
import { createInterface } from 'node:readline';
import type { EngineIndex } from '../engine/index.js';
import { bounceTextFor } from '../engine/bounce.js';
import { classify } from '../engine/diagnose.js';
import { MAX_INPUT_CHARS } from '../engine/normalize.js';

/** Longest line read; longer ones are cut, and the answer says so. */
const MAX_LINE_CHARS = 4 * MAX_INPUT_CHARS;

export async function classifyLine(index: EngineIndex, line: string): Promise<string> {
  let text: unknown;
  try {
    const parsed: unknown = JSON.parse(line);
    text = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>).text : undefined;
  } catch {
    return JSON.stringify({ error: 'not valid JSON: expected {"text": "..."}' });
  }
  if (typeof text !== 'string') return JSON.stringify({ error: 'missing "text" (a string)' });
  // A whole bounce is judged by what its failed recipients' servers said, not by the rest of the message.
  const d = classify(index, (await bounceTextFor(index, text)) ?? text);
  const out: Record<string, unknown> = {
    category: d.category,
    confidence: d.confidence,
    respond: d.respond,
    entry: d.entry,
  };
  if (d.truncated) out.note = `text cut to its first and last ${MAX_INPUT_CHARS / 2} characters`;
  return JSON.stringify(out);
}

export async function classifyCommand(index: EngineIndex, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<number> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  const lines: string[] = [];
  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    const chunk = `${lines.join('\n')}\n`;
    lines.length = 0;
    if (!output.write(chunk)) await new Promise<void>((r) => output.once('drain', () => r()));
  };
  for await (const raw of rl) {
    const line = raw.length > MAX_LINE_CHARS ? raw.slice(0, MAX_LINE_CHARS) : raw;
    if (line.trim() === '') {
      lines.push(JSON.stringify({ error: 'empty line: expected {"text": "..."}' }));
    } else if (line.length < raw.length) {
      lines.push(JSON.stringify({ error: `line longer than ${MAX_LINE_CHARS} characters` }));
    } else {
      lines.push(await classifyLine(index, line));
    }
    if (lines.length >= 256) await flush();
  }
  await flush();
  return 0;
}
