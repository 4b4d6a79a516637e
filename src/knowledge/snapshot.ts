/**
 * A start-up shortcut: `npm run build` (and so `npm ci`, through `prepare`) writes the validated knowledge base as JSON
 * beside the compiled code, with the hash of the knowledge files it was made from. A command that only needs the
 * engine reads that — no YAML parser, no schema library, a few milliseconds — as long as the hash still matches the
 * files in knowledge/; after any edit it falls back to reading and validating the YAML.
 * The parts the engine never reads (the bot's strings, the checklist, provider and client facts, the intent model, the
 * settings of options.yaml: a third of the whole) are in a second file, read at the first use of any of them:
 * `classify` never reads it, and keeps ~2.5 MB less resident (the JSON text and its objects).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTOMATON_TABLES, tablesFromBytes, type AutomatonTables } from '../engine/automaton.js';
import { EXAMPLE_TABLES, examplesFromBytes, type ExampleHeader, type ExampleIndex } from '../engine/examples.js';
import { PHRASE_KEYS } from '../engine/index.js';
import { MODEL_TABLES, modelTablesFromBytes, ROW_BYTES, type ModelFile, type ModelTables } from '../engine/model.js';
import type { CategoryId, KnowledgeBase } from '../engine/types.js';

export const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge/', import.meta.url));
/** Beside the compiled code (dist/); from src/ under tsx there is none, and the YAML is read. */
export const SNAPSHOT_FILE = fileURLToPath(new URL('../knowledge-snapshot.json', import.meta.url));

/** The parts of a knowledge base kept in the second file, `<snapshot>-more.json`. */
export const LATER_PARTS = ['checklist', 'ui', 'providers', 'clients', 'intentModel', 'options'] as const;
type LaterPart = (typeof LATER_PARTS)[number];

/** A file written beside the snapshot by the same build. */
function beside(file: string, suffix: string): string {
  return file.replace(/\.json$/, '') + suffix;
}

/** The file of the parts read at their first use. */
export function laterFile(file: string): string {
  return beside(file, '-more.json');
}

/**
 * The file of the learned model's rows as bytes: read straight into the model's tables, where the base64 text in the
 * JSON would stay resident beside them (0.86 MB) and be decoded at every start.
 */
export function modelRowsFile(file: string): string {
  return beside(file, '-model.bin');
}

/** The file of the learned model's tables as `loadModel` makes them from the rows (engine/model.ts). */
export function modelTablesFile(file: string): string {
  return beside(file, '-model-tables.bin');
}

function knowledgeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(?:ya?ml|json)$/.test(f))
    .sort();
}

/** The file of the phrases' automaton as stored tables (engine/automaton.ts): built at every start otherwise (~40-100 ms). */
export function automatonFile(file: string): string {
  return beside(file, '-automaton.bin');
}

/** The file of the entry examples' postings (engine/examples.ts): made at the first model-only answer otherwise (~250 ms). */
export function examplesFile(file: string): string {
  return beside(file, '-examples.bin');
}

/** SHA-256 of every knowledge file, by path and content, in path order. */
export function knowledgeHash(dir: string = DEFAULT_KNOWLEDGE_DIR): string {
  // node:crypto only here, where the stamp did not match: loading it (OpenSSL and some twenty modules) was ~2 MB
  // resident and ~10 ms of every start.
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const h = createHash('sha256');
  for (const f of knowledgeFiles(dir)) {
    h.update(`${f}\n`);
    h.update(readFileSync(join(dir, f)));
  }
  return h.digest('hex');
}

/**
 * Every knowledge file's path, size and modification time, one line each. When it matches the snapshot's, no file was
 * written since the snapshot was made, and the contents (2.5 MB with the models) need not be read and hashed: that
 * was ~30 ms of every start. When it does not (a file touched, a fresh checkout), the contents decide. Kept as text, not
 * as a digest, so that a start compares a few kilobytes and never loads a hash function.
 */
export function knowledgeStamp(dir: string = DEFAULT_KNOWLEDGE_DIR): string {
  let stamp = '';
  for (const f of knowledgeFiles(dir)) {
    const s = statSync(join(dir, f));
    stamp += `${f}\0${s.size}\0${s.mtimeMs}\n`;
  }
  return stamp;
}

/** The two files' contents for a knowledge base: what the engine reads, and the rest. */
export function splitSnapshot(kb: KnowledgeBase): { now: Partial<KnowledgeBase>; later: Partial<KnowledgeBase>; modelRows: Buffer | null } {
  const now: Record<string, unknown> = { ...kb };
  // The rows leave the JSON for a file of their own; an empty string marks them as there.
  const modelRows = kb.model ? Buffer.from(kb.model.rows, 'base64') : null;
  if (kb.model) now.model = { ...kb.model, rows: '' };
  const later: Record<string, unknown> = {};
  for (const part of LATER_PARTS) {
    if (!(part in now)) continue;
    later[part] = now[part];
    delete now[part];
  }
  return { now: now as Partial<KnowledgeBase>, later: later as Partial<KnowledgeBase>, modelRows };
}

/** The snapshot's knowledge base, or null when there is none or the knowledge files changed since it was made. */
export function readSnapshot(dir: string = DEFAULT_KNOWLEDGE_DIR, file: string = SNAPSHOT_FILE): KnowledgeBase | null {
  const more = laterFile(file);
  const rowsFile = modelRowsFile(file);
  if (!existsSync(file) || !existsSync(more)) return null;
  try {
    const snap = JSON.parse(readFileSync(file, 'utf8')) as {
      hash: string;
      stamp?: string;
      kb: KnowledgeBase;
      modelRowsBytes?: number;
      modelTablesBytes?: number;
      automatonBytes?: number;
      examples?: ExampleHeader;
      examplesBytes?: number;
    };
    if (snap.stamp !== knowledgeStamp(dir) && snap.hash !== knowledgeHash(dir)) return null;
    const kb = snap.kb;
    // The phrase keys go to the first index built, and are not kept by the knowledge base after it (engine/index.ts).
    let phraseKeys = kb.phraseKeys;
    delete kb.phraseKeys;
    Object.defineProperty(kb, PHRASE_KEYS, {
      value: () => {
        const keys = phraseKeys;
        phraseKeys = undefined;
        return keys;
      },
      enumerable: false,
    });
    // A file of bytes beside the snapshot, of the length the snapshot recorded: another length is a half-written dist/,
    // and no answer is better than a wrong one.
    const bytesBeside = (path: string, length: number | undefined): Buffer => {
      const bytes = readFileSync(path);
      if (bytes.length !== length) throw new Error(`knowledge snapshot ${path} does not belong to ${file}: run npm run build`);
      return bytes;
    };
    if (kb.model) {
      if (!existsSync(rowsFile)) return null;
      const rows = (): Buffer => bytesBeside(rowsFile, snap.modelRowsBytes);
      const model: ModelFile & { [ROW_BYTES]?: () => Buffer } = kb.model;
      Object.defineProperty(model, ROW_BYTES, { value: rows, enumerable: false });
      // Without the tables' file (a dist/ built before it existed) the model's tables are made from the rows.
      const tablesFile = modelTablesFile(file);
      const tables = (): ModelTables | null => (existsSync(tablesFile) ? modelTablesFromBytes(bytesBeside(tablesFile, snap.modelTablesBytes)) : null);
      Object.defineProperty(model, MODEL_TABLES, { value: tables, enumerable: false });
      // The base64 text only for a reader that asks for it (none of the commands does).
      Object.defineProperty(model, 'rows', {
        configurable: true,
        enumerable: true,
        get() {
          const value = rows().toString('base64');
          Object.defineProperty(model, 'rows', { configurable: true, enumerable: true, writable: true, value });
          return value;
        },
      });
    }
    const tablesFile = automatonFile(file);
    // Without the file (a dist/ built before it existed) the index builds the automaton itself.
    const tables = (): AutomatonTables | null => (existsSync(tablesFile) ? tablesFromBytes(bytesBeside(tablesFile, snap.automatonBytes)) : null);
    Object.defineProperty(kb, AUTOMATON_TABLES, { value: tables, enumerable: false });
    const postingsFile = examplesFile(file);
    const postings = (): Map<CategoryId, ExampleIndex> | null =>
      snap.examples && existsSync(postingsFile) ? examplesFromBytes(snap.examples, bytesBeside(postingsFile, snap.examplesBytes), kb.entries) : null;
    Object.defineProperty(kb, EXAMPLE_TABLES, { value: postings, enumerable: false });
    let later: Partial<KnowledgeBase> | undefined;
    const load = (): Partial<KnowledgeBase> => {
      if (!later) {
        const read = JSON.parse(readFileSync(more, 'utf8')) as { hash: string; kb: Partial<KnowledgeBase> };
        // Written by the same build as the first file; a mismatch is a half-written dist/, and no answer is better than a wrong one.
        if (read.hash !== snap.hash) throw new Error(`knowledge snapshot ${more} does not belong to ${file}: run npm run build`);
        later = read.kb;
      }
      return later;
    };
    // Plain properties once read: a getter only until the first use, enumerable so that the object still looks whole.
    for (const part of LATER_PARTS) {
      Object.defineProperty(kb, part, {
        configurable: true,
        enumerable: true,
        get() {
          const value = load()[part as LaterPart];
          Object.defineProperty(kb, part, { configurable: true, enumerable: true, writable: true, value });
          return value;
        },
        set(value: unknown) {
          Object.defineProperty(kb, part, { configurable: true, enumerable: true, writable: true, value });
        },
      });
    }
    return kb;
  } catch {
    return null;
  }
}
