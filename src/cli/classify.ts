/**
 * `smtp-doctor classify --jsonl`: the evaluation contract. One JSON object a line in, exactly one JSON line out,
 * in order; a bad line yields {"error": ...} on its line and the run goes on.
 */
import type { EngineIndex } from '../engine/index.js';
// Only a type from the bounce reader: the module itself is loaded at the first line that is a message.
import type { ClassifyAnswer } from '../engine/bounce.js';
import { classify } from '../engine/diagnose.js';
import { looksLikeMessage } from '../engine/message.js';
import { MAX_INPUT_CHARS } from '../engine/normalize.js';

/** Longest line read; longer ones are cut, and the answer says so. */
const MAX_LINE_CHARS = 4 * MAX_INPUT_CHARS;

/** A line's answer; a promise only for a whole message, which is parsed as MIME first (most lines stay synchronous). */
export function classifyLine(index: EngineIndex, line: string): string | Promise<string> {
  let text: unknown;
  try {
    const parsed: unknown = JSON.parse(line);
    text = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>).text : undefined;
  } catch {
    return JSON.stringify({ error: 'not valid JSON: expected {"text": "..."}' });
  }
  if (typeof text !== 'string') return JSON.stringify({ error: 'missing "text" (a string)' });
  // A whole bounce is judged by what its failed recipients' servers said, not by the rest of the message; its
  // structure (the SMTP command refused, the status code) decides where it says more than the words. The bounce
  // reader (MIME and HTML parsers, ~11 MB resident) is loaded at the first line that is a message, not at start.
  if (looksLikeMessage(text)) {
    const message = text;
    return import('../engine/bounce.js').then(async ({ bounceReadFor, overruleAnswer }) => {
      const read = await bounceReadFor(index, message);
      const d = classify(index, read?.text ?? message);
      return answer(read?.answer ? overruleAnswer(d, read.answer) : d);
    });
  }
  return answer(classify(index, text));
}

function answer(d: ClassifyAnswer): string {
  const out: Record<string, unknown> = { category: d.category, confidence: d.confidence, respond: d.respond, entry: d.entry };
  if (d.truncated) out.note = `text cut to its first and last ${MAX_INPUT_CHARS / 2} characters`;
  return JSON.stringify(out);
}

/** Answers written at a time (see classifyCommand). */
const FLUSH_LINES = 32;

/** Bytes of input decoded at a time (see readLines). */
const DECODE_PIECE = 4096;

/**
 * The input's lines: split on LF only (JSON Lines; a lone CR inside a line is part of it, where readline would cut
 * it in two), the CR of a CRLF and a UTF-8 BOM at a line's start dropped, bytes joined before decoding. A line longer
 * than `max` comes out as null, and is not held in memory past that length.
 */
export async function* readLines(input: NodeJS.ReadableStream, max: number): AsyncGenerator<string | null> {
  const decoder = new TextDecoder('utf-8');
  let parts: string[] = [];
  let length = 0;
  let overlong = false;
  const finish = (): string | null => {
    const line = parts.join('');
    parts = [];
    length = 0;
    if (overlong) {
      overlong = false;
      return null;
    }
    return line.replace(/^\uFEFF/, '').replace(/\r$/, '');
  };
  const take = function* (text: string): Generator<string | null> {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      add(text.slice(from, nl));
      from = nl + 1;
      yield finish();
    }
    add(text.slice(from));
  };
  const add = (piece: string): void => {
    if (overlong || piece === '') return;
    // One more than `max` so that a CRLF line of exactly `max` characters still fits.
    if (length + piece.length > max + 1) {
      overlong = true;
      parts = [];
      return;
    }
    parts.push(piece);
    length += piece.length;
  };
  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      yield* take(chunk);
      continue;
    }
    // Decoded a piece at a time: a chunk's text stays alive while its lines are answered, and a whole chunk (64 kB,
    // some 400 lines) outlived two young-generation collections and was promoted to the old one with every line
    // sliced from it; garbage that only a full collection frees, and which raised the peak RSS of a long run.
    const bytes = chunk as Uint8Array;
    for (let at = 0; at < bytes.length; at += DECODE_PIECE) yield* take(decoder.decode(bytes.subarray(at, at + DECODE_PIECE), { stream: true }));
  }
  yield* take(decoder.decode());
  if (length > 0 || overlong) yield finish();
}

export async function classifyCommand(index: EngineIndex, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<number> {
  const lines: string[] = [];
  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    const chunk = `${lines.join('\n')}\n`;
    lines.length = 0;
    if (!output.write(chunk)) await new Promise<void>((r) => output.once('drain', () => r()));
  };
  for await (const raw of readLines(input, MAX_LINE_CHARS)) {
    const line = raw ?? '';
    if (raw === null) {
      lines.push(JSON.stringify({ error: `line longer than ${MAX_LINE_CHARS} characters` }));
    } else if (line.trim() === '') {
      lines.push(JSON.stringify({ error: 'empty line: expected {"text": "..."}' }));
    } else if (line.length > MAX_LINE_CHARS) {
      lines.push(JSON.stringify({ error: `line longer than ${MAX_LINE_CHARS} characters` }));
    } else {
      const out = classifyLine(index, line);
      lines.push(typeof out === 'string' ? out : await out);
    }
    // Written every few lines: answers held for 256 lines outlived young-generation collections and were promoted,
    // like the input's chunks (see readLines); the writes stay few (one per ~3 kB).
    if (lines.length >= FLUSH_LINES) await flush();
  }
  await flush();
  return 0;
}
