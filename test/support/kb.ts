import { buildIndex, type EngineIndex } from '../../src/engine/index.js';
import { loadKnowledge } from '../../src/knowledge/load.js';

let cached: EngineIndex | undefined;

/** The real knowledge base, compiled once per test file. */
export function realIndex(): EngineIndex {
  cached ??= buildIndex(loadKnowledge());
  return cached;
}
