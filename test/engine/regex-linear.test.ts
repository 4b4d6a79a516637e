/**
 * Every regular expression that sees user or server text runs in linear time: property tests (fast-check) over
 * adversarial shapes (test/support/adversarial.ts), timed against an ordinary log of the same size through the same
 * code. A backtracking pattern costs 100-1000× the ordinary text at this size; the bound is loose enough for a loaded
 * machine and tight enough to catch that.
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Bot } from '../../src/bot/core.js';
import { analyze, decisiveLines } from '../../src/engine/diagnose.js';
import { compact, normalize } from '../../src/engine/normalize.js';
import { redact } from '../../src/engine/redact.js';
import { extractSignals, maskIdentifiers, maskQuoted, withoutProcessIds } from '../../src/engine/signals.js';
import { anyShape, keywordRun, ordinaryText, type Shape } from '../support/adversarial.js';
import { realIndex } from '../support/kb.js';

const SIZE = 40_000;
/** Allowed cost relative to the ordinary text, and a floor below which timing noise is not judged. */
const RATIO = 25;
const FLOOR_MS = 250;

function cost(f: (text: string) => unknown, text: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    f(text);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** The engine's regular-expression stages, as analyze runs them, without the phrase automaton. */
function stages(text: string): void {
  redact(text);
  const n = normalize(text);
  const red = redact(n.text);
  const lower = red.toLowerCase();
  extractSignals(red, lower);
  maskQuoted(maskIdentifiers(lower));
  maskIdentifiers(lower);
  withoutProcessIds(lower);
  decisiveLines(lower);
  compact(lower);
}

function bounded(name: string, f: (text: string) => unknown, shapes: fc.Arbitrary<Shape>, runs: number) {
  const ordinary = ordinaryText(SIZE);
  const yardstick = cost(f, ordinary);
  fc.assert(
    fc.property(shapes, (shape) => {
      const text = shape.build(SIZE);
      const ms = cost(f, text);
      const limit = Math.max(FLOOR_MS, RATIO * yardstick);
      expect(ms, `${name}: ${shape.kind} took ${ms.toFixed(1)} ms (${((ms * 1000) / text.length).toFixed(2)} µs/char) against ${yardstick.toFixed(1)} ms for an ordinary log`).toBeLessThan(limit);
    }),
    { numRuns: runs, seed: 20261207 },
  );
}

/** Only ASCII keys and fillers: the phrase automaton's own cost on long non-ASCII text is another matter (see the report). */
const asciiShape = anyShape.filter((s) => /^[\x00-\x7f]*$/.test(s.build(64)));

describe('regular expressions run in linear time on adversarial text', () => {
  it('normalize, redact, signals, value masking and compaction', () => {
    bounded('stages', stages, anyShape, 150);
  }, 300_000);

  it('a keyword then 40,000 of any whitespace or format character, through the same stages', () => {
    bounded('stages', stages, keywordRun, 100);
  }, 300_000);

  it('the whole diagnosis (analyze) of ASCII shapes', () => {
    const index = realIndex();
    bounded('analyze', (t) => analyze(index, t), asciiShape, 40);
  }, 300_000);

  it("the bot's own commands (language command, intents) on an addressed message", () => {
    const bot = new Bot(realIndex());
    const lang = fc.constantFrom(' ', '\t', '\u3000', '\u00a0').map((f): Shape => ({ kind: `lang+${JSON.stringify(f)}*n+x`, build: (n) => `lang${f.repeat(n)}x` }));
    bounded('bot.handle', (t) => bot.handle({ text: t, place: 'direct', addressed: true, userId: 'u', channelId: 'c' }), lang, 8);
  }, 300_000);

  it('the shapes the issue named stay cheap: x+40,000 spaces+x, パスワード+40,000 spaces, E+100,000×A', () => {
    const ordinary = cost(stages, ordinaryText(100_000));
    for (const text of [`x${' '.repeat(40_000)}x`, `パスワード${' '.repeat(40_000)}`, `E${'A'.repeat(100_000)}`, `E${'A'.repeat(100_000)}a`, `ポート${' '.repeat(40_000)}x`]) {
      expect(cost(stages, text), JSON.stringify(text.slice(0, 12))).toBeLessThan(Math.max(FLOOR_MS, RATIO * ordinary));
    }
  }, 120_000);
});
