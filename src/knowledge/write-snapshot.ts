/** `npm run build` step: validate knowledge/ and write the snapshot that commands start from (see snapshot.ts). */
import { writeFileSync } from 'node:fs';
import { tablesToBytes } from '../engine/automaton.js';
import { makeExampleIndex } from '../engine/diagnose.js';
import { examplesToBytes } from '../engine/examples.js';
import { buildIndex } from '../engine/index.js';
import { modelTablesToBytes } from '../engine/model.js';
import { loadKnowledge } from './load.js';
import { automatonFile, DEFAULT_KNOWLEDGE_DIR, examplesFile, knowledgeHash, knowledgeStamp, laterFile, modelRowsFile, modelTablesFile, SNAPSHOT_FILE, splitSnapshot } from './snapshot.js';

const kb = loadKnowledge(DEFAULT_KNOWLEDGE_DIR);
// One index for all that is stored: the phrase keys and the automaton do not depend on the model; the examples'
// postings are of the hashes an index with the model reads (there are none without one).
const keys = new Map<string, string>();
const built = buildIndex(kb, { keys });
const phraseKeys = Object.fromEntries(keys);
const hash = knowledgeHash(DEFAULT_KNOWLEDGE_DIR);
const stamp = knowledgeStamp(DEFAULT_KNOWLEDGE_DIR);
const { now, later, modelRows } = splitSnapshot({ ...kb, phraseKeys });
const generator = 'src/knowledge/write-snapshot.ts (npm run build)';
// The other files first: a snapshot is used only when all are there.
writeFileSync(laterFile(SNAPSHOT_FILE), JSON.stringify({ generator, hash, kb: later }));
if (modelRows) writeFileSync(modelRowsFile(SNAPSHOT_FILE), modelRows);
const modelTables = built.model ? modelTablesToBytes(built.model) : null;
if (modelTables) writeFileSync(modelTablesFile(SNAPSHOT_FILE), modelTables);
const tables = tablesToBytes(built.automaton.tables());
writeFileSync(automatonFile(SNAPSHOT_FILE), tables);
const examples = built.model ? examplesToBytes(makeExampleIndex(built), kb.entries) : null;
if (examples) writeFileSync(examplesFile(SNAPSHOT_FILE), examples.bytes);
writeFileSync(
  SNAPSHOT_FILE,
  JSON.stringify({ generator, hash, stamp, modelRowsBytes: modelRows?.length, modelTablesBytes: modelTables?.length, automatonBytes: tables.length, examples: examples?.header, examplesBytes: examples?.bytes.length, kb: now }),
);
