/**
 * Aho–Corasick over UTF-16 code units, kept in typed arrays.
 *
 * The texts it runs on are already NFKC-normalised, lower-cased and compacted, so code units are the right alphabet:
 * no grapheme segmentation is needed, and a few flat arrays replace an object per trie node, which keeps start-up
 * and memory small (the automaton is built at every start) and the scan cheap.
 *
 * Layout: nodes are numbered in breadth-first order with each node's children consecutive and sorted by code unit,
 * so the children of node u are the nodes firstChild[u] .. firstChild[u+1]-1 and the code unit on the edge into a
 * node is label[node]: no separate edge-target array. The root's transitions are a dense table over all 65,536 code
 * units, since every character of a text not inside a phrase goes through the root.
 */

/** Children searched one by one below this many; by bisection from it on. */
const LINEAR_CHILDREN = 8;

import { pack, Unpacker } from './packed.js';

export type HitHandler = (start: number, patternIndex: number) => void;

/** The automaton's arrays: what `npm run build` stores beside the knowledge snapshot, so that a start need not build them. */
export interface AutomatonTables {
  /** How many patterns it was built from (one more check that it belongs to the patterns at hand). */
  patterns: number;
  label: Uint16Array;
  firstChild: Int32Array;
  fail: Int32Array;
  dict: Int32Array;
  pattern: Int32Array;
  samePattern: Int32Array;
  depth: Int32Array;
}

/**
 * Where a knowledge base read from the snapshot keeps the stored tables of its phrases' automaton (a function that
 * reads them), as model.ts's ROW_BYTES keeps the model's rows.
 */
export const AUTOMATON_TABLES = Symbol.for('smtp-doctor.automaton.tables');

/**
 * The tables as bytes (packed.ts): the two counts, then the arrays, whose lengths the counts give (nodes: label, fail,
 * dict, pattern, depth; nodes + 1: firstChild; patterns: samePattern).
 */
export function tablesToBytes(t: AutomatonTables): Buffer {
  return pack([Int32Array.of(t.patterns, t.label.length), t.label, t.firstChild, t.fail, t.dict, t.pattern, t.samePattern, t.depth]);
}

/** The tables read back from `tablesToBytes`. */
export function tablesFromBytes(bytes: Uint8Array): AutomatonTables {
  const r = new Unpacker(bytes);
  const [patterns = 0, nodes = 0] = r.i32(2);
  const t = { patterns, label: r.u16(nodes), firstChild: r.i32(nodes + 1), fail: r.i32(nodes), dict: r.i32(nodes), pattern: r.i32(nodes), samePattern: r.i32(patterns), depth: r.i32(nodes) };
  if (!r.done) throw new RangeError('automaton tables: not the layout tablesToBytes writes');
  return t;
}

export class Automaton {
  private readonly label: Uint16Array;
  private readonly firstChild: Int32Array;
  private readonly fail: Int32Array;
  /** The nearest node on the failure chain (excluding the node itself) that ends a pattern; 0 when none. */
  private readonly dict: Int32Array;
  /** First pattern ending at the node, -1 when none; further patterns with the same text follow in `samePattern`. */
  private readonly pattern: Int32Array;
  private readonly samePattern: Int32Array;
  private readonly depth: Int32Array;
  private readonly rootNext: Int32Array;
  private readonly patternCount: number;

  /**
   * From the patterns, or from stored tables (`tables()` of an automaton over the same patterns: no trie, no failure
   * links to make). Empty patterns are refused: they would match between every two code units and say nothing.
   */
  constructor(source: readonly string[] | AutomatonTables) {
    if (!Array.isArray(source)) {
      const t = source as AutomatonTables;
      this.patternCount = t.patterns;
      this.label = t.label;
      this.firstChild = t.firstChild;
      this.fail = t.fail;
      this.dict = t.dict;
      this.pattern = t.pattern;
      this.samePattern = t.samePattern;
      this.depth = t.depth;
      this.rootNext = rootTable(t.label, t.firstChild);
      return;
    }
    const patterns = source as readonly string[];
    this.patternCount = patterns.length;
    // Equal patterns share a node; the later ones are chained to the first in input order.
    const firstOf = new Map<string, number>();
    const samePattern = new Int32Array(patterns.length).fill(-1);
    const lastSame = new Int32Array(patterns.length);
    let total = 1;
    let longest = 0;
    patterns.forEach((p, i) => {
      if (p.length === 0) throw new RangeError('Automaton: empty pattern');
      const head = firstOf.get(p);
      if (head === undefined) {
        firstOf.set(p, i);
        lastSame[i] = i;
        total += p.length;
        if (p.length > longest) longest = p.length;
      } else {
        samePattern[lastSame[head]!] = i;
        lastSame[head] = i;
      }
    });
    // Sorted by code units (the default order), each pattern shares its prefix with the one before it, so the trie
    // is built by walking back along the previous pattern's path: no lookups while building.
    const sorted = [...firstOf.keys()].sort();

    // Pass 1: the trie in insertion (depth-first) order, children as sorted sibling lists.
    const tLabel = new Uint16Array(total);
    const tFirst = new Int32Array(total).fill(-1);
    const tLast = new Int32Array(total).fill(-1);
    const tNext = new Int32Array(total).fill(-1);
    const tPattern = new Int32Array(total).fill(-1);
    const path = new Int32Array(longest + 1);
    let nodes = 1;
    let prev = '';
    for (const p of sorted) {
      let shared = 0;
      const limit = Math.min(p.length, prev.length);
      while (shared < limit && p.charCodeAt(shared) === prev.charCodeAt(shared)) shared++;
      for (let d = shared; d < p.length; d++) {
        const parent = path[d]!;
        const node = nodes++;
        tLabel[node] = p.charCodeAt(d);
        if (tLast[parent]! < 0) tFirst[parent] = node;
        else tNext[tLast[parent]!] = node;
        tLast[parent] = node;
        path[d + 1] = node;
      }
      tPattern[path[p.length]!] = firstOf.get(p)!;
      prev = p;
    }

    // Pass 2: renumber breadth-first, so that each node's children are consecutive and in code-unit order.
    const label = new Uint16Array(nodes);
    const firstChild = new Int32Array(nodes + 1);
    const pattern = new Int32Array(nodes);
    const depth = new Int32Array(nodes);
    const queue = new Int32Array(nodes);
    queue[0] = 0;
    let tail = 1;
    for (let head = 0; head < nodes; head++) {
      const old = queue[head]!;
      pattern[head] = tPattern[old]!;
      label[head] = tLabel[old]!;
      firstChild[head] = tail;
      for (let c = tFirst[old]!; c >= 0; c = tNext[c]!) {
        depth[tail] = depth[head]! + 1;
        queue[tail++] = c;
      }
    }
    firstChild[nodes] = nodes;

    this.label = label;
    this.firstChild = firstChild;
    this.pattern = pattern;
    this.samePattern = samePattern;
    this.depth = depth;
    this.rootNext = rootTable(label, firstChild);

    // Pass 3: failure and dictionary links, parents before children (breadth-first order is node order).
    const fail = new Int32Array(nodes);
    const dict = new Int32Array(nodes);
    this.fail = fail;
    this.dict = dict;
    for (let u = 1; u < nodes; u++) {
      const end = firstChild[u + 1]!;
      for (let v = firstChild[u]!; v < end; v++) {
        const f = this.step(fail[u]!, label[v]!);
        fail[v] = f;
        dict[v] = pattern[f]! >= 0 ? f : dict[f]!;
      }
    }
  }

  /** The arrays to store (see AutomatonTables). */
  tables(): AutomatonTables {
    const { patternCount: patterns, label, firstChild, fail, dict, pattern, samePattern, depth } = this;
    return { patterns, label, firstChild, fail, dict, pattern, samePattern, depth };
  }

  /** Calls `onHit` for every occurrence of every pattern, overlapping ones included, in order of where they end
   * (longer first among those ending together); `start` is in UTF-16 code units. */
  scan(text: string, onHit: HitHandler): void {
    const { dict, pattern, samePattern, depth } = this;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      state = this.step(state, text.charCodeAt(i));
      for (let o = pattern[state]! >= 0 ? state : dict[state]!; o !== 0; o = dict[o]!) {
        const start = i + 1 - depth[o]!;
        for (let p = pattern[o]!; p >= 0; p = samePattern[p]!) onHit(start, p);
      }
    }
  }

  /** The state after reading code unit `c` in `state`, following failure links where there is no edge. */
  private step(state: number, c: number): number {
    const { label, firstChild, fail } = this;
    for (;;) {
      if (state === 0) return this.rootNext[c]!;
      let lo = firstChild[state]!;
      const hi = firstChild[state + 1]!;
      if (hi - lo < LINEAR_CHILDREN) {
        for (; lo < hi; lo++) if (label[lo] === c) return lo;
      } else {
        const t = this.bisect(lo, hi, c);
        if (t >= 0) return t;
      }
      state = fail[state]!;
    }
  }

  private bisect(lo: number, hi: number, c: number): number {
    const label = this.label;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = label[mid]!;
      if (m === c) return mid;
      if (m < c) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }
}

/** The root's transitions as a dense table over all code units: its children are nodes firstChild[0] .. firstChild[1]-1. */
function rootTable(label: Uint16Array, firstChild: Int32Array): Int32Array {
  const rootNext = new Int32Array(65536);
  for (let c = firstChild[0]!; c < firstChild[1]!; c++) rootNext[label[c]!] = c;
  return rootNext;
}
