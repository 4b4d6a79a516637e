/**
 * The entry examples' postings as `npm run build` stores them: read back, they are the postings made from the
 * examples; bytes or entries that do not fit the header are no postings (they are made anew).
 */
import { describe, expect, it } from 'vitest';
import { makeExampleIndex } from '../../src/engine/diagnose.js';
import { examplesFromBytes, examplesToBytes, type ExampleIndex } from '../../src/engine/examples.js';
import type { CategoryId } from '../../src/engine/types.js';
import { realIndex } from '../support/kb.js';

function plain(m: Map<CategoryId, ExampleIndex>): unknown {
  return [...m].map(([c, x]) => [c, x.entries.map((e) => e.id), [...x.sizes], [...x.keys], [...x.starts], [...x.ids]]);
}

describe('stored example postings', () => {
  const index = realIndex();
  const made = makeExampleIndex(index);
  const { header, bytes } = examplesToBytes(made, index.kb.entries);

  it('read back, are the postings made from the examples', () => {
    const read = examplesFromBytes(header, bytes, index.kb.entries);
    expect(read).not.toBeNull();
    expect(plain(read!)).toEqual(plain(made));
    // Every category with examples, and every example of the knowledge base, is in them.
    const examples = index.kb.entries.reduce((n, e) => n + e.examples.length, 0);
    expect([...read!.values()].reduce((n, x) => n + x.entries.length, 0)).toBe(examples);
  });

  it('are refused when the bytes or the entries do not fit the header', () => {
    expect(examplesFromBytes(header, bytes.subarray(0, bytes.length - 4), index.kb.entries)).toBeNull();
    const first = header.categories[0]!;
    const moved = { categories: [{ ...first, category: first.category === 'auth-failed' ? 'relay-denied' : 'auth-failed' } as typeof first, ...header.categories.slice(1)] };
    expect(examplesFromBytes(moved, bytes, index.kb.entries)).toBeNull();
    expect(examplesFromBytes(header, bytes, index.kb.entries.slice(0, 3))).toBeNull();
  });
});
