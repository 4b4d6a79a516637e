import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CorpusCase {
  text: string;
  accept: string[];
  lang: 'ja' | 'en';
  source: string;
}

/** The dev corpus and the category contract, copied from the evaluation folder beside the project so that a fresh clone has them. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function readCorpus(name: string): CorpusCase[] {
  return readFileSync(`${FIXTURES}${name}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusCase);
}
