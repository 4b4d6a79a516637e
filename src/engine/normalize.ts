/**
 * Text normalisation. Everything downstream matches on these forms, so full-width `ＳＭＴＰ ５８７`, odd spacing,
 * control bytes and broken surrogates never change an answer.
 */

/** Pastes longer than this are cut to their first and last halves of it (with a note) before any work is done. */
export const MAX_INPUT_CHARS = 1_000_000;

// Control characters other than tab and newline, and lone surrogates (what invalid UTF-8 becomes after a bad decode).
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Invisible format characters (zero-width joiners and spaces, word joiner, soft hyphen, bidi marks, BOM) go entirely:
// "Rel\u200Day" is "Relay", not "Rel ay".
const FORMAT = /\p{Cf}/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const NOT_PLAIN_ASCII = /[^\x20-\x7e\n\t]/;

export interface Normalized {
  /** Cleaned text: NFKC, LF line ends, no control characters; case kept. */
  text: string;
  /** `text` in lower case. */
  lower: string;
  truncated: boolean;
}

export function normalize(input: string): Normalized {
  let text = input;
  let truncated = false;
  if (text.length > MAX_INPUT_CHARS) {
    // Logs end with the failure as often as they start with it: keep both ends.
    const half = MAX_INPUT_CHARS / 2;
    text = `${text.slice(0, half)}\n…\n${text.slice(-half)}`;
    truncated = true;
  }
  // Printable ASCII with LF and tab is already in normal form: most log lines skip the six passes below.
  if (!NOT_PLAIN_ASCII.test(text)) return { text, lower: text.toLowerCase(), truncated };
  text = text
    .replace(LONE_SURROGATE, '\uFFFD')
    .normalize('NFKC')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, ' ')
    .replace(FORMAT, '')
    .replace(/[\u00A0\u2000-\u200A\u3000]/g, ' ');
  return { text, lower: text.toLowerCase(), truncated };
}

// Spaces, punctuation, symbols and the long-vowel mark go: "Relay-access  denied" = "relayaccessdenied", サーバー = サーバ.
const NOT_COMPACT = /[\s\p{P}\p{S}ー－～〜・]+/gu;

/** The last text made compact, and its compact form: a paste's reading asks for the same one up to three times. */
let lastLower: string | undefined;
let lastCompact = '';

/** The form phrases are matched in. Apply to already-normalised (lower-case) text and to phrases alike. */
export function compact(lower: string): string {
  if (lower !== lastLower) {
    lastCompact = lower.replace(NOT_COMPACT, '');
    lastLower = lower;
  }
  return lastCompact;
}

const JA_CHARS = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/gu;

/** Japanese when the text has Japanese in it (a Japanese dialog quoting an English server reply is still Japanese). */
export function detectLang(text: string): 'ja' | 'en' {
  let n = 0;
  for (const _ of text.matchAll(JA_CHARS)) {
    if (++n >= 2) return 'ja';
  }
  return 'en';
}
