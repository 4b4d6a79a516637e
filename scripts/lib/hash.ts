/** The hash a model records of its inputs: the labelled cases and the code and data that turn a text into features. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LabelledCase } from './cases.js';

/** Everything that turns a paste into the model's features, and the trainer itself. */
const FEATURE_INPUTS = [
  '../../src/engine/features.ts',
  '../../src/engine/diagnose.ts',
  '../../src/engine/signals.ts',
  '../../src/engine/normalize.ts',
  '../../src/engine/redact.ts',
  '../../knowledge/ja-forms.yaml',
  '../../knowledge/about.yaml',
  './learn.ts',
];

export function inputHash(cases: LabelledCase[]): string {
  const h = createHash('sha256');
  for (const c of cases) h.update(`${JSON.stringify([c.text, c.accept, c.family])}\n`);
  for (const f of FEATURE_INPUTS) h.update(readFileSync(new URL(f, import.meta.url)));
  return h.digest('hex');
}
