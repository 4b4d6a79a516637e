/** A text to be matched literally inside a regular expression built from data (phrases, provider names, action ids). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Printable ASCII only: such a word of the knowledge base must stand alone ("au" is not in "because"). */
export const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
