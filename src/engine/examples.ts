/**
 * The entry examples' postings (diagnose.ts `exampleIndex`: which examples of a category have each feature), as bytes:
 * `npm run build` stores them beside the knowledge snapshot, so that the first answer the model alone gives in a process
 * does not read every example first (~250 ms).
 */
import { pack, Unpacker, type Packable } from './packed.js';
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

/** The postings as bytes (packed.ts), and the header that gives their lengths. */
export function examplesToBytes(index: Map<CategoryId, ExampleIndex>, entries: readonly KnowledgeEntry[]): { header: ExampleHeader; bytes: Buffer } {
  const categories: ExampleHeader['categories'] = [];
  const arrays: Packable[] = [];
  for (const [category, ex] of index) {
    categories.push({ category, entries: ex.entries.map((e) => entries.indexOf(e)), keys: ex.keys.length, ids: ex.ids.length });
    arrays.push(ex.sizes, ex.keys, ex.starts, ex.ids);
  }
  return { header: { categories }, bytes: pack(arrays) };
}

/** The postings read back; null when the bytes or the entries do not fit the header (then they are made anew). */
export function examplesFromBytes(header: ExampleHeader, bytes: Uint8Array, entries: readonly KnowledgeEntry[]): Map<CategoryId, ExampleIndex> | null {
  const out = new Map<CategoryId, ExampleIndex>();
  const r = new Unpacker(bytes);
  for (const c of header.categories) {
    const mine = c.entries.map((i) => entries[i]);
    if (mine.some((e) => e === undefined || e.category !== c.category)) return null;
    out.set(c.category, { entries: mine as KnowledgeEntry[], sizes: r.u16(c.entries.length), keys: r.u32(c.keys), starts: r.u32(c.keys + 1), ids: r.u16(c.ids) });
  }
  return r.done ? out : null;
}
