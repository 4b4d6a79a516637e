/**
 * The entry examples' postings (diagnose.ts `exampleIndex`: which examples of a category have each feature), as bytes:
 * `npm run build` stores them beside the knowledge snapshot, so that the first answer the model alone gives in a process
 * does not read every example first (~250 ms).
 */
import type { CategoryId, KnowledgeEntry } from './types.js';

export interface ExampleIndex {
  entries: KnowledgeEntry[];
  sizes: Uint16Array;
  /** Distinct feature hashes, ascending. */
  keys: Uint32Array;
  /** The examples of keys[k] are ids[starts[k]] .. ids[starts[k + 1] - 1]. */
  starts: Uint32Array;
  ids: Uint16Array;
}

/**
 * Where a knowledge base read from the snapshot keeps the stored postings (a function that reads them), as
 * automaton.ts's AUTOMATON_TABLES keeps the phrases' automaton.
 */
export const EXAMPLE_TABLES = Symbol.for('smtp-doctor.examples.tables');

/** What the bytes do not say: each category's examples, as indexes of their entries in the knowledge base. */
export interface ExampleHeader {
  categories: { category: CategoryId; entries: number[]; keys: number; ids: number }[];
}

/** Each array padded to four bytes, in the machine's own byte order (the file is read where it is built). */
export function examplesToBytes(index: Map<CategoryId, ExampleIndex>, entries: readonly KnowledgeEntry[]): { header: ExampleHeader; bytes: Buffer } {
  const parts: Uint8Array[] = [];
  const add = (a: Uint16Array | Uint32Array): void => {
    parts.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    if (a.byteLength % 4 !== 0) parts.push(new Uint8Array(4 - (a.byteLength % 4)));
  };
  const categories: ExampleHeader['categories'] = [];
  for (const [category, ex] of index) {
    categories.push({ category, entries: ex.entries.map((e) => entries.indexOf(e)), keys: ex.keys.length, ids: ex.ids.length });
    add(ex.sizes);
    add(ex.keys);
    add(ex.starts);
    add(ex.ids);
  }
  return { header: { categories }, bytes: Buffer.concat(parts) };
}

/** The postings read back; null when the bytes or the entries do not fit the header (then they are made anew). */
export function examplesFromBytes(header: ExampleHeader, bytes: Uint8Array, entries: readonly KnowledgeEntry[]): Map<CategoryId, ExampleIndex> | null {
  const out = new Map<CategoryId, ExampleIndex>();
  let at = 0;
  const take = (length: number, width: 2 | 4): ArrayBuffer => {
    const buffer = bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + length * width) as ArrayBuffer;
    at += (length * width + 3) & ~3;
    return buffer;
  };
  for (const c of header.categories) {
    const mine = c.entries.map((i) => entries[i]);
    if (mine.some((e) => e === undefined || e.category !== c.category)) return null;
    const sizes = new Uint16Array(take(c.entries.length, 2));
    const keys = new Uint32Array(take(c.keys, 4));
    const starts = new Uint32Array(take(c.keys + 1, 4));
    const ids = new Uint16Array(take(c.ids, 2));
    out.set(c.category, { entries: mine as KnowledgeEntry[], sizes, keys, starts, ids });
  }
  return at === bytes.byteLength ? out : null;
}
