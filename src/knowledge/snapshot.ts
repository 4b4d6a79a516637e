/**
 * A start-up shortcut: `npm run build` (and so `npm ci`, through `prepare`) writes the validated knowledge base as one
 * JSON file beside the compiled code, with the hash of the knowledge files it was made from. A command that only
 * needs the engine reads that file — no YAML parser, no schema library, a few milliseconds — as long as the hash still
 * matches the files in knowledge/; after any edit it falls back to reading and validating the YAML.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KnowledgeBase } from '../engine/types.js';

export const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge/', import.meta.url));
/** Beside the compiled code (dist/); from src/ under tsx there is none, and the YAML is read. */
export const SNAPSHOT_FILE = fileURLToPath(new URL('../knowledge-snapshot.json', import.meta.url));

/** SHA-256 of every knowledge file, by path and content, in path order. */
export function knowledgeHash(dir: string = DEFAULT_KNOWLEDGE_DIR): string {
  const h = createHash('sha256');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(?:ya?ml|json)$/.test(f))
    .sort();
  for (const f of files) {
    h.update(`${f}\n`);
    h.update(readFileSync(join(dir, f)));
  }
  return h.digest('hex');
}

/** The snapshot's knowledge base, or null when there is none or the knowledge files changed since it was made. */
export function readSnapshot(dir: string = DEFAULT_KNOWLEDGE_DIR, file: string = SNAPSHOT_FILE): KnowledgeBase | null {
  if (!existsSync(file)) return null;
  try {
    const snap = JSON.parse(readFileSync(file, 'utf8')) as { hash: string; kb: KnowledgeBase };
    return snap.hash === knowledgeHash(dir) ? snap.kb : null;
  } catch {
    return null;
  }
}
