import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CorpusCase {
  text: string;
  accept: string[];
  lang: 'ja' | 'en';
  source: string;
}

export const SHARED_EVAL = fileURLToPath(new URL('../../../shared/eval/', import.meta.url));

export function readCorpus(name: string): CorpusCase[] {
  return readFileSync(`${SHARED_EVAL}${name}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusCase);
}
