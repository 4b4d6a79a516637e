import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Automaton, tablesFromBytes, tablesToBytes } from '../../src/engine/automaton.js';
import { compact, normalize } from '../../src/engine/normalize.js';
import { FIXTURES, readCorpus } from '../support/corpus.js';
import { realIndex } from '../support/kb.js';

type Hit = [start: number, patternIndex: number];

function scan(a: Automaton, text: string): Hit[] {
  const hits: Hit[] = [];
  a.scan(text, (start, patternIndex) => hits.push([start, patternIndex]));
  return hits;
}

/** Every occurrence by indexOf, in the automaton's documented order: by end, longer first, then input order. */
function naive(patterns: readonly string[], text: string): Hit[] {
  const hits: Hit[] = [];
  patterns.forEach((p, i) => {
    for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) hits.push([at, i]);
  });
  const len = (h: Hit) => patterns[h[1]]!.length;
  return hits.sort((x, y) => x[0] + len(x) - (y[0] + len(y)) || len(y) - len(x) || x[1] - y[1]);
}

describe('Automaton', () => {
  it('reports overlapping and nested patterns, each with its start', () => {
    const a = new Automaton(['he', 'she', 'his', 'hers']);
    expect(scan(a, 'ushers')).toEqual([[1, 1], [2, 0], [2, 3]]);
    expect(scan(a, 'ahishers')).toEqual([[1, 2], [3, 1], [4, 0], [4, 3]]);
  });

  it('reports a pattern that is a suffix of another where both end', () => {
    const a = new Automaton(['abcd', 'cd', 'd', 'bcx']);
    expect(scan(a, 'xabcdbcx')).toEqual([[1, 0], [3, 1], [4, 2], [5, 3]]);
  });

  it('matches Japanese text, with starts in UTF-16 code units', () => {
    const patterns = ['認証に失敗', '失敗しました', '送信サーバ', 'サーバで'];
    const text = '送信サーバで認証に失敗しました';
    expect(scan(new Automaton(patterns), text)).toEqual([[0, 2], [2, 3], [6, 0], [9, 1]]);
  });

  it('counts a surrogate pair as two code units', () => {
    const patterns = ['😀y', '𠮷', 'y𠮷z'];
    const text = 'x😀y𠮷z😀y';
    expect(scan(new Automaton(patterns), text)).toEqual([[1, 0], [4, 1], [3, 2], [7, 0]]);
    expect(scan(new Automaton(patterns), text)).toEqual(naive(patterns, text));
  });

  it('finds nothing in an empty text or with no patterns', () => {
    expect(scan(new Automaton(['a', 'ab']), '')).toEqual([]);
    expect(scan(new Automaton([]), 'abc')).toEqual([]);
  });

  it('reports every copy of a repeated pattern, in input order', () => {
    expect(scan(new Automaton(['ab', 'b', 'ab']), 'abab')).toEqual([[0, 0], [0, 2], [1, 1], [2, 0], [2, 2], [3, 1]]);
  });

  it('refuses an empty pattern with a clear error', () => {
    expect(() => new Automaton(['a', ''])).toThrow(/empty pattern/);
  });

  // A small alphabet makes shared prefixes, suffixes and failure chains common; the pair and the kanji cover
  // code units outside ASCII and past the root's first children.
  const unit = fc.constantFrom('a', 'b', 'c', '失', '😀');
  const word = fc.string({ unit, minLength: 1, maxLength: 6 });
  const text = fc.string({ unit, maxLength: 80 });

  it('finds exactly what indexOf finds, for random distinct patterns and texts', () => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 25 }), text, (patterns, t) => {
        expect(scan(new Automaton(patterns), t)).toEqual(naive(patterns, t));
      }),
      { numRuns: 500 },
    );
  });

  it('finds exactly what indexOf finds when patterns repeat', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 25 }), text, (patterns, t) => {
        expect(scan(new Automaton(patterns), t)).toEqual(naive(patterns, t));
      }),
      { numRuns: 300 },
    );
  });

  it('finds the same from its stored tables as when built, and refuses bytes of another layout', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 25 }), text, (patterns, t) => {
        const bytes = tablesToBytes(new Automaton(patterns).tables());
        expect(scan(new Automaton(tablesFromBytes(bytes)), t)).toEqual(naive(patterns, t));
      }),
      { numRuns: 300 },
    );
    const bytes = tablesToBytes(new Automaton(['he', 'she']).tables());
    expect(() => tablesFromBytes(bytes.subarray(0, bytes.length - 4))).toThrow(/not the layout/);
  });
});

describe('the knowledge base automaton', () => {
  it('finds every phrase indexOf finds in each fixture text (compact form)', () => {
    const index = realIndex();
    const patterns = index.phrases.map((p) => p.key);
    const texts: string[] = [];
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl'))) {
      for (const c of readCorpus(file)) texts.push(index.canon(compact(normalize(c.text).lower)));
    }
    expect(texts.length).toBeGreaterThan(1000);
    // Compact forms have no line breaks, so one scan of all texts joined by them finds what a scan of each finds
    // (shifted by the text's offset), with one indexOf pass per phrase instead of one per phrase and text.
    expect(patterns.filter((p) => p.includes('\n'))).toEqual([]);
    expect(texts.filter((t) => t.includes('\n'))).toEqual([]);
    const all = texts.join('\n');
    const got = scan(index.automaton, all);
    const want = naive(patterns, all);
    // The first difference, named by phrase and text (a diff of two 20,000-element arrays helps nobody).
    const n = Math.max(got.length, want.length);
    let bad = 0;
    while (bad < n && got[bad]?.[0] === want[bad]?.[0] && got[bad]?.[1] === want[bad]?.[1]) bad++;
    const show = (h: Hit | undefined) => (h ? `"${patterns[h[1]]}" at ${h[0]}` : 'nothing');
    const at = Math.min(got[bad]?.[0] ?? Infinity, want[bad]?.[0] ?? Infinity);
    const text = all.slice(all.lastIndexOf('\n', at) + 1).split('\n', 1)[0] ?? '';
    expect(bad, `hit ${bad}: automaton ${show(got[bad])}, indexOf ${show(want[bad])}, in "${text.slice(0, 120)}"`).toBe(n);
    // The fixtures are error messages: a knowledge base that matched almost nothing would be broken.
    expect(got.length).toBeGreaterThan(1000);
  });
});
