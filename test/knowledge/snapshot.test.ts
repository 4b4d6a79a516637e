/**
 * The knowledge snapshot in two files: what the engine reads at start, and the parts read at their first use. Read
 * back, it must be the knowledge base the YAML gives, whole; a missing or foreign second file is no snapshot.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { Automaton, tablesToBytes } from '../../src/engine/automaton.js';
import { makeExampleIndex } from '../../src/engine/diagnose.js';
import { examplesToBytes, type ExampleIndex } from '../../src/engine/examples.js';
import { buildIndex } from '../../src/engine/index.js';
import { loadModel, modelTablesToBytes } from '../../src/engine/model.js';
import { automatonFile, DEFAULT_KNOWLEDGE_DIR, examplesFile, knowledgeHash, knowledgeStamp, LATER_PARTS, laterFile, modelRowsFile, modelTablesFile, readSnapshot, splitSnapshot } from '../../src/knowledge/snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('knowledge snapshot', () => {
  const kb = loadKnowledge();
  const hash = knowledgeHash(DEFAULT_KNOWLEDGE_DIR);
  const fromText = loadModel(kb.model!);
  const modelTables = modelTablesToBytes(fromText);
  const write = (name: string, laterHash = hash): string => {
    const file = join(dir, `${name}.json`);
    const { now, later, modelRows } = splitSnapshot(kb);
    writeFileSync(laterFile(file), JSON.stringify({ hash: laterHash, kb: later }));
    if (modelRows) writeFileSync(modelRowsFile(file), modelRows);
    writeFileSync(modelTablesFile(file), modelTables);
    const tables = tablesToBytes(buildIndex(kb, { model: null }).automaton.tables());
    writeFileSync(automatonFile(file), tables);
    const examples = examplesToBytes(makeExampleIndex(buildIndex(kb)), kb.entries);
    writeFileSync(examplesFile(file), examples.bytes);
    writeFileSync(
      file,
      JSON.stringify({ hash, modelRowsBytes: modelRows?.length, modelTablesBytes: modelTables.length, automatonBytes: tables.length, examples: examples.header, examplesBytes: examples.bytes.length, kb: now }),
    );
    return file;
  };

  it('keeps the parts the engine never reads out of the first file, and reads them back at their first use', () => {
    const file = write('whole');
    const { now } = splitSnapshot(kb);
    for (const part of LATER_PARTS) expect(part in now).toBe(false);
    const read = readSnapshot(DEFAULT_KNOWLEDGE_DIR, file);
    expect(read).not.toBeNull();
    expect(read?.entries).toEqual(kb.entries);
    expect(read?.ui).toEqual(kb.ui);
    // The model's tables come from their binary file, equal to those made from the rows; the rows from theirs, as the
    // base64 text when asked, or into the tables when the tables' file is missing.
    expect(kb.model).not.toBeNull();
    // Compared as bytes: toEqual over three arrays of a quarter of a million numbers each took seconds.
    const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    for (const fromBytes of [loadModel(read!.model!), (rmSync(modelTablesFile(file)), loadModel(readSnapshot(DEFAULT_KNOWLEDGE_DIR, file)!.model!))]) {
      expect(bytes(fromBytes.keys).equals(bytes(fromText.keys))).toBe(true);
      expect(bytes(fromBytes.runs).equals(bytes(fromText.runs))).toBe(true);
      expect(bytes(fromBytes.entries).equals(bytes(fromText.entries))).toBe(true);
    }
    expect(read?.model?.rows).toBe(kb.model?.rows);
    expect(JSON.parse(JSON.stringify(read))).toEqual(JSON.parse(JSON.stringify(kb)));
    // The phrases' automaton comes from its stored tables, and finds what the one built from the YAML finds.
    const hits = (a: Automaton, text: string): number[][] => {
      const out: number[][] = [];
      a.scan(text, (start, p) => out.push([start, p]));
      return out;
    };
    const stored = buildIndex(read!).automaton;
    const built = buildIndex(kb).automaton;
    const text = buildIndex(kb).phrases.map((p) => p.key).join('|');
    expect(hits(stored, text).length).toBeGreaterThan(1000);
    expect(hits(stored, text)).toEqual(hits(built, text));
    // So do the examples' postings, equal to those made from the examples.
    const postings = (m: Map<string, ExampleIndex>) => [...m].map(([c, x]) => [c, x.entries.map((e) => e.id), [...x.sizes], [...x.keys], [...x.starts], [...x.ids]]);
    const storedPostings = buildIndex(read!).storedExamples?.();
    expect(storedPostings).toBeTruthy();
    expect(postings(storedPostings!)).toEqual(postings(makeExampleIndex(buildIndex(kb))));
    rmSync(automatonFile(file));
    expect(hits(buildIndex(readSnapshot(DEFAULT_KNOWLEDGE_DIR, file)!).automaton, text)).toEqual(hits(built, text));
  });

  it('is no snapshot without its other files, and fails loudly when the second file is of another build', () => {
    const file = write('orphan');
    rmSync(laterFile(file));
    expect(readSnapshot(DEFAULT_KNOWLEDGE_DIR, file)).toBeNull();
    const noRows = write('no-rows');
    rmSync(modelRowsFile(noRows));
    expect(readSnapshot(DEFAULT_KNOWLEDGE_DIR, noRows)).toBeNull();
    const foreign = readSnapshot(DEFAULT_KNOWLEDGE_DIR, write('foreign', 'another'));
    expect(foreign?.entries).toEqual(kb.entries);
    expect(() => foreign?.checklist).toThrow(/run npm run build/);
  });

  it('is used while the files are as they were made from, touched or not, and not after an edit', () => {
    const copy = join(dir, 'knowledge-copy');
    cpSync(DEFAULT_KNOWLEDGE_DIR, copy, { recursive: true });
    const file = join(dir, 'stamped.json');
    const { now, later, modelRows } = splitSnapshot(kb);
    const stamped = { hash: knowledgeHash(copy), stamp: knowledgeStamp(copy) };
    writeFileSync(laterFile(file), JSON.stringify({ ...stamped, kb: later }));
    if (modelRows) writeFileSync(modelRowsFile(file), modelRows);
    writeFileSync(file, JSON.stringify({ ...stamped, modelRowsBytes: modelRows?.length, kb: now }));
    expect(readSnapshot(copy, file)?.entries).toEqual(kb.entries);
    // Touched, same contents (a checkout that rewrote it): the stamp differs, the contents still match.
    const checklist = join(copy, 'checklist.yaml');
    utimesSync(checklist, new Date(), new Date(Date.now() + 60_000));
    expect(knowledgeStamp(copy)).not.toBe(stamped.stamp);
    expect(readSnapshot(copy, file)?.entries).toEqual(kb.entries);
    // Edited: the snapshot no longer speaks for the files.
    appendFileSync(checklist, '# edited\n');
    expect(readSnapshot(copy, file)).toBeNull();
  });
});
