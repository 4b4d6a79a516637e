/**
 * Whether a text is a whole Internet message: the one test a line needs before the bounce reader (src/engine/bounce.ts,
 * with its MIME and HTML parsers) is worth loading. Kept apart so that `classify --jsonl`, whose lines are almost
 * never messages, loads that reader, and its packages, only for a line that is one.
 */

/** A header field line: its name, a colon, its value. */
export const FIELD = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$/;

/** Whether a text starts as an Internet message does: a header block before the first blank line. */
export function looksLikeMessage(text: string): boolean {
  const head = text.slice(0, 4000).replace(/^\uFEFF/, '').replace(/^From [^\n]*\n/, '');
  const end = head.search(/\r?\n\r?\n/);
  const block = end >= 0 ? head.slice(0, end) : head;
  const names = block.split(/\r?\n/).filter((l) => FIELD.test(l)).map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
  return names.length >= 2 && names.some((n) => ['from', 'to', 'subject', 'date', 'received', 'return-path', 'message-id', 'content-type', 'mime-version'].includes(n));
}
