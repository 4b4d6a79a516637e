import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/engine/index.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

describe('phrase keys precomputed by the knowledge snapshot', () => {
  const kb = loadKnowledge();
  const keys = new Map<string, string>();
  const fresh = buildIndex(kb, { model: null, keys });

  it('give the index the phrases, keys and targets it would compute itself', () => {
    const stored = JSON.parse(JSON.stringify(Object.fromEntries(keys))) as Record<string, string>;
    const fromKeys = buildIndex({ ...kb, phraseKeys: stored }, { model: null });
    expect(fromKeys.phrases).toEqual(fresh.phrases);
    expect(fromKeys.context).toEqual(fresh.context);
    expect(keys.size).toBeGreaterThan(2000);
  });

  it('are only a shortcut: a phrase the stored keys lack is keyed as usual', () => {
    const partial = Object.fromEntries([...keys].slice(0, 100));
    expect(buildIndex({ ...kb, phraseKeys: partial }, { model: null }).phrases).toEqual(fresh.phrases);
  });
});
