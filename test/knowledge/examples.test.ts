// Each entry's examples are tests: a real-world text must be diagnosed as the entry's category, and spoken up for.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { realIndex } from '../support/kb.js';

const index = realIndex();

describe.each(index.kb.entries.map((e) => [e.id, e] as const))('entry %s', (_id, entry) => {
  it.each(entry.examples.map((x) => [x]))('diagnoses its example: %s', (example) => {
    const d = diagnose(index, example);
    expect(d.category, `${entry.file}: "${example}" → ${d.entry?.id ?? 'unknown'}`).toBe(entry.category);
    expect(d.respond).toBe(true);
  });
});
