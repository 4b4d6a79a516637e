// The dev corpus of real messages, held to the thresholds of the issue. The engine is also judged on unseen messages,
// so this guards against regressions; it is not what the knowledge base is tuned to.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { readCorpus } from '../support/corpus.js';
import { realIndex } from '../support/kb.js';

const index = realIndex();
const positives = readCorpus('dev-positive.jsonl');
const negatives = readCorpus('dev-negative.jsonl');

describe('dev corpus', () => {
  it('names an accepted category first for at least 95% of real errors', () => {
    const misses = positives.filter((c) => !c.accept.includes(diagnose(index, c.text).category));
    const rate = 1 - misses.length / positives.length;
    expect(rate, `top-1 ${rate.toFixed(3)}; misses:\n${misses.map((m) => `  [${m.accept.join('|')}] ${m.text.slice(0, 100)}`).join('\n')}`).toBeGreaterThanOrEqual(0.95);
  });

  it('speaks up unasked for at least 90% of real errors', () => {
    const silent = positives.filter((c) => !diagnose(index, c.text).respond);
    expect(1 - silent.length / positives.length).toBeGreaterThanOrEqual(0.9);
  });

  it('stays silent for at least 97% of ordinary chat', () => {
    const spoken = negatives.filter((c) => diagnose(index, c.text).respond);
    expect(spoken.length / negatives.length, spoken.map((c) => c.text).join('\n')).toBeLessThanOrEqual(0.03);
  });

  it('answers in the language of the message', () => {
    for (const c of positives) expect(diagnose(index, c.text).lang, c.text).toBe(c.lang);
  });
});

// Real messages collected apart from the dev corpus (test/fixtures/realworld*.jsonl, each with its source). The
// second was scored before any tuning (top-1 0.772): the best estimate of how the engine does on unseen messages.
// ja-variants.jsonl is written, not collected: many Japanese wordings of each error (and ja chat), held to the same bar.
// holdout-3.jsonl scored top-1 0.888 before it was used for tuning; ja-variants-2.jsonl 0.954; holdout-4.jsonl 0.859 (see the commits).
describe.each(['realworld.jsonl', 'realworld-2.jsonl', 'ja-variants.jsonl', 'ja-variants-2.jsonl', 'holdout-3.jsonl', 'holdout-6.jsonl', 'holdout-4.jsonl', 'holdout-5.jsonl', 'holdout-7b.jsonl', 'holdout-7a.jsonl'])('corpus %s', (file) => {
  const cases = readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; accept: string[] });
  const pos = cases.filter((c) => !(c.accept.length === 1 && c.accept[0] === 'unknown'));
  const neg = cases.filter((c) => c.accept.length === 1 && c.accept[0] === 'unknown');

  it('names an accepted category for at least 94% and speaks up for at least 90% of the errors', () => {
    const answers = pos.map((c) => ({ c, d: diagnose(index, c.text) }));
    const misses = answers.filter(({ c, d }) => !c.accept.includes(d.category));
    expect(1 - misses.length / pos.length, misses.map(({ c, d }) => `[${c.accept.join('|')}] ${d.category}: ${c.text.slice(0, 90)}`).join('\n')).toBeGreaterThanOrEqual(0.94);
    expect(answers.filter(({ d }) => d.respond).length / pos.length).toBeGreaterThanOrEqual(0.9);
  });

  it('stays silent for at least 97% of the chat lines', () => {
    const spoken = neg.filter((c) => diagnose(index, c.text).respond);
    expect(spoken.length / neg.length, spoken.map((c) => c.text).join('\n')).toBeLessThanOrEqual(0.03);
  });
});
