/**
 * Whether a text is about something other than mail (knowledge/about.yaml): an error of a database, git, a web request
 * or a package manager shares its words with mail errors ("authentication failed", "certificate has expired",
 * "connection refused"), and a bot watching a channel must not answer it as a mail error. Pure.
 */
import { escapeRegExp, PRINTABLE_ASCII } from './regexp.js';
import type { AboutWords } from './types.js';

export interface AboutMatcher {
  /** The text (lower case) names something other than mail, and nothing of mail. */
  otherOnly(lower: string): boolean;
}


/** One pattern for a list's ASCII words (each standing alone), and its other words to be found anywhere. */
function finder(words: string[]): (lower: string) => boolean {
  const ascii = words.filter((w) => PRINTABLE_ASCII.test(w)).map((w) => w.toLowerCase().split(/\s+/).map(escapeRegExp).join('\\s+'));
  const other = words.filter((w) => !PRINTABLE_ASCII.test(w)).map((w) => w.normalize('NFKC').toLowerCase());
  // Longest first, so that an alternative is not cut short by a shorter word it begins with.
  ascii.sort((a, b) => b.length - a.length);
  const re = ascii.length > 0 ? new RegExp(`(?<![a-z0-9])(?:${ascii.join('|')})(?![a-z0-9])`) : null;
  return (lower) => (re !== null && re.test(lower)) || other.some((w) => lower.includes(w));
}

export function aboutMatcher(words: AboutWords): AboutMatcher {
  const mail = finder(words.mail);
  const other = finder(words.other);
  return { otherOnly: (lower) => other(lower) && !mail(lower) };
}
