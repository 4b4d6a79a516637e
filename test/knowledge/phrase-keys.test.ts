import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/engine/index.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

describe('phrase keys precomputed by the knowledge snapshot', () => {
  const kb = loadKnowledge();
  const fresh = buildIndex(kb, { model: null });

  it('give the index the phrases, keys and targets it would compute itself', () => {
    const stored = JSON.parse(JSON.stringify(Object.fromEntries(fresh.phraseKeys))) as Record<string, string>;
    const fromKeys = buildIndex({ ...kb, phraseKeys: stored }, { model: null });
    expect(fromKeys.phrases).toEqual(fresh.phrases);
    expect(fromKeys.context).toEqual(fresh.context);
    expect(fresh.phraseKeys.size).toBeGreaterThan(2000);
  });

  it('are only a shortcut: a phrase the stored keys lack is keyed as usual', () => {
    const partial = Object.fromEntries([...fresh.phraseKeys].slice(0, 100));
    expect(buildIndex({ ...kb, phraseKeys: partial }, { model: null }).phrases).toEqual(fresh.phrases);
  });
});
